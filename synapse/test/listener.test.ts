import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderHomeserverConfig } from '../src/config.ts';
import { baseOptions } from './helpers/options.ts';

/** X-Forwarded-For is trusted only where a reverse proxy is in front (issue 12). */
describe('homeserver listener', () => {
  it('does not trust X-Forwarded-For by default', () => {
    const config = parse(renderHomeserverConfig(baseOptions));
    expect(config.listeners[0].x_forwarded).toBe(false);
    expect(parse(renderHomeserverConfig({ ...baseOptions, bindAddresses: ['0.0.0.0'] })).listeners[0].x_forwarded).toBe(false);
  });

  it('trusts it when a reverse proxy is declared in front', () => {
    const config = parse(renderHomeserverConfig({ ...baseOptions, xForwarded: true }));
    expect(config.listeners[0].x_forwarded).toBe(true);
  });
});

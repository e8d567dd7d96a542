import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderHomeserverConfig } from '../src/config.ts';

const base = {
  serverName: 'chattigo.localhost',
  dataDir: '/data/synapse',
  port: 8008,
  appserviceRegistrationFiles: ['/data/registration.yaml'],
  secrets: { registrationSharedSecret: 's1', macaroonSecretKey: 's2', formSecret: 's3' },
};

/** X-Forwarded-For is trusted only where a reverse proxy is in front (issue 12). */
describe('homeserver listener', () => {
  it('does not trust X-Forwarded-For by default', () => {
    const config = parse(renderHomeserverConfig(base));
    expect(config.listeners[0].x_forwarded).toBe(false);
    expect(parse(renderHomeserverConfig({ ...base, bindAddresses: ['0.0.0.0'] })).listeners[0].x_forwarded).toBe(false);
  });

  it('trusts it when a reverse proxy is declared in front', () => {
    const config = parse(renderHomeserverConfig({ ...base, xForwarded: true }));
    expect(config.listeners[0].x_forwarded).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { fitNotice } from '../../src/matrix/notices.ts';

describe('fitNotice', () => {
  it('leaves a short reply alone', () => {
    expect(fitNotice('hola\nchau', 100)).toBe('hola\nchau');
  });

  it('cuts a long reply at a line break and says so, within the limit', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `línea ${i}`).join('\n');
    const fitted = fitNotice(lines, 200);
    expect(fitted.length).toBeLessThanOrEqual(200);
    expect(fitted).toMatch(/línea \d+\n… \(respuesta recortada \/ reply truncated\)$/);
  });

  it('cuts a reply without line breaks too', () => {
    expect(fitNotice('x'.repeat(500), 100).length).toBeLessThanOrEqual(100);
  });
});

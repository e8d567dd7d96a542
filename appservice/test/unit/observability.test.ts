import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubUrl } from '../../src/observability/logger.ts';
import { buildRegistration } from '../../src/matrix/registration.ts';
import { parseConfig } from '../../src/config/load.ts';
import { secretsEqual } from '../../src/matrix/auth.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('logging', () => {
  it('never writes credentials', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    log.info({ body: { password: 'hunter22', access_token: 'syt_secret' }, secrets: { as_token: 'abc' } }, 'x');
    log.info({ req: { method: 'PUT', url: '/transactions/1?access_token=hs_secret_value' } }, 'y');
    const text = lines.join('');
    for (const secret of ['hunter22', 'syt_secret', 'abc"', 'hs_secret_value']) expect(text).not.toContain(secret);
  });

  it('scrubs tokens from URLs', () => {
    expect(scrubUrl('/a?x=1&access_token=s3cret&y=2')).toBe('/a?x=1&access_token=[Redacted]&y=2');
  });
});

describe('registration', () => {
  it('claims the exclusive user namespace and asks for ephemeral events', () => {
    const config = parseConfig({ matrix: { serverName: 'chat.example.com', userPrefix: 'chattigo_' } }, '/');
    const registration = buildRegistration(config.matrix, { as_token: 'a'.repeat(20), hs_token: 'h'.repeat(20) });
    expect(registration.namespaces.users).toEqual([{ exclusive: true, regex: '@chattigo_.*:chat\\.example\\.com' }]);
    expect(registration.receive_ephemeral).toBe(true);
    expect(registration['de.sorunome.msc2409.push_ephemeral']).toBe(true);
    expect(registration.sender_localpart).toBe('chattigo');
  });
});

describe('token comparison', () => {
  it('is exact and works for tokens of any length', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('', 'abc')).toBe(false);
  });
});

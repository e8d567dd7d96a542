import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as passwords from '../../src/features/accounts/passwords.ts';
import { createPasswordTokenRepository } from '../../src/features/password/repository.ts';
import { buildEmbeddedApp, type EmbeddedApp } from '../helpers/embedded-app.ts';
import { seedAccounts } from '../helpers/directory.ts';

// Counts the Argon2 hashes the password routes compute (the real function still runs).
vi.mock('../../src/features/accounts/passwords.ts', async (importOriginal) => {
  const original = await importOriginal<typeof passwords>();
  return { ...original, hashPassword: vi.fn(original.hashPassword) };
});
const hashPassword = vi.mocked(passwords.hashPassword);

describe('password routes: cost and limits', () => {
  let t: EmbeddedApp;
  beforeAll(async () => {
    t = await buildEmbeddedApp({}, { password: { addressLimit: { max: 5, windowSeconds: 60 } } });
    vi.spyOn(t.app.admin, 'logoutDevices').mockResolvedValue(0);
    await seedAccounts(t.db, [{ username: 'ana', displayName: 'Ana Gómez' }]);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    hashPassword.mockClear();
  });

  let address = 0;
  /** Each test from its own client address, so the limit of one does not spill into another. */
  const client = () => `10.0.0.${++address}`;
  const reset = (remoteAddress: string, token: string, lang = 'es') =>
    t.app.server.inject({
      method: 'POST',
      url: '/api/v1/password/reset',
      remoteAddress,
      headers: { 'accept-language': lang },
      payload: { token, password: 'una-clave-nueva' },
    });

  it('a bogus reset token is refused without hashing the password', async () => {
    const response = await reset(client(), 'x'.repeat(43));
    expect(response.statusCode).toBe(400);
    expect(response.json().errcode).toBe('CHATTIGO_INVALID_TOKEN');
    expect(hashPassword).not.toHaveBeenCalled();
  });

  it('a valid token hashes the new password once and then works no more', async () => {
    const token = randomBytes(32).toString('base64url');
    await createPasswordTokenRepository(t.db).insert(createHash('sha256').update(token).digest('hex'), 'ana', 'reset', 600);
    const from = client();
    expect((await reset(from, token)).statusCode).toBe(200);
    expect(hashPassword).toHaveBeenCalledTimes(1);
    expect((await reset(from, token)).statusCode).toBe(400);
    expect(hashPassword).toHaveBeenCalledTimes(1);
  });

  it('answers 429 with a clear message past the limit per address, for both routes together', async () => {
    const from = client();
    for (let i = 0; i < 3; i++) expect((await reset(from, `bogus-token-${i}`)).statusCode).toBe(400);
    for (let i = 0; i < 2; i++) {
      const forgot = await t.app.server.inject({ method: 'POST', url: '/api/v1/password/forgot', remoteAddress: from, payload: { identifier: 'nadie' } });
      expect(forgot.statusCode).toBe(202);
    }
    const limited = await reset(from, 'bogus-token-6');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ errcode: 'M_LIMIT_EXCEEDED', error: expect.stringContaining('Demasiadas solicitudes') });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await reset(from, 'bogus-token-7', 'en')).json().error).toMatch(/^Too many password requests from this address\. Try again in 1 minute/);
    // Another address is not affected, nor are other routes from this one.
    expect((await reset(client(), 'bogus-token-8')).statusCode).toBe(400);
    expect((await t.app.server.inject({ method: 'GET', url: '/health/live', remoteAddress: from })).statusCode).toBe(200);
    expect((await t.app.server.inject({ method: 'POST', url: '/api/v1/session', remoteAddress: from })).statusCode).toBe(401);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPasswordTokenRepository } from '../../src/features/password/repository.ts';
import { API_AUDIENCE } from '../../src/features/session/auth.ts';
import { buildEmbeddedApp, testSecrets, type EmbeddedApp } from '../helpers/embedded-app.ts';
import { seedAccounts, sessionToken } from '../helpers/directory.ts';
import { handSignedToken } from '../helpers/jwt.ts';
import { openStream } from '../helpers/sse.ts';

const provisioning = { authorization: `Bearer ${testSecrets.provisioning_token}` };

/** Sessions end when credentials change (issue 12): API tokens and live streams. */
describe('API sessions', () => {
  let t: EmbeddedApp;
  let base: string;
  const logouts: string[] = [];

  beforeAll(async () => {
    t = await buildEmbeddedApp({ directory: { publishToMatrix: false, live: { heartbeatMs: 60_000 } } });
    // No homeserver behind these tests: the Matrix side of ending sessions is recorded, not sent.
    vi.spyOn(t.app.admin, 'logoutDevices').mockImplementation(async (userId: string) => logouts.push(userId));
    vi.spyOn(t.app.accountSync, 'syncPending').mockResolvedValue({ synced: 0, failed: 0 });
    await seedAccounts(t.db, [
      { username: 'ana', displayName: 'Ana Gómez' },
      { username: 'beto', displayName: 'Beto Díaz' },
      { username: 'carla', displayName: 'Carla Ruiz' },
      { username: 'dario', displayName: 'Darío Paz' },
    ]);
    base = await t.app.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await t?.close();
  });

  const me = (token: string) => t.app.server.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  const resetLink = async (username: string) => {
    const token = randomBytes(32).toString('base64url');
    await createPasswordTokenRepository(t.db).insert(createHash('sha256').update(token).digest('hex'), username, 'reset', 600);
    return token;
  };
  const reset = (token: string, password = 'una-clave-nueva') =>
    t.app.server.inject({ method: 'POST', url: '/api/v1/password/reset', payload: { token, password } });

  describe('required claims', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const claims = { sub: 'ana', uid: '@chattigo_ana:chattigo.localhost', role: 'agent' as const };

    it('accepts a well-formed token (control)', async () => {
      const token = handSignedToken({ ...claims, aud: API_AUDIENCE, iat: now(), exp: now() + 60 }, testSecrets.jwt_key);
      expect((await me(token)).statusCode).toBe(200);
    });

    it('refuses a token without aud', async () => {
      const token = handSignedToken({ ...claims, iat: now(), exp: now() + 60 }, testSecrets.jwt_key);
      expect((await me(token)).statusCode).toBe(401);
    });

    it('refuses a token without exp', async () => {
      const token = handSignedToken({ ...claims, aud: API_AUDIENCE, iat: now() }, testSecrets.jwt_key);
      expect((await me(token)).statusCode).toBe(401);
    });

    it('refuses a token for another audience', async () => {
      const token = handSignedToken({ ...claims, aud: 'other', iat: now(), exp: now() + 60 }, testSecrets.jwt_key);
      expect((await me(token)).statusCode).toBe(401);
    });

    it('signs tokens with exp even when the caller gives no lifetime', async () => {
      const token = t.app.server.jwt.sign(claims);
      expect(t.app.server.jwt.decode<{ exp?: number }>(token)?.exp).toBeGreaterThan(now());
    });
  });

  it('a password reset ends the tokens issued before it; one issued just after works', async () => {
    const before = sessionToken(t.app, 'ana');
    expect((await me(before)).statusCode).toBe(200);
    const link = await resetLink('ana');
    expect((await reset(link)).statusCode).toBe(200);
    // Issued in the same second as the reset, and after it.
    const after = sessionToken(t.app, 'ana');
    expect((await me(before)).statusCode).toBe(401);
    expect((await me(after)).statusCode).toBe(200);
    expect(logouts).toContain('@chattigo_ana:chattigo.localhost');
    // Another account's sessions are untouched.
    expect((await me(sessionToken(t.app, 'dario'))).statusCode).toBe(200);
  });

  it('a temporary password ends the tokens issued before it', async () => {
    const before = sessionToken(t.app, 'beto');
    const response = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/provisioning/accounts/beto/temporary-password',
      headers: provisioning,
    });
    expect(response.statusCode).toBe(200);
    expect((await me(before)).statusCode).toBe(401);
    expect((await me(sessionToken(t.app, 'beto'))).statusCode).toBe(200);
  });

  it('deactivation ends the tokens issued before it, also after a reactivation', async () => {
    const before = sessionToken(t.app, 'carla');
    const stream = await openStream(`${base}/api/v1/directory/events?access_token=${before}`);
    await stream.next((e) => e.event === 'ready');
    const importCarla = (active: boolean) =>
      t.app.server.inject({
        method: 'PUT',
        url: '/api/v1/provisioning/directory',
        headers: provisioning,
        payload: { accounts: [{ username: 'carla', displayName: 'Carla Ruiz', active }] },
      });
    const off = await importCarla(false);
    expect(off.statusCode).toBe(200);
    expect(off.json().accounts.deactivated).toEqual(['carla']);
    await stream.next((e) => e.event === 'session-expired');
    expect((await me(before)).statusCode).toBe(401);
    expect((await importCarla(true)).json().accounts.reactivated).toEqual(['carla']);
    expect((await me(before)).statusCode).toBe(401);
    expect((await me(sessionToken(t.app, 'carla'))).statusCode).toBe(200);
  });

  it('a reset ends the live streams opened with earlier tokens, not those opened after', async () => {
    const oldToken = sessionToken(t.app, 'dario');
    const old = await openStream(`${base}/api/v1/directory/events?access_token=${oldToken}`);
    const other = await openStream(`${base}/api/v1/directory/events?access_token=${sessionToken(t.app, 'beto')}`);
    await Promise.all([old.next((e) => e.event === 'ready'), other.next((e) => e.event === 'ready')]);
    expect((await reset(await resetLink('dario'))).statusCode).toBe(200);
    await old.next((e) => e.event === 'session-expired');
    const fresh = await openStream(`${base}/api/v1/directory/events?access_token=${sessionToken(t.app, 'dario')}`);
    await fresh.next((e) => e.event === 'ready');
    // Reconnecting with the old token is refused.
    const again = await openStream(`${base}/api/v1/directory/events?access_token=${oldToken}`);
    expect(again.status).toBe(401);
    expect(other.ended).toBe(false);
    expect(fresh.ended).toBe(false);
    other.close();
    fresh.close();
  });
});

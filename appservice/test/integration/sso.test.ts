import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecrets } from '../../src/config/secrets.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';

/** Issue 17: one-time login codes from the platform, exchanged for a Matrix login (real Synapse). */
describe('single sign-on with one-time login codes', () => {
  let as: TestAppservice;
  let provisioningToken: string;
  const suffix = Date.now() % 100000;
  const ana = `ana${suffix}`;
  const beto = `beto${suffix}`;
  const gone = `gone${suffix}`;

  beforeAll(async () => {
    // Codes live 2 s here, so that the expiry test need not wait a minute.
    as = await startTestAppservice({}, { sso: { codeTtlSeconds: 2 } });
    provisioningToken = (await loadSecrets(as.stack.secretsDir)).provisioning_token;
    for (const [username, name, active] of [
      [ana, 'Ana Pérez', true],
      [beto, 'Beto Díaz', true],
      [gone, 'Ido Ausente', false],
    ] as const) {
      await as.running.db.query(`INSERT INTO accounts (username, display_name, role, active) VALUES ($1, $2, 'agent', $3)`, [username, name, active]);
    }
    // Ana is on Matrix already (as after a directory sync); Beto is registered by his first code.
    await as.running.app.gateway.registerUser(`${as.config.matrix.userPrefix}${ana}`);
  });
  afterAll(async () => {
    await as?.stop();
  });

  const issue = (username: string, token = provisioningToken) =>
    as.running.app.server.inject({
      method: 'POST',
      url: `/api/v1/provisioning/accounts/${username}/login-code`,
      headers: { authorization: `Bearer ${token}` },
    });
  const exchange = (code: string, lang = 'es') =>
    as.running.app.server.inject({ method: 'POST', url: '/api/v1/sso/exchange', payload: { code }, headers: { 'accept-language': lang } });
  const whoami = async (accessToken: string) => {
    const response = await fetch(`${as.stack.homeserverUrl}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${accessToken}` } });
    return ((await response.json()) as { user_id?: string; device_id?: string });
  };
  const uses = async (username: string) =>
    as.running.db.query<{ outcome: string; client_address: string | null; issued_at: Date | null }>(
      'SELECT outcome, client_address, issued_at FROM login_code_uses WHERE username = $1 ORDER BY id',
      [username],
    );

  it('issues a code only with the service token', async () => {
    expect((await issue(ana, 'not-the-token')).statusCode).toBe(403);
    const response = await as.running.app.server.inject({ method: 'POST', url: `/api/v1/provisioning/accounts/${ana}/login-code` });
    expect(response.statusCode).toBe(401);
  });

  it('exchanges a code once for a Matrix login of its account; a second exchange is refused', async () => {
    const issued = await issue(ana);
    expect(issued.statusCode).toBe(200);
    const { code, expiresAt, url } = issued.json<{ code: string; expiresAt: string; url: string }>();
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(2000);
    expect(url).toBe(`${as.config.server.publicUrl}/ingresar#code=${code}`);
    // Only a hash of the code is kept.
    const stored = await as.running.db.query<{ code_hash: string }>('SELECT code_hash FROM login_codes WHERE username = $1', [ana]);
    expect(stored.map((r) => r.code_hash)).not.toContain(code);

    const first = await exchange(code);
    expect(first.statusCode).toBe(200);
    const login = first.json<{ userId: string; deviceId: string; accessToken: string }>();
    expect(login.userId).toBe(as.running.app.gateway.userIdFor(ana));
    expect(await whoami(login.accessToken)).toMatchObject({ user_id: login.userId, device_id: login.deviceId });
    // The Matrix token gets an API session, as after a password login.
    const session = await as.running.app.server.inject({ method: 'POST', url: '/api/v1/session', headers: { authorization: `Bearer ${login.accessToken}` } });
    expect(session.statusCode).toBe(200);
    expect(session.json().account.username).toBe(ana);

    const again = await exchange(code, 'en');
    expect(again.statusCode).toBe(401);
    expect(again.json()).toEqual({ errcode: 'CHATTIGO_CODE_USED', error: 'The login code has already been used; ask for a new one.' });
    expect((await uses(ana)).map((u) => u.outcome)).toEqual(['signed-in', 'replayed']);
    expect((await uses(ana))[0]?.client_address).toBeTruthy();
  });

  it('refuses an expired code', async () => {
    const { code } = (await issue(ana)).json<{ code: string }>();
    await new Promise((resolve) => setTimeout(resolve, 2200));
    const response = await exchange(code);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ errcode: 'CHATTIGO_CODE_EXPIRED', error: 'El código de ingreso venció; pida uno nuevo.' });
    expect((await uses(ana)).at(-1)?.outcome).toBe('expired');
  });

  it('refuses codes for unknown and deactivated accounts, and a code whose account was deactivated since', async () => {
    const unknown = await issue('nobody_at_all');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().errcode).toBe('M_NOT_FOUND');
    const deactivated = await issue(gone);
    expect(deactivated.statusCode).toBe(403);
    expect(deactivated.json()).toMatchObject({ errcode: 'M_USER_DEACTIVATED' });
    expect(deactivated.json().error).toContain(gone);

    const { code } = (await issue(beto)).json<{ code: string }>();
    // As a directory import does: the version moves, so a periodic sync that runs in between locks
    // Beto on Matrix and the reactivation below unlocks him again.
    await as.running.db.query('UPDATE accounts SET active = false, version = version + 1 WHERE username = $1', [beto]);
    try {
      const response = await exchange(code);
      expect(response.statusCode).toBe(403);
      expect(response.json().errcode).toBe('M_USER_DEACTIVATED');
      expect((await uses(beto)).map((u) => u.outcome)).toEqual(['inactive']);
    } finally {
      await as.running.db.query('UPDATE accounts SET active = true, version = version + 1 WHERE username = $1', [beto]);
      await as.running.app.accountSync.syncPending();
    }
  });

  it('a code for one agent never yields another’s session', async () => {
    const forAna = (await issue(ana)).json<{ code: string }>().code;
    const forBeto = (await issue(beto)).json<{ code: string }>().code;
    const betoLogin = (await exchange(forBeto)).json<{ userId: string; accessToken: string }>();
    const anaLogin = (await exchange(forAna)).json<{ userId: string; accessToken: string }>();
    expect(betoLogin.userId).toBe(as.running.app.gateway.userIdFor(beto));
    expect(anaLogin.userId).toBe(as.running.app.gateway.userIdFor(ana));
    expect((await whoami(betoLogin.accessToken)).user_id).toBe(betoLogin.userId);
    expect((await whoami(anaLogin.accessToken)).user_id).toBe(anaLogin.userId);
  });

  it('refuses made-up and malformed codes with a reason', async () => {
    const madeUp = await exchange('x'.repeat(43));
    expect(madeUp.statusCode).toBe(401);
    expect(madeUp.json().errcode).toBe('CHATTIGO_CODE_UNKNOWN');
    const malformed = await exchange('no spaces allowed here!');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errcode).toBe('M_BAD_JSON');
  });
});

import { createClient, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecrets } from '../../src/config/secrets.ts';
import { hashPassword } from '../../src/features/accounts/passwords.ts';
import { adminPassword } from '../../src/matrix/admin.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';

describe('password login through Synapse, as Element does it', () => {
  let as: TestAppservice;
  const username = `jperez${Date.now() % 100000}`;
  const password = 'contraseña segura';

  beforeAll(async () => {
    as = await startTestAppservice();
    await as.running.db.query(
      `INSERT INTO accounts (username, display_name, role, password_hash) VALUES ($1, 'José Pérez', 'agent', $2)`,
      [username, await hashPassword(password)],
    );
    await as.running.app.gateway.registerUser(`${as.config.matrix.userPrefix}${username}`);
  });
  afterAll(async () => {
    await as?.stop();
  });

  const client = (): MatrixClient => createClient({ baseUrl: as.stack.homeserverUrl });
  const login = (user: string, pw: string) =>
    client().loginRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user }, password: pw });

  it('logs in with the Chattigo username, the Matrix localpart or the full user id', async () => {
    const userId = as.running.app.gateway.userIdFor(username);
    for (const user of [username, `${as.config.matrix.userPrefix}${username}`, userId]) {
      const result = await login(user, password);
      expect(result.user_id).toBe(userId);
      expect(result.access_token).toBeTruthy();
    }
  });

  it('throttles repeated wrong passwords for an account (429), even when the right one follows', async () => {
    const victim = `victim${Date.now() % 100000}`;
    await as.running.db.query(`INSERT INTO accounts (username, display_name, password_hash) VALUES ($1, 'Víctima', $2)`, [
      victim,
      await hashPassword(password),
    ]);
    await as.running.app.gateway.registerUser(`${as.config.matrix.userPrefix}${victim}`);
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      outcomes.push(await login(victim, `guess-${i}`).then(() => 'ok', (err: { errcode?: string }) => err.errcode ?? 'error'));
    }
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('M_FORBIDDEN'));
    expect(outcomes.slice(5)).toEqual(Array(3).fill('M_LIMIT_EXCEEDED'));
    await expect(login(victim, password)).rejects.toHaveProperty('errcode', 'M_LIMIT_EXCEEDED');
  });

  it('refuses a wrong password and an unknown account alike', async () => {
    await expect(login(username, 'not the password')).rejects.toMatchObject({ errcode: 'M_FORBIDDEN' });
    await expect(login('nobody_here', password)).rejects.toMatchObject({ errcode: 'M_FORBIDDEN' });
  });

  // Finding 2 of issue 12: a password set in Synapse's own database outlived Chattigo resets.
  it('keeps no Synapse-side password: /account/password is refused and a self-set password never logs in', async () => {
    const selfSet = 'mi clave propia de synapse';
    const { access_token: token } = await login(username, password);
    const change = await fetch(`${as.stack.homeserverUrl}/_matrix/client/v3/account/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        new_password: selfSet,
        logout_devices: false,
        auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: username }, password },
      }),
    });
    expect(change.status).toBe(403);

    const secrets = await loadSecrets(as.stack.secretsDir);
    const temporary = await as.running.app.server.inject({
      method: 'POST',
      url: `/api/v1/provisioning/accounts/${username}/temporary-password`,
      headers: { authorization: `Bearer ${secrets.provisioning_token}` },
    });
    expect(temporary.statusCode).toBe(200);
    await expect(login(username, selfSet)).rejects.toMatchObject({ errcode: 'M_FORBIDDEN' });
    await expect(login(username, password)).rejects.toMatchObject({ errcode: 'M_FORBIDDEN' });
    const result = await login(username, temporary.json().temporaryPassword);
    expect(result.user_id).toBe(as.running.app.gateway.userIdFor(username));
  });

  it('still logs the appservice’s admin account in, through the appservice', async () => {
    const secrets = await loadSecrets(as.stack.secretsDir);
    await as.running.app.admin.request('GET', '/_synapse/admin/v1/server_version'); // creates the account if needed
    const result = await login(as.running.app.admin.userId, adminPassword(secrets.synapse_shared_secret));
    expect(result.user_id).toBe(as.running.app.admin.userId);
    await expect(login(as.running.app.admin.userId, 'not the admin password')).rejects.toMatchObject({ errcode: 'M_FORBIDDEN' });
  });
});

describe('API sessions', () => {
  let as: TestAppservice;
  const username = `sesion${Date.now() % 100000}`;

  beforeAll(async () => {
    as = await startTestAppservice();
    await as.running.db.query(`INSERT INTO accounts (username, display_name, role) VALUES ($1, 'Sesión Prueba', 'supervisor')`, [username]);
  });
  afterAll(async () => {
    await as?.stop();
  });

  const session = (token: string) =>
    as.running.app.server.inject({ method: 'POST', url: '/api/v1/session', headers: { authorization: `Bearer ${token}` } });
  const me = (jwt: string) => as.running.app.server.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${jwt}` } });

  it('turns a Matrix access token verified with Synapse into a short-lived session', async () => {
    const { accessToken } = await as.running.app.gateway.registerUser(`${as.config.matrix.userPrefix}${username}`, { login: true });
    const response = await session(accessToken ?? '');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.account).toMatchObject({ username, role: 'supervisor', displayName: 'Sesión Prueba' });
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    const meResponse = await me(body.token);
    expect(meResponse.statusCode).toBe(200);
    expect(meResponse.json().username).toBe(username);
  });

  it('refuses a made-up Matrix token, and a Matrix user that is not a Chattigo account', async () => {
    expect((await session('syt_made_up_token')).statusCode).toBe(401);
    const { accessToken } = await as.running.app.gateway.registerUser(`${as.config.matrix.userPrefix}ghost${Date.now() % 1000}`, { login: true });
    expect((await session(accessToken ?? '')).statusCode).toBe(403);
  });

  it('refuses session tokens with another audience, another algorithm, or past their expiry', async () => {
    const jwt = as.running.app.server.jwt;
    const claims = { sub: username, uid: as.running.app.gateway.userIdFor(username), role: 'agent' as const };
    const wrongAudience = jwt.sign(claims, { aud: 'someone-else', expiresIn: 60 });
    const expired = jwt.sign(claims, { aud: 'chattigo-api', expiresIn: 60, clockTimestamp: Date.now() - 3_600_000 });
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ ...claims, aud: 'chattigo-api', exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
    const unsigned = `${header}.${payload}.`;
    for (const token of [wrongAudience, expired, unsigned, 'not-a-jwt']) {
      const response = await me(token);
      expect(response.statusCode).toBe(401);
      expect(response.json().errcode).toBe('M_MISSING_TOKEN');
    }
    expect((await me(jwt.sign(claims, { aud: 'chattigo-api', expiresIn: 60 }))).statusCode).toBe(200);
  });
});

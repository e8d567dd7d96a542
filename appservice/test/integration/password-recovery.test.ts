import { createClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/features/accounts/passwords.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';
import { startSmtpServer, type ReceivedMail } from '../helpers/smtp.ts';
import { waitFor } from '../helpers/wait.ts';

describe('password recovery by mail', () => {
  let as: TestAppservice;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const tag = `${Date.now() % 1_000_000}`;
  const username = `lucia${tag}`;
  const email = `lucia.${tag}@example.com`;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    as = await startTestAppservice({}, { mail: { smtp: { host: '127.0.0.1', port: smtp.port } }, server: { publicUrl: 'https://chat.example.com' } });
    await as.running.db.query(
      `INSERT INTO accounts (username, display_name, email, password_hash) VALUES ($1, 'Lucía Fernández', $2, $3),
              ($4, 'Sin Correo', NULL, $3)`,
      [username, email, await hashPassword('la clave vieja'), `nomail${tag}`],
    );
    await as.running.app.gateway.registerUser(`${as.config.matrix.userPrefix}${username}`);
  });
  afterAll(async () => {
    await as?.stop();
    await smtp?.close();
  });

  const forgot = (identifier: string, lang = 'es') =>
    as.running.app.server.inject({
      method: 'POST',
      url: '/api/v1/password/forgot',
      headers: { 'accept-language': lang, host: 'evil.example.org' },
      payload: { identifier },
    });
  const reset = (token: string, password: string) =>
    as.running.app.server.inject({ method: 'POST', url: '/api/v1/password/reset', payload: { token, password } });
  /** The API session token the web client gets for a Matrix access token. */
  const apiSession = async (matrixToken: string) => {
    const response = await as.running.app.server.inject({ method: 'POST', url: '/api/v1/session', headers: { authorization: `Bearer ${matrixToken}` } });
    expect(response.statusCode).toBe(200);
    return response.json().token as string;
  };
  const me = (apiToken: string) =>
    as.running.app.server.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${apiToken}` } });
  const login = (password: string) =>
    createClient({ baseUrl: as.stack.homeserverUrl }).loginRequest({
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: username },
      password,
    });
  const linkIn = (mail: ReceivedMail) => {
    const match = /https:\/\/chat\.example\.com\/restablecer-contrasena\?token=([A-Za-z0-9_-]+)/.exec(mail.text);
    if (!match?.[1]) throw new Error(`no link in mail:\n${mail.raw}`);
    return { url: match[0], token: match[1] };
  };

  it('answers the same for an existing account, an unknown one and one without email, and mails only the first', async () => {
    const known = await forgot(username);
    const unknown = await forgot(`nadie${tag}`);
    const noEmail = await forgot(`nomail${tag}`);
    for (const response of [known, unknown, noEmail]) {
      expect(response.statusCode).toBe(202);
      expect(response.body).toBe(known.body);
    }
    expect(known.json().message).toContain('contacte al administrador de su campaña');
    expect((await forgot(username, 'en')).json().message).toContain('contact your campaign administrator');
    await waitFor(() => smtp.mails.length >= 2, 'the reset mails');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.mails.every((m) => m.to.join() === email)).toBe(true);
    expect(smtp.mails).toHaveLength(2);
  });

  it('builds the link from configuration, never from the Host header, and it works once', async () => {
    smtp.mails.length = 0;
    const { access_token: oldSession } = await login('la clave vieja');
    const oldApiSession = await apiSession(oldSession);
    expect((await me(oldApiSession)).statusCode).toBe(200);
    await forgot(email);
    await waitFor(() => smtp.mails.length === 1, 'the reset mail');
    const mail = smtp.mails[0];
    if (!mail) throw new Error('no mail');
    expect(mail.text).not.toContain('evil.example.org');
    expect(mail.subject).toContain('restablecer su contraseña');
    expect(mail.text).toContain('Lucía Fernández');
    const { token } = linkIn(mail);

    expect((await reset(token, 'corta')).json()).toMatchObject({ errcode: 'M_WEAK_PASSWORD' });
    const first = await reset(token, 'la clave nueva');
    expect(first.statusCode).toBe(200);
    const second = await reset(token, 'otra clave más');
    expect(second.statusCode).toBe(400);
    expect(second.json().errcode).toBe('CHATTIGO_INVALID_TOKEN');

    await expect(login('la clave vieja')).rejects.toHaveProperty('errcode', 'M_FORBIDDEN');
    const fresh = await login('la clave nueva');
    expect(fresh).toHaveProperty('user_id');
    // The sessions that existed before the reset were ended: Matrix and the API token.
    const old = createClient({ baseUrl: as.stack.homeserverUrl, accessToken: oldSession, userId: as.running.app.gateway.userIdFor(username) });
    await expect(old.whoami()).rejects.toHaveProperty('errcode', 'M_UNKNOWN_TOKEN');
    expect((await me(oldApiSession)).statusCode).toBe(401);
    expect((await me(await apiSession(fresh.access_token))).statusCode).toBe(200);
  });

  it('refuses an expired link, and earlier links once a newer one was used', async () => {
    smtp.mails.length = 0;
    await forgot(username);
    await forgot(username);
    await waitFor(() => smtp.mails.length === 2, 'two reset mails');
    const [a, b] = smtp.mails.map(linkIn);
    if (!a || !b) throw new Error('missing links');
    await as.running.db.query(`UPDATE password_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL AND username = $1 AND token_hash = encode(sha256($2::bytea), 'hex')`, [username, a.token]);
    expect((await reset(a.token, 'la clave vencida')).statusCode).toBe(400);
    expect((await reset(b.token, 'la tercera clave')).statusCode).toBe(200);
    expect((await reset(a.token, 'la clave vencida')).statusCode).toBe(400);
  });

  it('sends at most five reset links an hour to one account, answering the same every time', async () => {
    smtp.mails.length = 0;
    const [{ n } = { n: 0 }] = await as.running.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM password_tokens WHERE username = $1 AND purpose = 'reset' AND created_at > now() - interval '1 hour'`,
      [username],
    );
    const responses = [];
    for (let i = 0; i < 8; i++) responses.push(await forgot(username));
    expect(new Set(responses.map((r) => `${r.statusCode} ${r.body}`)).size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(smtp.mails.length).toBe(Math.max(0, 5 - n));
  });

  it('expires links within 30 minutes', async () => {
    const [row] = await as.running.db.query<{ minutes: number }>(
      `SELECT max(extract(epoch FROM expires_at - created_at) / 60)::float AS minutes FROM password_tokens WHERE purpose = 'reset'`,
    );
    expect(row?.minutes).toBeLessThanOrEqual(30);
  });
});

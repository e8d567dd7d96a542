import { createClient, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/features/accounts/passwords.ts';
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

  it('refuses a wrong password and an unknown account alike', async () => {
    await expect(login(username, 'not the password')).rejects.toMatchObject({ errcode: 'M_FORBIDDEN' });
    await expect(login('nobody_here', password)).rejects.toMatchObject({ errcode: 'M_FORBIDDEN' });
  });
});

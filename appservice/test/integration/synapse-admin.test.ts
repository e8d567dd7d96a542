import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'matrix-js-sdk';
import { SynapseAdmin } from '../../src/matrix/admin.ts';
import { loadSecrets } from '../../src/config/secrets.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';

describe('Synapse Admin API access', () => {
  let as: TestAppservice;

  beforeAll(async () => {
    as = await startTestAppservice();
  });
  afterAll(async () => {
    await as?.stop();
  });

  /** Registers a namespace user through the appservice and returns a client logged in as it. */
  async function newUser(localpart: string) {
    const { accessToken: token, userId } = await as.running.app.gateway.registerUser(localpart, { login: true });
    if (!token) throw new Error('no access token returned');
    return { userId, client: createClient({ baseUrl: as.stack.homeserverUrl, accessToken: token, userId }) };
  }

  it('locks an account so that its existing token stops working, and unlocks it', async () => {
    const { userId, client } = await newUser(`${as.config.matrix.userPrefix}lock_${Date.now()}`);
    await expect(client.whoami()).resolves.toMatchObject({ user_id: userId });
    await as.running.app.admin.setLocked(userId, true);
    await expect(client.whoami()).rejects.toMatchObject({ errcode: 'M_USER_LOCKED' });
    await as.running.app.admin.setLocked(userId, false);
    await expect(client.whoami()).resolves.toMatchObject({ user_id: userId });
  });

  it('logs out every device of an account', async () => {
    const { userId, client } = await newUser(`${as.config.matrix.userPrefix}logout_${Date.now()}`);
    expect(await as.running.app.admin.logoutDevices(userId)).toBeGreaterThanOrEqual(1);
    await expect(client.whoami()).rejects.toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
  });

  it('reuses its stored token in a new process, and recovers when the token is gone', async () => {
    const secrets = await loadSecrets(as.stack.secretsDir);
    const options = {
      homeserverUrl: as.stack.homeserverUrl,
      serverName: as.stack.serverName,
      localpart: `${as.config.matrix.botLocalpart}-admin`,
      sharedSecret: secrets.synapse_shared_secret,
    };
    const log = createLogger('silent');
    await as.running.app.admin.request('GET', '/_synapse/admin/v1/server_version');
    const [before] = await as.running.db.query<{ value: string }>(`SELECT value FROM service_credentials`);
    const second = new SynapseAdmin({ ...options, db: as.running.db, log });
    await second.request('GET', '/_synapse/admin/v1/server_version');
    const [after] = await as.running.db.query<{ value: string }>(`SELECT value FROM service_credentials`);
    expect(after?.value).toBe(before?.value);

    await as.running.db.query(`UPDATE service_credentials SET value = 'syt_revoked'`);
    const third = new SynapseAdmin({ ...options, db: as.running.db, log });
    await expect(third.request('GET', '/_synapse/admin/v1/server_version')).resolves.toHaveProperty('server_version');
  });
});

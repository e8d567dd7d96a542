import type { MatrixClient } from 'matrix-js-sdk';
import { expect } from 'vitest';
import type { App } from '../../src/app.ts';
import { loadSecrets } from '../../src/config/secrets.ts';
import { hashPassword } from '../../src/features/accounts/passwords.ts';
import type { AccountRow, CampaignRow } from '../../src/features/provisioning/import-schema.ts';
import type { TestAppservice } from './appservice.ts';
import { loginClient } from './matrix-clients.ts';

/**
 * The accounts of an integration test, as the platform provides them: imported through the
 * provisioning API with a password, logged in with a Matrix client (as Element would) and, for the
 * web client's side, with an API session.
 */

/** The password every account imported by `importAgents` has. */
export const TEST_PASSWORD = 'clave de prueba';

/** Names unique to one run of a test file (the stack and its Synapse are shared): `u('jose')` is `jose<t>`. */
export function runNames(): { t: string; u: (name: string) => string } {
  const t = Date.now().toString(36);
  return { t, u: (name) => `${name}${t}` };
}

export interface TestDirectory {
  campaigns: CampaignRow[];
  /** Each gets TEST_PASSWORD. */
  accounts: Omit<AccountRow, 'passwordHash'>[];
  typifications?: { campaign: string | null; code: string; label: string }[];
}

/** Imports `directory` through the provisioning API (PUT /api/v1/provisioning/directory); the test fails unless it is applied. */
export async function importAgents(as: TestAppservice, directory: TestDirectory): Promise<void> {
  const secrets = await loadSecrets(as.stack.secretsDir);
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const imported = await as.running.app.server.inject({
    method: 'PUT',
    url: '/api/v1/provisioning/directory',
    headers: { authorization: `Bearer ${secrets.provisioning_token}` },
    payload: { ...directory, accounts: directory.accounts.map((a) => ({ ...a, passwordHash })) },
  });
  expect(imported.statusCode, imported.body).toBe(200);
}

/** A Matrix client of an imported account, logged in with TEST_PASSWORD. */
export const loginAgent = (as: TestAppservice, username: string): Promise<MatrixClient> => loginClient(as.stack.homeserverUrl, username, TEST_PASSWORD);

/** The web client's API session of a logged-in Matrix client (POST /api/v1/session): its bearer token. */
export async function apiSession(app: App, client: MatrixClient): Promise<string> {
  const session = await app.server.inject({ method: 'POST', url: '/api/v1/session', headers: { authorization: `Bearer ${client.getAccessToken() ?? ''}` } });
  expect(session.statusCode, session.body).toBe(200);
  return session.json<{ token: string }>().token;
}

/** Opens a chat with `peer` through the API as the agent of `token` ("Mensaje directo"); its room id. */
export async function openChat(app: App, token: string, peer: string): Promise<string> {
  const opened = await app.server.inject({ method: 'POST', url: '/api/v1/chats', headers: { authorization: `Bearer ${token}` }, payload: { agent: peer } });
  expect(opened.statusCode, opened.body).toBe(201);
  return opened.json<{ chat: { roomId: string } }>().chat.roomId;
}

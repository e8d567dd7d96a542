import path from 'node:path';
import { loadSecrets } from '../../appservice/src/config/secrets.ts';
import { hashPassword } from '../../appservice/src/features/accounts/passwords.ts';
import { startTestAppservice, type TestAppservice } from '../../appservice/test/helpers/appservice.ts';
import { sessionToken } from '../../appservice/test/helpers/directory.ts';

export const PASSWORD = 'chattigo-e2e';

/** The test Synapse refuses uploads over 10 MiB (appservice/test/helpers/global-setup.ts); the appservice says the same. */
export const E2E_UPLOAD_LIMIT = 10 * 1024 * 1024;

export interface E2eAgent {
  username: string;
  displayName: string;
  campaigns: string[];
  email?: string;
  role?: 'agent' | 'supervisor' | 'admin';
}

export interface E2eStack {
  /** Where the browser opens the client (the appservice serves it). */
  url: string;
  appservice: TestAppservice;
  /** Sends workload reports as the Chattigo platform does (`PUT /api/v1/platform/workload`). */
  reportWorkload(reports: readonly { username: string; status: 'online' | 'away' | 'offline'; chatsInAttention: number }[]): Promise<void>;
  stop(): Promise<void>;
}

const distDir = path.resolve(import.meta.dirname, '..', 'dist');

/**
 * An appservice on the shared test Synapse, serving the built client, with a directory and
 * typification catalogs loaded through the provisioning API as the Chattigo platform does it.
 * Matrix users outlive a test file (one Synapse per run), so each file passes its own `tag`,
 * which ends every username.
 */
export async function startE2eStack(
  agents: readonly E2eAgent[],
  extraConfig: Record<string, unknown> = {},
): Promise<E2eStack> {
  const appservice = await startTestAppservice({}, { client: { distDir }, attachments: { maxSizeBytes: E2E_UPLOAD_LIMIT }, ...extraConfig });
  try {
    const secrets = await loadSecrets(appservice.stack.secretsDir, { generate: false });
    const passwordHash = await hashPassword(PASSWORD);
    const body = {
      campaigns: [
        { id: 'ventas', name: 'Ventas' },
        { id: 'soporte', name: 'Soporte técnico' },
      ],
      accounts: agents.map((a) => ({
        username: a.username,
        displayName: a.displayName,
        role: a.role ?? 'agent',
        campaigns: a.campaigns,
        passwordHash,
        ...(a.email ? { email: a.email } : {}),
      })),
      typifications: [
        { campaign: 'global', code: 'CONSULTA_RESUELTA', label: 'Consulta resuelta' },
        { campaign: 'global', code: 'SIN_RESPUESTA', label: 'Sin respuesta' },
        { campaign: 'ventas', code: 'VENTA_CERRADA', label: 'Venta cerrada' },
        { campaign: 'ventas', code: 'COTIZACION_ENVIADA', label: 'Cotización enviada' },
        { campaign: 'soporte', code: 'FALLA_RESUELTA', label: 'Falla resuelta' },
      ],
    };
    const response = await fetch(`${appservice.running.url}/api/v1/provisioning/directory`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${secrets.provisioning_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`directory import failed: ${response.status} ${await response.text()}`);
    return {
      url: appservice.running.url,
      appservice,
      async reportWorkload(reports) {
        const at = new Date().toISOString();
        const answer = await fetch(`${appservice.running.url}/api/v1/platform/workload`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${secrets.provisioning_token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ reports: reports.map((r) => ({ ...r, at })) }),
        });
        if (!answer.ok) throw new Error(`workload report failed: ${answer.status} ${await answer.text()}`);
      },
      stop: () => appservice.stop(),
    };
  } catch (err) {
    await appservice.stop();
    throw err;
  }
}

/** A short tag that keeps this run's usernames apart from other files' and runs'. */
export function runTag(prefix: string): string {
  return `${prefix}${(Date.now() % 1_000_000).toString(36)}`;
}

/** Opens a chat of `opener` with `peer` through the API, as the web client does; the chat's room id. */
export async function openChatThroughApi(stack: E2eStack, opener: string, peer: string): Promise<string> {
  const { app } = stack.appservice.running;
  const opened = await app.server.inject({
    method: 'POST',
    url: '/api/v1/chats',
    headers: { authorization: `Bearer ${sessionToken(app, opener)}` },
    payload: { agent: peer },
  });
  if (opened.statusCode !== 201) throw new Error(`could not open the chat: ${opened.body}`);
  return opened.json<{ chat: { roomId: string } }>().chat.roomId;
}

/**
 * Demo data for `./dev up`: three campaigns, 32 accounts with Spanish names (30 agents, a
 * supervisor, an admin) all with the password below, and typification catalogs (global and per
 * campaign), loaded through the provisioning route on a fresh install, plus a first workload
 * report as the Chattigo platform would send it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Secrets } from '../appservice/src/config/secrets.ts';
import { hashPassword } from '../appservice/src/features/accounts/passwords.ts';
import type { RunningAppservice } from '../appservice/src/server.ts';

export const DEMO_PASSWORD = 'chattigo-demo';
const demoFile = path.join(import.meta.dirname, '..', 'config', 'demo', 'directory.json');

interface DemoAccount {
  username: string;
  displayName: string;
  role: string;
  passwordHash?: string;
}

/** Loads the demo directory when the directory is empty; returns the demo accounts if present. */
export async function ensureDemoData(appservice: RunningAppservice, secrets: Secrets): Promise<{ loaded: boolean; accounts: DemoAccount[] }> {
  const demo = JSON.parse(await readFile(demoFile, 'utf8')) as { campaigns: unknown[]; accounts: DemoAccount[]; typifications: unknown[] };
  const [{ n } = { n: 0 }] = await appservice.db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  let loaded = false;
  if (n === 0) {
    const hash = await hashPassword(DEMO_PASSWORD);
    const response = await appservice.app.server.inject({
      method: 'PUT',
      url: '/api/v1/provisioning/directory',
      headers: { authorization: `Bearer ${secrets.provisioning_token}` },
      payload: { ...demo, accounts: demo.accounts.map((a) => ({ ...a, passwordHash: hash })) },
    });
    if (response.statusCode !== 200) throw new Error(`loading the demo data failed: ${response.body}`);
    // As the Chattigo platform would: a third of the agents online, each attending a few customer chats.
    const at = new Date().toISOString();
    const reports = demo.accounts
      .filter((a) => a.role === 'agent')
      .map((a, i) => ({ username: a.username, status: i % 3 === 0 ? 'online' : 'offline', chatsInAttention: i % 3 === 0 ? (i % 5) + 1 : 0, at }));
    const workload = await appservice.app.server.inject({
      method: 'PUT',
      url: '/api/v1/platform/workload',
      headers: { authorization: `Bearer ${secrets.provisioning_token}` },
      payload: { reports },
    });
    if (workload.statusCode !== 200) throw new Error(`loading the demo workload failed: ${workload.body}`);
    loaded = true;
  }
  const present = await appservice.db.query<{ username: string }>('SELECT username FROM accounts WHERE username = ANY($1)', [
    demo.accounts.map((a) => a.username),
  ]);
  const names = new Set(present.map((r) => r.username));
  return { loaded, accounts: demo.accounts.filter((a) => names.has(a.username)) };
}

export function describeDemoLogins(accounts: DemoAccount[]): string {
  if (accounts.length === 0) return '';
  const pick = (role: string, max: number) => accounts.filter((a) => a.role === role).slice(0, max);
  const rows = [...pick('admin', 1), ...pick('supervisor', 1), ...pick('agent', 4)];
  return [
    `  Demo logins (password for all: ${DEMO_PASSWORD}):`,
    ...rows.map((a) => `    ${a.username.padEnd(12)} ${a.role.padEnd(10)} ${a.displayName}`),
    `    … and ${accounts.length - rows.length} more agents (config/demo/directory.json)`,
  ].join('\n');
}

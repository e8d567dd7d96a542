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
  const demo = JSON.parse(await readFile(demoFile, 'utf8')) as { campaigns: unknown[] } & DemoDirectory;
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
    await seedDemoChats(appservice, demo);
    loaded = true;
  }
  const present = await appservice.db.query<{ username: string }>('SELECT username FROM accounts WHERE username = ANY($1)', [
    demo.accounts.map((a) => a.username),
  ]);
  const names = new Set(present.map((r) => r.username));
  return { loaded, accounts: demo.accounts.filter((a) => names.has(a.username)) };
}

interface DemoDirectory {
  accounts: (DemoAccount & { campaigns?: string[] })[];
  typifications: { campaign: string; code: string; label: string }[];
}

/** A small deterministic pseudo-random sequence (the same demo every time). */
function sequence(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

/**
 * Closed chats for the supervisor's reports. A handful are real: rooms opened through the chats
 * feature, with a few messages, most of them closed (these can be reviewed). The rest, a few
 * hundred over the last three weeks, are rows in the `chats` table only, with room ids that exist
 * in no homeserver (`!demo-…:demo.invalid`): they count in reports, but reviewing one says the
 * history cannot be read.
 */
async function seedDemoChats(appservice: RunningAppservice, demo: DemoDirectory): Promise<void> {
  const { app, db } = appservice;
  const agents = demo.accounts.filter((a) => a.role === 'agent');
  const campaignsOf = (a: { campaigns?: string[] }) => a.campaigns ?? [];
  const codesOf = (campaign: string) => demo.typifications.filter((t) => t.campaign === campaign || t.campaign === 'global');
  const pairs: { a: string; b: string; campaign: string }[] = [];
  for (const a of agents) {
    for (const b of agents) {
      const shared = campaignsOf(a).find((c) => campaignsOf(b).includes(c));
      if (a.username < b.username && shared) pairs.push({ a: a.username, b: b.username, campaign: shared });
    }
  }
  const rnd = sequence(16);
  const pick = <T>(list: readonly T[]): T => {
    const item = list[Math.floor(rnd() * list.length)];
    if (item === undefined) throw new Error('demo: nothing to pick from');
    return item;
  };

  // Real rooms with messages. A failure here (Synapse slow to start) leaves the demo without
  // reviewable chats but does not stop `./dev up`.
  const lines = ['Hola, ¿me ayudas con un cliente?', 'Claro, cuéntame.', 'Pide la cotización del plan anual.', 'Te la envío ahora.'];
  try {
    for (const [i, pair] of pairs.slice(0, 5).entries()) {
      const { chat } = await app.chats.open(pair.a, pair.b, pair.campaign);
      for (const [j, line] of lines.slice(0, 2 + (i % 3)).entries()) {
        const sender = j % 2 === 0 ? pair.a : pair.b;
        await app.gateway.intent(app.gateway.userIdFor(sender)).sendTextMessage(chat.roomId, line);
      }
      if (i < 4) await app.chats.close(chat.roomId, pair.a, pick(codesOf(pair.campaign)).code);
    }
  } catch (err) {
    app.server.log.warn({ err }, 'demo: could not create the demo chat rooms; reports still get the demo rows');
  }

  // Rows only, over the last 21 days, between 08:00 and 20:00 UTC−3.
  const rows = Array.from({ length: 320 }, (_, i) => {
    const pair = pick(pairs);
    const typification = pick(codesOf(pair.campaign));
    const day = Math.floor(rnd() * 21) + 1;
    const opened = new Date(Date.now() - day * 86_400_000);
    opened.setUTCHours(11 + Math.floor(rnd() * 12), Math.floor(rnd() * 60), Math.floor(rnd() * 60), 0);
    const duration = Math.round(60 + rnd() ** 2 * 3600);
    const answer = rnd() < 0.1 ? null : Math.round(5 + rnd() ** 2 * Math.min(600, duration - 5));
    const [openedBy, peer] = rnd() < 0.5 ? [pair.a, pair.b] : [pair.b, pair.a];
    return {
      roomId: `!demo-${i}:demo.invalid`,
      openedBy,
      peer,
      pairKey: `demo-${i}`,
      campaign: pair.campaign,
      openedAt: opened.toISOString(),
      closedBy: rnd() < 0.5 ? openedBy : peer,
      closedAt: new Date(opened.getTime() + duration * 1000).toISOString(),
      code: typification.code,
      label: typification.label,
      answerAt: answer === null ? null : new Date(opened.getTime() + answer * 1000).toISOString(),
    };
  });
  const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((r) => r[key]);
  await db.query(
    `INSERT INTO chats (room_id, opened_by, peer, pair_key, campaign_id, status, opened_at, closed_by, closed_at, typification_code, typification_label, first_answer_at)
     SELECT room_id, opened_by, peer, pair_key, campaign_id, 'closed', opened_at, closed_by, closed_at, code, label, answer_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::timestamptz[], $9::text[], $10::text[], $11::timestamptz[])
         AS r(room_id, opened_by, peer, pair_key, campaign_id, opened_at, closed_by, closed_at, code, label, answer_at)`,
    [
      column('roomId'),
      column('openedBy'),
      column('peer'),
      column('pairKey'),
      column('campaign'),
      column('openedAt'),
      column('closedBy'),
      column('closedAt'),
      column('code'),
      column('label'),
      column('answerAt'),
    ],
  );
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

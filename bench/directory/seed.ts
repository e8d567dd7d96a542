import type { Queryable } from '../../appservice/src/db/database.ts';
import { foldName } from '../../appservice/src/features/directory/normalize.ts';

const FIRST = [
  'José', 'María', 'Jesús', 'Ramón', 'Inés', 'Sofía', 'Lucía', 'Martín', 'Andrés', 'Álvaro', 'Óscar', 'Raúl',
  'Mónica', 'Verónica', 'Begoña', 'Íñigo', 'Adrián', 'Joaquín', 'Sebastián', 'Valentina', 'Camila', 'Daniela',
  'Nicolás', 'Matías', 'Tomás', 'Agustín', 'Benjamín', 'Florencia', 'Catalina', 'Antonia', 'Pedro', 'Juan',
  'Ana', 'Carmen', 'Luis', 'Carlos', 'Javier', 'Miguel', 'Rocío', 'Belén', 'Ángela', 'Héctor', 'Germán', 'Noemí',
];
const SURNAMES = [
  'Pérez', 'González', 'Rodríguez', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Gómez', 'Díaz', 'Hernández',
  'Muñoz', 'Álvarez', 'Jiménez', 'Ruiz', 'Romero', 'Núñez', 'Castaño', 'Ibáñez', 'Peña', 'Cañas', 'Ortiz',
  'Rojas', 'Vásquez', 'Contreras', 'Sepúlveda', 'Morales', 'Gutiérrez', 'Castillo', 'Suárez', 'Cárdenas',
  'Fuentes', 'Valenzuela', 'Araya', 'Espinoza', 'Tapia', 'Reyes', 'Figueroa', 'Cortés', 'Ramírez', 'Véliz',
];
const CAMPAIGN_WORDS = ['Ventas', 'Soporte', 'Cobranza', 'Retención', 'Postventa', 'Reclamos', 'Atención', 'Logística'];

/** A small deterministic PRNG (mulberry32), so every run seeds the same directory. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeededDirectory {
  usernames: string[];
  viewer: string;
}

async function insertJson(db: Queryable, sql: string, rows: readonly object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await db.query(sql, [JSON.stringify(rows.slice(i, i + 2000))]);
  }
}

/**
 * Seeds `agents` accounts with Spanish names (accents included), `campaigns` campaigns, one to
 * three memberships per agent, and a workload for most agents: a third online in the platform,
 * some with a live Matrix session.
 */
export async function seedDirectory(db: Queryable, agents: number, campaigns: number): Promise<SeededDirectory> {
  const rnd = random(20_240_601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;

  const campaignRows = Array.from({ length: campaigns }, (_, i) => ({
    id: `c${String(i).padStart(3, '0')}`,
    name: `${pick(CAMPAIGN_WORDS)} ${i + 1}`,
  }));
  await insertJson(db, `INSERT INTO campaigns (id, name) SELECT id, name FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text)`, campaignRows);

  const accounts: { username: string; display_name: string; role: string }[] = [];
  const taken = new Set<string>();
  for (let i = 0; i < agents; i++) {
    const first = rnd() < 0.3 ? `${pick(FIRST)} ${pick(FIRST)}` : pick(FIRST);
    const [s1, s2] = [pick(SURNAMES), pick(SURNAMES)];
    const base = foldName(`${first[0]}${s1}`).replace(/[^a-z0-9]/g, '');
    let username = base;
    for (let n = 2; taken.has(username); n++) username = `${base}${n}`;
    taken.add(username);
    accounts.push({ username, display_name: `${first} ${s1} ${s2}`, role: rnd() < 0.05 ? 'supervisor' : 'agent' });
  }
  await insertJson(
    db,
    `INSERT INTO accounts (username, display_name, role)
     SELECT username, display_name, role FROM jsonb_to_recordset($1::jsonb) AS r(username text, display_name text, role text)`,
    accounts,
  );

  const memberships: { username: string; campaign_id: string }[] = [];
  for (const { username } of accounts) {
    const count = 1 + Math.floor(rnd() * 3);
    const mine = new Set<string>();
    while (mine.size < count) mine.add(pick(campaignRows).id);
    for (const campaign_id of mine) memberships.push({ username, campaign_id });
  }
  await insertJson(
    db,
    `INSERT INTO memberships (username, campaign_id)
     SELECT username, campaign_id FROM jsonb_to_recordset($1::jsonb) AS r(username text, campaign_id text)`,
    memberships,
  );

  const now = Date.now();
  const workloads = accounts
    .filter(() => rnd() < 0.9)
    .map(({ username }) => {
      const r = rnd();
      return {
        username,
        platform_status: r < 0.33 ? 'online' : r < 0.45 ? 'away' : 'offline',
        chats: r < 0.45 ? Math.floor(rnd() * 8) : 0,
        reported_at: new Date(now - 60_000).toISOString(),
        presence: rnd() < 0.15 ? 'online' : 'offline',
      };
    });
  await insertJson(
    db,
    `INSERT INTO agent_workload (username, platform_status, chats_in_attention, reported_at, presence, presence_at)
     SELECT username, platform_status, chats, reported_at::timestamptz, presence, now()
       FROM jsonb_to_recordset($1::jsonb) AS r(username text, platform_status text, chats integer, reported_at text, presence text)`,
    workloads,
  );
  await db.query('ANALYZE');
  return { usernames: accounts.map((a) => a.username), viewer: accounts[0]?.username ?? '' };
}

import { expect } from 'vitest';
import { duplicateTransactions } from './api.ts';
import { CHATS_SQL, clean, DEAD_LETTERS_SQL, JOURNAL_PENDING_SQL, judge, observeMatrix, type DatabaseSide, type ScenarioCounts, type Watched } from './checks.ts';
import { joinedRooms, type Agent } from './matrix.ts';
import { recordRow } from './report.ts';
import type { FaultStack } from './stack.ts';
import { envNumber, sleep } from './time.ts';
import type { ChatRoom } from './traffic.ts';

/** How long a scenario waits, after its fault, for everything to be answered before counting. */
export const settleMs = () => envNumber('FAULT_SETTLE_MS', 45_000);

/** What one scenario sent, and the rooms to count. */
export class Scenario {
  readonly name: string;
  readonly started = Date.now();
  readonly rooms = new Map<string, string>();
  readonly closeRequested = new Set<string>();
  extraEvents = 0;
  /** Said in the table's detail column (e.g. "the appservice process died"). */
  readonly notes: string[] = [];
  private botRoomsBefore = new Set<string>();

  constructor(name: string) {
    this.name = name;
  }

  /** Remembers the rooms the bot is in already: only rooms made during the scenario are checked for orphans. */
  async snapshot(hs: string, botToken: string): Promise<this> {
    this.botRoomsBefore = new Set(await joinedRooms(hs, botToken));
    return this;
  }

  watch(roomId: string, reader: Agent): void {
    this.rooms.set(roomId, reader.token);
  }

  watched(): Watched {
    return { rooms: this.rooms, closeRequested: this.closeRequested, botRoomsBefore: this.botRoomsBefore, extraEvents: this.extraEvents };
  }

  /** Waits (bounded) until everything settled, then counts and records the row. */
  async finish(stack: FaultStack, faultEnd: number, waitMs = settleMs()): Promise<ScenarioCounts> {
    const counts = await settle(() => countNow(stack, this.watched(), faultEnd), clean, waitMs);
    if (!stack.appservice.running()) this.notes.push('the appservice process had exited at the count');
    await this.noteDuplicateTransactions(stack.appservice.url);
    return this.record(counts);
  }

  /** Says in the notes how many transactions the appservice took as already seen, when any. */
  async noteDuplicateTransactions(appserviceUrl: string): Promise<void> {
    const duplicates = await duplicateTransactions(appserviceUrl);
    if (duplicates) this.notes.push(`${duplicates} transactions taken as duplicates`);
  }

  /** Adds the notes to the detail and writes the row of the table. */
  async record(counts: ScenarioCounts): Promise<ScenarioCounts> {
    const noted = { ...counts, detail: [counts.detail, ...this.notes].join('; ') };
    await recordRow({ scenario: this.name, ...noted, seconds: (Date.now() - this.started) / 1000 });
    return noted;
  }
}

/**
 * Counts every 2 s until `done` holds or `waitMs` passed; the last counts. A count that fails
 * (Synapse still starting) is tried again until the deadline, then its error is the scenario's.
 */
export async function settle(count: () => Promise<ScenarioCounts>, done: (c: ScenarioCounts) => boolean, waitMs: number): Promise<ScenarioCounts> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const counts = await count().catch((err: unknown) => {
      if (Date.now() > deadline) throw err;
      return undefined;
    });
    if (counts && (done(counts) || Date.now() > deadline)) return counts;
    await sleep(2000);
  }
}

export async function databaseSide(query: <T extends object>(sql: string) => Promise<T[]>): Promise<DatabaseSide> {
  const chats = await query<DatabaseSide['chats'][number]>(CHATS_SQL);
  const [pending] = await query<{ n: number }>(JOURNAL_PENDING_SQL);
  const letters = await query<{ reason: string }>(DEAD_LETTERS_SQL);
  return { chats, journalPending: pending?.n ?? 0, deadLetters: letters.map((l) => l.reason) };
}

/** Counts now, from the rooms' history (as their agents and the bot) and PostgreSQL. */
export async function countNow(stack: Pick<FaultStack, 'homeserverUrl' | 'secrets' | 'pg' | 'botUserId'>, watched: Watched, faultEnd: number): Promise<ScenarioCounts> {
  const matrix = await observeMatrix(stack.homeserverUrl, stack.secrets.as_token, watched);
  const db = await databaseSide(async <T extends object>(sql: string) => (await stack.pg.query(sql)).rows as T[]);
  return judge(matrix, db, watched, stack.botUserId, faultEnd);
}

/**
 * Runs a scenario body; when the harness itself fails (a stack that does not start, Synapse not
 * coming back) the row says so in the table before the error fails the test.
 */
export async function runScenario(name: string, body: (scenario: Scenario) => Promise<ScenarioCounts>): Promise<ScenarioCounts> {
  const scenario = new Scenario(name);
  try {
    return await body(scenario);
  } catch (err) {
    await recordRow({ scenario: name, error: err instanceof Error ? err.message.split('\n')[0] : String(err), seconds: (Date.now() - scenario.started) / 1000 });
    throw err;
  }
}

/** The assertions every scenario makes. */
export function expectClean(counts: ScenarioCounts): void {
  const { lost, duplicated, orphans, halfClosed, journalPending } = counts;
  expect({ lost, duplicated, orphans, halfClosed, journalPending }, counts.detail).toEqual({
    lost: 0,
    duplicated: 0,
    orphans: 0,
    halfClosed: 0,
    journalPending: 0,
  });
  expect(counts.events).toBeGreaterThan(0);
}

/** Opens a managed chat for each pair through the API ("Mensaje directo"); each is watched by `scenario`. */
export async function openChats(stack: Pick<FaultStack, 'api'>, scenario: Scenario, pairs: readonly (readonly [Agent, Agent])[]): Promise<ChatRoom[]> {
  const rooms: ChatRoom[] = [];
  for (const [a, b] of pairs) {
    const opened = await stack.api.get(a.username)?.open(b.username);
    if (!opened) throw new Error(`could not open a chat between ${a.username} and ${b.username}`);
    scenario.watch(opened.roomId, a);
    rooms.push({ roomId: opened.roomId, agents: [a, b] });
  }
  return rooms;
}

/** Pairs of agents (1,2), (3,4), … from the stack's agents, starting at `from`. */
export function pairs(agents: readonly Agent[], count: number, from = 0): [Agent, Agent][] {
  const result: [Agent, Agent][] = [];
  for (let i = 0; i < count; i++) {
    const a = agents[from + 2 * i];
    const b = agents[from + 2 * i + 1];
    if (!a || !b) throw new Error(`not enough agents for ${count} pairs from ${from}`);
    result.push([a, b]);
  }
  return result;
}

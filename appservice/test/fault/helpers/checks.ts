import { CHAT_STATE } from '@chattigo/contracts/event-types';
import { history, joinedRooms, stateOf, type RoomEvent } from './matrix.ts';

/**
 * The counts of one scenario, read from what users see (each room's history as one of its
 * agents, the rooms' state as the bot) and from PostgreSQL (chat rows, the journal).
 */
export interface ScenarioCounts {
  events: number;
  lost: number;
  duplicated: number;
  /** From the end of the fault to the first command answered after it; null when none was. */
  recoverySeconds: number | null;
  orphans: number;
  halfClosed: number;
  journalPending: number;
  detail: string;
}

/** Rooms of a scenario: each read as `token` (one of its agents); `closed` = closes that were asked for. */
export interface Watched {
  rooms: ReadonlyMap<string, string>;
  closeRequested: ReadonlySet<string>;
  /** Rooms the bot had joined before the scenario: not this scenario's. */
  botRoomsBefore: ReadonlySet<string>;
  /** Extra non-command events sent (hostile messages), counted in `events`. */
  extraEvents?: number;
}

export interface MatrixSide {
  rooms: { roomId: string; events: RoomEvent[] }[];
  botRooms: { roomId: string; status?: string; eventsDefault?: number }[];
}

/** The database side, from PostgreSQL or (for `./dev up`) from the embedded store after it stopped. */
export interface DatabaseSide {
  chats: { room_id: string; status: string; typification_code: string | null }[];
  journalPending: number;
  /** Reasons of the dead letters written. */
  deadLetters?: string[];
}

export const JOURNAL_PENDING_SQL = 'SELECT count(*)::int AS n FROM appservice_events WHERE processed_at IS NULL';
export const CHATS_SQL = 'SELECT room_id, status, typification_code FROM chats';
/** Events set aside (not usable, or given up after failures): they count as left in the journal. */
export const DEAD_LETTERS_SQL = 'SELECT reason FROM appservice_dead_letters ORDER BY id';

const isClosureNotice = (body: unknown) =>
  typeof body === 'string' && (body.includes('cerró este chat con la tipificación') || body.includes('closed this chat with the typification'));

export async function observeMatrix(hs: string, botToken: string, watched: Watched): Promise<MatrixSide> {
  const rooms: MatrixSide['rooms'] = [];
  for (const [roomId, token] of watched.rooms) rooms.push({ roomId, events: await history(hs, token, roomId) });
  const botRooms: MatrixSide['botRooms'] = [];
  for (const roomId of await joinedRooms(hs, botToken)) {
    if (watched.botRoomsBefore.has(roomId)) continue;
    const chat = await stateOf<{ status?: string }>(hs, botToken, roomId, CHAT_STATE);
    if (!chat) continue;
    const levels = await stateOf<{ events_default?: number }>(hs, botToken, roomId, 'm.room.power_levels');
    botRooms.push({ roomId, status: chat.status, eventsDefault: levels?.events_default ?? 0 });
  }
  return { rooms, botRooms };
}

export function judge(matrix: MatrixSide, db: DatabaseSide, watched: Watched, botUserId: string, faultEnd: number): ScenarioCounts {
  const c = { commands: 0, cmdLost: 0, cmdDup: 0, files: 0, fileLost: 0, closes: 0, closeLost: 0, closeDup: 0 };
  let firstAnswer: number | null = null;
  const rows = new Map(db.chats.map((r) => [r.room_id, r]));
  for (const { roomId, events } of matrix.rooms) {
    const replies = new Map<string, number[]>();
    let closureNotices = 0;
    for (const e of events) {
      if (e.sender !== botUserId || e.content['msgtype'] !== 'm.notice') continue;
      if (isClosureNotice(e.content['body'])) closureNotices++;
      const relates = e.content['m.relates_to'] as { 'm.in_reply_to'?: { event_id?: string } } | undefined;
      const to = relates?.['m.in_reply_to']?.event_id;
      if (to) replies.set(to, [...(replies.get(to) ?? []), e.origin_server_ts]);
    }
    for (const e of events) {
      if (e.sender === botUserId || e.type !== 'm.room.message') continue;
      const redacted = e.unsigned?.['redacted_because'] !== undefined;
      if (e.content['msgtype'] === 'm.video' || (redacted && Object.keys(e.content).length === 0)) {
        c.files++;
        if (!redacted) c.fileLost++;
        continue;
      }
      const body = e.content['body'];
      if (typeof body !== 'string' || !body.startsWith('!')) continue;
      c.commands++;
      const answers = replies.get(e.event_id) ?? [];
      if (answers.length === 0) c.cmdLost++;
      if (answers.length > 1) c.cmdDup += answers.length - 1;
      for (const ts of answers) if (ts >= faultEnd && (firstAnswer === null || ts < firstAnswer)) firstAnswer = ts;
    }
    if (watched.closeRequested.has(roomId)) {
      c.closes++;
      const row = rows.get(roomId);
      if (row?.status !== 'closed' || !row.typification_code || closureNotices === 0) c.closeLost++;
      if (closureNotices > 1) c.closeDup += closureNotices - 1;
    }
  }
  let orphans = 0;
  let halfClosed = 0;
  for (const room of matrix.botRooms) {
    const row = rows.get(room.roomId);
    if (!row) {
      orphans++;
      continue;
    }
    const closed = [room.status === 'closed', row.status === 'closed', room.eventsDefault === 100];
    if (closed.some((x) => x !== closed[0])) halfClosed++;
  }
  return {
    events: c.commands + c.files + c.closes + (watched.extraEvents ?? 0),
    lost: c.cmdLost + c.fileLost + c.closeLost,
    duplicated: c.cmdDup + c.closeDup,
    recoverySeconds: firstAnswer === null ? null : Math.max(0, (firstAnswer - faultEnd) / 1000),
    orphans,
    halfClosed,
    journalPending: db.journalPending + (db.deadLetters?.length ?? 0),
    detail:
      `commands ${c.commands} (lost ${c.cmdLost}, dup ${c.cmdDup}); files ${c.files} (not redacted ${c.fileLost}); ` +
      `closes ${c.closes} (lost ${c.closeLost}, dup ${c.closeDup})` +
      (db.deadLetters?.length ? `; dead letters: ${db.deadLetters.map((r) => r.slice(0, 120)).join(' | ')}` : ''),
  };
}

/** Everything settled: nothing lost or doubled, no orphan or half-closed room, journal empty. */
export const clean = (counts: ScenarioCounts) =>
  counts.lost === 0 && counts.duplicated === 0 && counts.orphans === 0 && counts.halfClosed === 0 && counts.journalPending === 0;

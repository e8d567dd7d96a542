import { describe, expect, it } from 'vitest';
import { judge, type MatrixSide, type Watched } from '../fault/helpers/checks.ts';
import type { RoomEvent } from '../fault/helpers/matrix.ts';
import { renderTable } from '../fault/helpers/report.ts';

/** The fault tests' counting, on made-up histories: what counts as lost, doubled, orphan, half-closed. */
const bot = '@chattigo:fault.test';
const agent = '@chattigo_a:fault.test';
let n = 0;
const ev = (sender: string, content: Record<string, unknown>, ts = 1000, unsigned?: Record<string, unknown>): RoomEvent => ({
  event_id: `$e${++n}`,
  type: 'm.room.message',
  sender,
  origin_server_ts: ts,
  content,
  ...(unsigned ? { unsigned } : {}),
});
const command = (ts = 1000) => ev(agent, { msgtype: 'm.text', body: '!tipificaciones' }, ts);
const reply = (to: RoomEvent, ts: number, body = 'Tipificaciones válidas') =>
  ev(bot, { msgtype: 'm.notice', body, 'm.relates_to': { 'm.in_reply_to': { event_id: to.event_id } } }, ts);
const closure = 'Agente cerró este chat con la tipificación FAULT_OK — Cerrado. El chat queda de solo lectura.';
const watched = (rooms: string[], closeRequested: string[] = []): Watched => ({
  rooms: new Map(rooms.map((r) => [r, 'token'])),
  closeRequested: new Set(closeRequested),
  botRoomsBefore: new Set(),
});

describe('fault counts', () => {
  it('counts unanswered and doubly answered commands, unredacted files, and the first answer after the fault', () => {
    const [a, b, c] = [command(), command(), command(5000)];
    const events = [
      a,
      reply(a, 1100),
      b,
      c,
      reply(c, 6000),
      reply(c, 6100),
      ev(agent, { msgtype: 'm.video', body: 'video.mp4', url: 'mxc://x/y' }),
      ev(agent, {}, 1000, { redacted_because: { type: 'm.room.redaction' } }),
    ];
    const matrix: MatrixSide = { rooms: [{ roomId: '!r', events }], botRooms: [] };
    const counts = judge(matrix, { chats: [], journalPending: 2 }, watched(['!r']), bot, 4000);
    expect(counts).toMatchObject({ events: 5, lost: 2, duplicated: 1, recoverySeconds: 2, journalPending: 2 });
    expect(counts.detail).toContain('commands 3 (lost 1, dup 1); files 2 (not redacted 1)');
  });

  it('wants each requested close recorded with exactly one notice, and no orphan or half-closed room', () => {
    const rooms = ['!once', '!twice', '!none', '!unrecorded'];
    const notices = { '!once': 1, '!twice': 2, '!none': 0, '!unrecorded': 1 } as Record<string, number>;
    const matrix: MatrixSide = {
      rooms: rooms.map((roomId) => ({ roomId, events: Array.from({ length: notices[roomId] ?? 0 }, () => ev(bot, { msgtype: 'm.notice', body: closure })) })),
      botRooms: [
        { roomId: '!once', status: 'closed', eventsDefault: 100 },
        { roomId: '!twice', status: 'closed', eventsDefault: 0 },
        { roomId: '!orphan', status: 'open', eventsDefault: 0 },
      ],
    };
    const chats = [
      { room_id: '!once', status: 'closed', typification_code: 'FAULT_OK' },
      { room_id: '!twice', status: 'closed', typification_code: 'FAULT_OK' },
      { room_id: '!none', status: 'closed', typification_code: 'FAULT_OK' },
      { room_id: '!unrecorded', status: 'open', typification_code: null },
    ];
    const counts = judge(matrix, { chats, journalPending: 0 }, watched(rooms, rooms), bot, 0);
    expect(counts).toMatchObject({ events: 4, lost: 2, duplicated: 1, orphans: 1, halfClosed: 1, recoverySeconds: null });
  });

  it('renders a row the harness could not count', () => {
    const table = renderTable([{ scenario: 'x', error: 'Synapse did not start', seconds: 3 }]);
    expect(table).toContain('harness error: Synapse did not start');
    expect(table.split('\n')).toHaveLength(3);
  });
});

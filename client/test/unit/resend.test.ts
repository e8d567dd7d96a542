import { ConnectionError, EventStatus, HTTPError, MatrixError, SyncState } from 'matrix-js-sdk';
import { describe, expect, it } from 'vitest';
import { eventsToResend, failedForConnection, resendFailed, watchConnection, type PendingEventLike, type RoomLike } from '../../src/matrix/resend.ts';

interface FakeEvent extends PendingEventLike {
  id: string;
}

const offline = () => new ConnectionError('fetch failed', new TypeError('Failed to fetch'));
const forbidden = () => new MatrixError({ errcode: 'M_FORBIDDEN', error: 'You do not have permission' }, 403);

const event = (id: string, status: EventStatus | null, error: unknown = null): FakeEvent => ({ id, status, error });
type FakeRoom = RoomLike<FakeEvent>;
const room = (events: FakeEvent[], membership = 'join'): FakeRoom => ({
  getMyMembership: () => membership,
  getLiveTimeline: () => ({ getEvents: () => events }),
});

describe('failedForConnection', () => {
  it('is true for no answer at all, a timeout or a 5xx on the way', () => {
    expect(failedForConnection(offline())).toBe(true);
    expect(failedForConnection(new DOMException('timed out', 'TimeoutError'))).toBe(true);
    expect(failedForConnection(new HTTPError('Bad gateway', 502))).toBe(true);
  });
  it('is false for an answer that refuses the message, or no error at all', () => {
    expect(failedForConnection(forbidden())).toBe(false);
    expect(failedForConnection(new MatrixError({ errcode: 'M_TOO_LARGE' }, 413))).toBe(false);
    expect(failedForConnection(null)).toBe(false);
    expect(failedForConnection('offline')).toBe(false);
  });
});

describe('watchConnection', () => {
  it('says the connection returned when the sync is live again after failing, once', () => {
    let away = false;
    const steps: boolean[] = [];
    for (const state of [SyncState.Prepared, SyncState.Syncing, SyncState.Reconnecting, SyncState.Error, SyncState.Catchup, SyncState.Syncing, SyncState.Syncing]) {
      const step = watchConnection(away, state);
      away = step.away;
      steps.push(step.returned);
    }
    expect(steps).toEqual([false, false, false, false, false, true, false]);
  });
  it('also after a failed first sync that is then prepared', () => {
    expect(watchConnection(watchConnection(false, SyncState.Error).away, SyncState.Prepared)).toEqual({ away: false, returned: true });
  });
});

describe('eventsToResend', () => {
  it('picks, oldest first, the events not sent for want of a connection in a joined room', () => {
    const events = [event('a', null), event('b', EventStatus.NOT_SENT, offline()), event('c', EventStatus.NOT_SENT, forbidden()), event('d', EventStatus.SENDING), event('e', EventStatus.NOT_SENT, offline())];
    expect(eventsToResend(room(events)).map((e) => e.id)).toEqual(['b', 'e']);
    expect(eventsToResend(room(events, 'leave'))).toEqual([]);
  });
});

describe('resendFailed', () => {
  const sender = (outcome: (e: FakeEvent) => unknown) => {
    const sent: string[] = [];
    const resend = async (e: FakeEvent) => {
      sent.push(e.id);
      e.status = EventStatus.SENDING;
      const error = outcome(e);
      await Promise.resolve();
      if (error) {
        e.status = EventStatus.NOT_SENT;
        e.error = error;
        throw error;
      }
      e.status = null;
    };
    return { sent, resend };
  };

  it('sends them one after the other in order, room by room; a refused one stays failed and the next goes', async () => {
    const one = [event('1', EventStatus.NOT_SENT, offline()), event('2', EventStatus.NOT_SENT, offline()), event('3', EventStatus.NOT_SENT, offline())];
    const two = [event('4', EventStatus.NOT_SENT, offline())];
    const { sent, resend } = sender((e) => (e.id === '2' ? forbidden() : null));
    await resendFailed<FakeEvent, FakeRoom>([room(one), room(two)], resend, () => false);
    expect(sent).toEqual(['1', '2', '3', '4']);
    expect(one.map((e) => e.status)).toEqual([null, EventStatus.NOT_SENT, null]);
    expect(two[0]?.status).toBeNull();
  });

  it('stops at the first that fails for want of a connection again: none overtakes it', async () => {
    const events = [event('1', EventStatus.NOT_SENT, offline()), event('2', EventStatus.NOT_SENT, offline()), event('3', EventStatus.NOT_SENT, offline())];
    const { sent, resend } = sender((e) => (e.id === '2' ? offline() : null));
    await resendFailed<FakeEvent, FakeRoom>([room(events)], resend, () => false);
    expect(sent).toEqual(['1', '2']);
    expect(events.map((e) => e.status)).toEqual([null, EventStatus.NOT_SENT, EventStatus.NOT_SENT]);
  });

  it('skips one already sent again by its retry button, and stops when told', async () => {
    const events = [event('1', EventStatus.NOT_SENT, offline()), event('2', EventStatus.NOT_SENT, offline())];
    let stop = false;
    const { sent, resend } = sender(() => null);
    await resendFailed<FakeEvent, FakeRoom>(
      [room(events)],
      async (e) => {
        await resend(e);
        stop = true;
      },
      () => stop,
    );
    expect(sent).toEqual(['1']);

    const again = [event('1', EventStatus.NOT_SENT, offline()), event('2', EventStatus.NOT_SENT, offline())];
    const second = sender(() => null);
    await resendFailed<FakeEvent, FakeRoom>(
      [room(again)],
      async (e) => {
        if (e.id === '1' && again[1]) again[1].status = EventStatus.SENDING; // its button pressed meanwhile
        await second.resend(e);
      },
      () => false,
    );
    expect(second.sent).toEqual(['1']);
  });
});

import { EventStatus, SyncState } from 'matrix-js-sdk';

/**
 * Messages that could not be sent because the homeserver was out of reach are sent again, in the
 * order they were written, when the sync is live again. A message the homeserver refused (a 4xx:
 * the chat was closed, the file too large…) stays failed, with its retry button.
 */

/** Whether a send failed for want of a connection: no answer at all, a timeout, or a 5xx from the way there. */
export function failedForConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConnectionError' || error.name === 'AbortError' || error.name === 'TimeoutError') return true;
  const status: unknown = 'httpStatus' in error ? error.httpStatus : undefined;
  return typeof status === 'number' && status >= 500;
}

export interface ConnectionWatch {
  /** The sync has failed since it was last live. */
  away: boolean;
  /** This sync state is the sync live again after having failed: time to resend. */
  returned: boolean;
}

/** The next step of watching the sync state: lost at ERROR or RECONNECTING, back at SYNCING or PREPARED. */
export function watchConnection(away: boolean, state: SyncState | null): ConnectionWatch {
  if (state === SyncState.Error || state === SyncState.Reconnecting) return { away: true, returned: false };
  if (away && (state === SyncState.Syncing || state === SyncState.Prepared)) return { away: false, returned: true };
  return { away, returned: false };
}

/** The parts of a MatrixEvent read here. */
export interface PendingEventLike {
  status: EventStatus | null;
  error: unknown;
}

/** The parts of a Room read here. */
export interface RoomLike<E extends PendingEventLike> {
  getMyMembership(): string;
  getLiveTimeline(): { getEvents(): E[] };
}

/** The events of a room to send again, oldest first: not sent, for want of a connection. */
export function eventsToResend<E extends PendingEventLike>(room: RoomLike<E>): E[] {
  if (room.getMyMembership() !== 'join') return [];
  return room.getLiveTimeline().getEvents().filter((e) => e.status === EventStatus.NOT_SENT && failedForConnection(e.error));
}

/**
 * Sends the failed events of every joined room again, one after the other in each room's order.
 * Stops at the first event that fails for want of a connection again (the connection went away:
 * the ones after it wait for the next return, so none overtakes it) or when `stopped()` says so;
 * an event refused by the homeserver stays failed and the next one is sent.
 */
export async function resendFailed<E extends PendingEventLike, R extends RoomLike<E>>(
  rooms: readonly R[],
  resend: (event: E, room: R) => Promise<unknown>,
  stopped: () => boolean,
): Promise<void> {
  for (const room of rooms) {
    for (const event of eventsToResend(room)) {
      if (stopped()) return;
      // Sent meanwhile by its retry button, or already on its way.
      if (event.status !== EventStatus.NOT_SENT) continue;
      try {
        await resend(event, room);
      } catch (err) {
        if (failedForConnection(err)) return;
      }
    }
  }
}

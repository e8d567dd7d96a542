import type { MatrixEvent, Room } from 'matrix-js-sdk';
import { useEffect } from 'react';
import { useMatrixClient } from '../../matrix/MatrixProvider.tsx';

/**
 * Marks the room read up to its newest event from someone else while the chat is on screen and
 * the page is visible (again when the person comes back to the tab).
 */
export function useReadReceipt(room: Room, events: readonly MatrixEvent[]): void {
  const client = useMatrixClient();
  useEffect(() => {
    const me = client.getSafeUserId();
    const send = () => {
      if (document.visibilityState !== 'visible') return;
      let last: MatrixEvent | undefined;
      for (let i = events.length - 1; i >= 0 && !last; i--) {
        const event = events[i];
        if (event && event.getSender() !== me && event.getId()?.startsWith('$')) last = event;
      }
      const id = last?.getId();
      if (!last || !id || room.hasUserReadEvent(me, id)) return;
      void client.sendReadReceipt(last).catch(() => undefined);
    };
    send();
    document.addEventListener('visibilitychange', send);
    window.addEventListener('focus', send);
    return () => {
      document.removeEventListener('visibilitychange', send);
      window.removeEventListener('focus', send);
    };
  }, [client, room, events]);
}

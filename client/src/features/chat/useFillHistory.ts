import type { Room } from 'matrix-js-sdk';
import { useEffect, useRef } from 'react';
import { useMatrixClient } from '../../matrix/MatrixProvider.tsx';

const ENOUGH_MESSAGES = 20;
const MAX_ROUNDS = 5;

/**
 * Loads earlier events by itself while the chat shows few messages and the homeserver has more
 * (a chat just opened arrives as a limited sync of its creation's state events): "load earlier"
 * then only shows when there is earlier history to read, not before the room's first events.
 */
export function useFillHistory(room: Room, loaded: number, messages: number, canLoadOlder: boolean): void {
  const client = useMatrixClient();
  const rounds = useRef(0);
  const busy = useRef(false);
  useEffect(() => {
    if (!canLoadOlder || messages >= ENOUGH_MESSAGES || rounds.current >= MAX_ROUNDS || busy.current) return;
    rounds.current++;
    busy.current = true;
    void client
      .scrollback(room, 30)
      .catch(() => undefined)
      .finally(() => {
        busy.current = false;
      });
  }, [client, room, loaded, messages, canLoadOlder]);
}

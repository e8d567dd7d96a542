import { describe, expect, it } from 'vitest';
import type { ChatListItem } from '@chattigo/contracts/chats';
import { orderChats } from '../../src/features/chats/chat-list.ts';
import { checkNewPassword } from '../../src/features/password/rules.ts';
import { fold, matchesWords } from '../../src/util/fold.ts';

describe('accent-insensitive matching', () => {
  it('folds accents and case', () => {
    expect(fold('José PÉREZ ñandú')).toBe('jose perez nandu');
    expect(matchesWords('COTIZACION_ENVIADA Cotización enviada', 'cotizacion env')).toBe(true);
    expect(matchesWords('Venta cerrada', 'venta perdida')).toBe(false);
    expect(matchesWords('Venta cerrada', '  ')).toBe(true);
  });
});

describe('chat list order', () => {
  const chat = (roomId: string, status: 'open' | 'closed', openedAt: string, closedAt: string | null = null): ChatListItem => ({
    roomId,
    status,
    openedBy: 'ana',
    peer: 'jose',
    campaignId: null,
    openedAt,
    closedBy: null,
    closedAt,
    typification: null,
    other: { username: 'jose', displayName: 'José' },
    campaignName: null,
  });
  it('puts open chats first, newest first, then closed ones by closing time', () => {
    const ordered = orderChats([
      chat('!old-closed', 'closed', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'),
      chat('!open-1', 'open', '2026-01-03T00:00:00Z'),
      chat('!new-closed', 'closed', '2026-01-01T00:00:00Z', '2026-01-05T00:00:00Z'),
      chat('!open-2', 'open', '2026-01-04T00:00:00Z'),
    ]);
    expect(ordered.map((c) => c.roomId)).toEqual(['!open-2', '!open-1', '!new-closed', '!old-closed']);
  });
});

describe('new password', () => {
  it('needs 8 characters (counted as people do) and the same twice', () => {
    expect(checkNewPassword('corta', 'corta')).toBe('resetTooShort');
    expect(checkNewPassword('ññññññññ', 'ññññññññ')).toBeNull();
    expect(checkNewPassword('contraseña1', 'contraseña2')).toBe('resetMismatch');
  });
});

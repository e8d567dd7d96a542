import { describe, expect, it } from 'vitest';
import { acceptHostMessage, isAllowedOrigin } from '@chattigo/contracts/embed';
import { ApiError } from '../../src/api/http.ts';
import { describeCodeFailure, loginCodeFrom } from '../../src/features/login/code.ts';
import { LoginFailure } from '../../src/features/login/login.ts';
import { hostOrigin } from '../../src/features/embed/host.ts';
import { rememberEmbedMode } from '../../src/features/embed/mode.ts';

const allowed = ['https://desk.chattigo.com', 'http://127.0.0.1:9100'];
const parent = { name: 'the parent window' };

describe('postMessage from the host: origin check', () => {
  const event = (origin: string, data: unknown, source: unknown = parent) => ({ origin, data, source });

  it('accepts the contract’s messages from the parent window of an allowed origin', () => {
    expect(acceptHostMessage(event('https://desk.chattigo.com', { type: 'chattigo:open-picker' }), parent, allowed)).toEqual({
      type: 'chattigo:open-picker',
    });
    const openChat = { type: 'chattigo:open-chat', username: 'jperez', conversationId: 'conv-1' };
    expect(acceptHostMessage(event('http://127.0.0.1:9100', openChat), parent, allowed)).toEqual(openChat);
  });

  it('ignores other origins, look-alikes, other windows and anything outside the contract', () => {
    const open = { type: 'chattigo:open-picker' };
    for (const origin of ['https://evil.example', 'https://desk.chattigo.com.evil.example', 'http://desk.chattigo.com', 'null', 'http://127.0.0.1:9101']) {
      expect(acceptHostMessage(event(origin, open), parent, allowed)).toBeNull();
    }
    expect(acceptHostMessage(event('https://desk.chattigo.com', open, { name: 'another frame' }), parent, allowed)).toBeNull();
    for (const data of [null, 'chattigo:open-picker', { type: 'chattigo:logout' }, { type: 'chattigo:open-chat' }, { type: 'chattigo:open-chat', username: '' }]) {
      expect(acceptHostMessage(event('https://desk.chattigo.com', data), parent, allowed)).toBeNull();
    }
    expect(acceptHostMessage(event('https://desk.chattigo.com', open), parent, [])).toBeNull();
  });

  it('compares origins exactly, with default ports normalised', () => {
    expect(isAllowedOrigin('https://desk.chattigo.com:443', allowed)).toBe(true);
    expect(isAllowedOrigin('https://desk.chattigo.com:8443', allowed)).toBe(false);
    expect(isAllowedOrigin('not a url', allowed)).toBe(false);
  });

  it('finds the host’s origin among the allowed ones (ancestorOrigins, else the referrer)', () => {
    const where = (ancestors: string[], referrer: string) =>
      ({
        location: { ancestorOrigins: { length: ancestors.length, item: (i: number) => ancestors[i] ?? null } },
        document: { referrer },
      }) as unknown as Window;
    expect(hostOrigin(allowed, where(['https://desk.chattigo.com'], ''))).toBe('https://desk.chattigo.com');
    expect(hostOrigin(allowed, where([], 'http://127.0.0.1:9100/host.html'))).toBe('http://127.0.0.1:9100');
    expect(hostOrigin(allowed, where(['https://evil.example'], 'https://evil.example/'))).toBeNull();
  });
});

describe('embed mode', () => {
  const store = () => {
    const values = new Map<string, string>();
    return { getItem: (k: string) => values.get(k) ?? null, setItem: (k: string, v: string) => void values.set(k, v), removeItem: (k: string) => void values.delete(k) };
  };

  it('is turned on by ?embed=1 and kept for the session, off with ?embed=0', () => {
    const s = store();
    expect(rememberEmbedMode('', s)).toBe(false);
    expect(rememberEmbedMode('?embed=1', s)).toBe(true);
    expect(rememberEmbedMode('?x=2', s)).toBe(true);
    expect(rememberEmbedMode('?embed=0', s)).toBe(false);
  });
});

describe('login codes in the URL', () => {
  const code = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd';

  it('reads the code from the fragment or the query; a malformed one is shown as invalid', () => {
    expect(loginCodeFrom({ search: '', hash: `#code=${code}` })).toBe(code);
    expect(loginCodeFrom({ search: `?embed=1&code=${code}`, hash: '' })).toBe(code);
    expect(loginCodeFrom({ search: '', hash: '' })).toBeNull();
    expect(loginCodeFrom({ search: '?code=<script>', hash: '' })).toBe('');
  });

  it('tells a used, an expired and an invalid code apart', () => {
    const refused = (errcode: string, status = 401) => new LoginFailure('matrix', new ApiError(status, errcode, 'x'));
    expect(describeCodeFailure(refused('CHATTIGO_CODE_USED'))).toBe('codeUsed');
    expect(describeCodeFailure(refused('CHATTIGO_CODE_EXPIRED'))).toBe('codeExpired');
    expect(describeCodeFailure(refused('CHATTIGO_CODE_UNKNOWN'))).toBe('codeInvalid');
    expect(describeCodeFailure(refused('M_USER_DEACTIVATED', 403))).toBe('loginNotAgent');
    expect(describeCodeFailure(new Error('boom'))).toBe('unexpectedError');
  });
});

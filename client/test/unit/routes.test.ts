import { describe, expect, it } from 'vitest';
import { needsSession, parseRoute, paths, safeNext } from '../../src/router/routes.ts';

describe('routes', () => {
  it('maps URLs to routes', () => {
    expect(parseRoute('/', '')).toEqual({ name: 'home' });
    expect(parseRoute('/chats/', '')).toEqual({ name: 'home' });
    expect(parseRoute('/ingresar', '?siguiente=%2Fagentes')).toEqual({ name: 'login', next: '/agentes' });
    expect(parseRoute('/olvido-contrasena', '')).toEqual({ name: 'forgot' });
    expect(parseRoute('/restablecer-contrasena', '?token=abc_123')).toEqual({ name: 'reset', token: 'abc_123' });
    expect(parseRoute('/restablecer-contrasena', '')).toEqual({ name: 'reset', token: null });
    expect(parseRoute('/agentes', '')).toEqual({ name: 'picker' });
    expect(parseRoute('/nada', '')).toEqual({ name: 'not-found' });
  });

  it('round-trips a room id through its chat path', () => {
    const roomId = '!AbC-12_x:chattigo.test';
    expect(parseRoute(paths.chat(roomId), '')).toEqual({ name: 'chat', roomId });
    expect(parseRoute('/chats/not-a-room', '')).toEqual({ name: 'not-found' });
    expect(parseRoute('/chats/%E0%A4%A', '')).toEqual({ name: 'not-found' });
  });

  it('only follows a login to a path of this site', () => {
    expect(safeNext('/chats/!a:b')).toBe('/chats/!a:b');
    for (const bad of ['//evil.example/x', 'https://evil.example', '/\\evil.example', 'agentes', '', null]) {
      expect(safeNext(bad)).toBeNull();
    }
    expect(parseRoute(paths.login, `?siguiente=${encodeURIComponent('//evil.example')}`)).toEqual({ name: 'login', next: null });
  });

  it('knows which routes need a session', () => {
    expect(needsSession({ name: 'picker' })).toBe(true);
    expect(needsSession({ name: 'chat', roomId: '!x:y' })).toBe(true);
    expect(needsSession({ name: 'reset', token: 't' })).toBe(false);
    expect(needsSession({ name: 'login', next: null })).toBe(false);
  });
});

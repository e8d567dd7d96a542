import { describe, expect, it } from 'vitest';
import { paths, roomIdParam, safeNext } from '../../src/router/paths.ts';

// How URLs reach screens (guard, `?siguiente=`, not-found) is tested on the router itself in router.test.tsx.
describe('paths', () => {
  it('builds the chat path of a room id, and reads it back as react-router decodes it', () => {
    const roomId = '!AbC-12_x:chattigo.test';
    expect(paths.chat(roomId)).toBe('/chats/!AbC-12_x%3Achattigo.test');
    expect(roomIdParam(decodeURIComponent(paths.chat(roomId).slice('/chats/'.length)))).toBe(roomId);
    expect(roomIdParam('not-a-room')).toBeNull();
    expect(roomIdParam(undefined)).toBeNull();
    expect(paths.loginThen('/agentes')).toBe('/ingresar?siguiente=%2Fagentes');
  });

  it('only follows a login to a path of this site', () => {
    expect(safeNext('/chats/!a:b')).toBe('/chats/!a:b');
    for (const bad of ['//evil.example/x', 'https://evil.example', '/\\evil.example', 'agentes', '', null]) {
      expect(safeNext(bad)).toBeNull();
    }
  });
});

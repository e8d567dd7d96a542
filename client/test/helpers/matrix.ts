import { cleanup } from '@testing-library/react';
import { createClient, MemoryStore, type MatrixClient } from 'matrix-js-sdk';
import { afterEach, beforeEach, vi } from 'vitest';
import type { SignedIn } from '../../src/session/SessionProvider.tsx';
import { account, clientConfig } from './fake-fetch.ts';
import { fakeSignedIn } from './signed-in.tsx';

/**
 * Before each test: Spanish, a new signed-in session in `session.current` and a new matrix-js-sdk
 * client in `matrix.client`, never started (the test fills its rooms as a sync would); these are
 * the holders the test file's vi.mock factories hand out. After each: the rendered tree and the
 * stubbed globals go.
 */
export function freshSignedInMatrixEachTest(session: { current: SignedIn | null }, matrix: { client: MatrixClient | null }): void {
  beforeEach(() => {
    localStorage.setItem('chattigo.lang', 'es');
    session.current = fakeSignedIn();
    matrix.client = createClient({ baseUrl: clientConfig.homeserverUrl, userId: account.userId, accessToken: 'matrix-token', deviceId: 'DEV', store: new MemoryStore() });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });
}

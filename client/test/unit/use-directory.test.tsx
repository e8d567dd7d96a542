// @vitest-environment jsdom
import type { DirectoryAgent } from '@chattigo/contracts/directory';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveHandlers } from '../../src/features/picker/live.ts';
import type { SignedIn } from '../../src/session/SessionProvider.tsx';
import { directoryAgent } from '../helpers/directory.ts';
import { fakeFetch } from '../helpers/fake-fetch.ts';
import { fakeSignedIn, signedInWrapper } from '../helpers/signed-in.tsx';

// The live stream is an EventSource (not in jsdom): the test plays the server's part.
const live = vi.hoisted(() => ({ handlers: null as LiveHandlers | null, stopped: 0 }));
vi.mock('../../src/features/picker/live.ts', () => ({
  followDirectory: (_url: unknown, _token: unknown, handlers: LiveHandlers) => {
    live.handlers = handlers;
    return () => void live.stopped++;
  },
}));
const session = vi.hoisted(() => ({ current: null as SignedIn | null }));
vi.mock('../../src/session/SessionProvider.tsx', () => ({ useSignedIn: () => session.current }));

const { useDirectory, PAGE_SIZE } = await import('../../src/features/picker/useDirectory.ts');


/** A directory of `active` and `inactive` agents, searched by username prefix, paged like the appservice. */
function directoryServer(people: { active: DirectoryAgent[]; inactive: DirectoryAgent[] }) {
  return fakeFetch({
    'GET /api/v1/directory': (_call, url) => {
      const status = url.searchParams.get('status') === 'active' ? 'active' : 'inactive';
      const q = url.searchParams.get('q') ?? '';
      const campaign = url.searchParams.get('campaign');
      const limit = Number(url.searchParams.get('limit'));
      const offset = Number(url.searchParams.get('offset'));
      const matching = people[status].filter((a) => a.username.startsWith(q) && (!campaign || a.campaigns.some((c) => c.id === campaign)));
      const everyone = [...people.active, ...people.inactive];
      const campaigns = [...new Map(everyone.flatMap((a) => a.campaigns).map((c) => [c.id, c])).values()];
      return { body: { agents: matching.slice(offset, offset + limit), total: matching.length, limit, offset, campaigns } };
    },
  });
}

/** The providers of the signed-in app, for a new session. */
function wrapper() {
  session.current = fakeSignedIn();
  return signedInWrapper(session.current);
}
function stream(): LiveHandlers {
  if (!live.handlers) throw new Error('the hook does not follow the live stream');
  return live.handlers;
}

beforeEach(() => {
  live.handlers = null;
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('useDirectory (the picker hook)', () => {
  it('loads the active and the inactive agents, a page each', async () => {
    const server = directoryServer({ active: [directoryAgent('ana', true, 2)], inactive: [directoryAgent('beto', false)] });
    const { result } = renderHook(() => useDirectory('', ''), { wrapper: wrapper() });
    expect(result.current.load.status).toBe('loading');
    await waitFor(() => expect(result.current.load.status).toBe('ready'));
    expect(result.current.sections.active).toEqual({ agents: [directoryAgent('ana', true, 2)], total: 1 });
    expect(result.current.sections.inactive.agents.map((a) => a.username)).toEqual(['beto']);
    const urls = server.to('GET /api/v1/directory').map((c) => c.url);
    expect(urls).toEqual(expect.arrayContaining([`/api/v1/directory?status=active&limit=${PAGE_SIZE}&offset=0`, `/api/v1/directory?status=inactive&limit=${PAGE_SIZE}&offset=0`]));
  });

  it('filters by campaign on the server (every page, not only the loaded one) and offers the server’s campaigns', async () => {
    const soporte = (username: string, active: boolean) => ({ ...directoryAgent(username, active), campaigns: [{ id: 'soporte', name: 'Soporte' }] });
    const many = Array.from({ length: PAGE_SIZE + 5 }, (_, i) => directoryAgent(`a${String(i).padStart(2, '0')}`, true));
    const server = directoryServer({ active: [...many, soporte('zoe', true)], inactive: [soporte('yago', false)] });
    const { result, rerender } = renderHook(({ campaign }) => useDirectory('', campaign), { wrapper: wrapper(), initialProps: { campaign: '' } });
    await waitFor(() => expect(result.current.load.status).toBe('ready'));
    expect(result.current.sections.campaigns.map((c) => c.id).sort()).toEqual(['soporte', 'ventas']);
    // Zoe is past the first page of everyone; the campaign's list has her at once.
    expect(result.current.sections.active.agents.map((a) => a.username)).not.toContain('zoe');
    rerender({ campaign: 'soporte' });
    await waitFor(() => expect(result.current.sections.active).toEqual({ agents: [soporte('zoe', true)], total: 1 }));
    expect(result.current.sections.inactive.agents.map((a) => a.username)).toEqual(['yago']);
    expect(server.to('GET /api/v1/directory').some((c) => new URL(c.url, 'http://x').searchParams.get('campaign') === 'soporte')).toBe(true);
  });

  it('searches once the typing pauses, not at every keystroke', async () => {
    const server = directoryServer({ active: [directoryAgent('ana', true), directoryAgent('jose', true)], inactive: [] });
    const { result, rerender } = renderHook(({ q }) => useDirectory(q, ''), { wrapper: wrapper(), initialProps: { q: '' } });
    await waitFor(() => expect(result.current.load.status).toBe('ready'));
    const before = server.calls.length;
    rerender({ q: 'j' });
    rerender({ q: 'jo' });
    rerender({ q: 'jos' });
    // The last result stays on screen while the search waits and loads.
    expect(result.current.sections.active.agents).toHaveLength(2);
    await waitFor(() => expect(result.current.sections.active.agents.map((a) => a.username)).toEqual(['jose']));
    const searched = server.calls.slice(before).map((c) => new URL(c.url, 'http://x').searchParams.get('q'));
    expect(searched).toEqual(['jos', 'jos']);
  });

  it('writes a live count into the list without asking the server, and reloads for an agent off screen', async () => {
    const people = { active: [directoryAgent('ana', true, 1)], inactive: [directoryAgent('beto', false)] };
    const server = directoryServer(people);
    const { result } = renderHook(() => useDirectory('', ''), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.load.status).toBe('ready'));
    const before = server.calls.length;

    act(() => stream().onChanges([{ username: 'ana', active: true, chatsInAttention: 4, atLimit: false, at: '2026-12-01T10:00:00Z' }]));
    // The cache tells its observers on its next tick.
    await waitFor(() => expect(result.current.sections.active.agents[0]?.chatsInAttention).toBe(4));
    expect(server.calls.length).toBe(before);

    people.active.push(directoryAgent('carla', true, 0));
    act(() => stream().onChanges([{ username: 'carla', active: true, chatsInAttention: 0, atLimit: false, at: '2026-12-01T10:00:01Z' }]));
    await waitFor(() => expect(result.current.sections.active.agents.map((a) => a.username)).toEqual(['ana', 'carla']));
    expect(server.calls.length).toBe(before + 2);
  });

  it('appends the next page, and shows a failure with a reload that clears it', async () => {
    const many = Array.from({ length: PAGE_SIZE + 3 }, (_, i) => directoryAgent(`a${String(i).padStart(2, '0')}`, true));
    directoryServer({ active: many, inactive: [] });
    const { result } = renderHook(() => useDirectory('', ''), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.load.status).toBe('ready'));
    expect(result.current.sections.active).toMatchObject({ total: PAGE_SIZE + 3 });
    expect(result.current.sections.active.agents).toHaveLength(PAGE_SIZE);
    await act(() => result.current.loadMore('active'));
    await waitFor(() => expect(result.current.sections.active.agents).toHaveLength(PAGE_SIZE + 3));

    fakeFetch({ 'GET /api/v1/directory': () => ({ status: 400, body: { errcode: 'M_BAD_JSON', error: 'Consulta inválida' } }) });
    await act(() => result.current.loadMore('active'));
    expect(result.current.load).toEqual({ status: 'failed', message: 'Consulta inválida' });
    directoryServer({ active: many, inactive: [] });
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.load.status).toBe('ready'));
  });

  it('stops following the live stream when the picker closes', async () => {
    directoryServer({ active: [], inactive: [] });
    const { unmount } = renderHook(() => useDirectory('', ''), { wrapper: wrapper() });
    const stopped = live.stopped;
    unmount();
    expect(live.stopped).toBe(stopped + 1);
  });
});

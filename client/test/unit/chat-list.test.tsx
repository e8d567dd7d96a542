// @vitest-environment jsdom
import type { ChatListItem } from '@chattigo/contracts/chats';
import { CHAT_STATE, type ChatStateContent } from '@chattigo/contracts/event-types';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ClientEvent, MatrixEvent, Room, SyncState, type MatrixClient } from 'matrix-js-sdk';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { SignedIn } from '../../src/session/SessionProvider.tsx';
import { account, clientConfig, fakeFetch } from '../helpers/fake-fetch.ts';
import { freshSignedInMatrixEachTest } from '../helpers/matrix.ts';
import { signedInWrapper } from '../helpers/signed-in.tsx';

// A real matrix-js-sdk client and rooms, never started: the test fills the rooms as a sync would.
const matrix = vi.hoisted(() => ({ client: null as MatrixClient | null }));
vi.mock('../../src/matrix/client.ts', () => ({ startMatrixClient: () => matrix.client, stopMatrixClient: () => undefined }));
const session = vi.hoisted(() => ({ current: null as SignedIn | null }));
vi.mock('../../src/session/SessionProvider.tsx', () => ({ useSignedIn: () => session.current }));

const { ChatsProvider } = await import('../../src/features/chats/ChatsProvider.tsx');
const { ChatList } = await import('../../src/features/chats/ChatList.tsx');
const { MatrixProvider } = await import('../../src/matrix/MatrixProvider.tsx');

const me = account.userId;
const peer = '@chattigo_beto:chattigo.test';
const bot = clientConfig.botUserId;
const now = Date.now();
let seq = 0;

const event = (roomId: string, type: string, content: object, sender: string, ts: number, stateKey?: string) =>
  new MatrixEvent({ room_id: roomId, type, content, sender, event_id: `$e${++seq}`, origin_server_ts: ts, ...(stateKey === undefined ? {} : { state_key: stateKey }) });

async function chatRoom(roomId: string, chat: Partial<ChatStateContent>, messages: [sender: string, content: object, ts: number][]) {
  const client = matrix.client as MatrixClient;
  const room = new Room(roomId, client, me);
  const state: ChatStateContent = { status: 'open', campaign: 'ventas', opened_by: me, opened_at: now - 86_400_000, ...chat };
  room.currentState.setStateEvents([
    event(roomId, 'm.room.create', { creator: bot }, bot, 1, ''),
    ...[bot, me, peer].map((user) => event(roomId, 'm.room.member', { membership: 'join' }, user, 1, user)),
    event(roomId, CHAT_STATE, state, bot, 1, ''),
  ]);
  await room.addLiveEvents(
    messages.map(([sender, content, ts]) => event(roomId, 'm.room.message', content, sender, ts)),
    { addToState: false },
  );
  room.updateMyMembership('join');
  client.store.storeRoom(room);
  return room;
}

const listed = (roomId: string, name: string, over: Partial<ChatListItem> = {}): ChatListItem => ({
  roomId,
  status: 'open',
  openedBy: 'ana',
  peer: 'beto',
  campaignId: 'ventas',
  openedAt: new Date(now - 86_400_000).toISOString(),
  closedBy: null,
  closedAt: null,
  typification: null,
  other: { username: name.toLowerCase(), displayName: name },
  campaignName: 'Ventas',
  ...over,
});

const open = '!abierto:chattigo.test';
const closed = '!cerrado:chattigo.test';

function renderList(routes: Parameters<typeof fakeFetch>[0] = {}) {
  const api = fakeFetch({
    'GET /api/v1/chats': () => ({
      body: {
        openCount: 1,
        chats: [
          listed(closed, 'Carla Ríos', { status: 'closed', closedBy: 'carla', closedAt: new Date(now - 3_600_000).toISOString(), typification: { code: 'VENTA_CERRADA', label: 'Venta cerrada' } }),
          listed(open, 'Beto Soto'),
        ],
      },
    }),
    ...routes,
  });
  const Providers = signedInWrapper(session.current as SignedIn);
  const list = (
    <Providers>
      <MatrixProvider credentials={(session.current as SignedIn).credentials} onLoggedOut={() => undefined}>
        <ChatsProvider>
          <ChatList activeRoomId={null} />
        </ChatsProvider>
      </MatrixProvider>
    </Providers>
  );
  const router = createMemoryRouter([{ path: '*', element: list }], { initialEntries: ['/chats'] });
  render(<RouterProvider router={router} />);
  return { api, router };
}

freshSignedInMatrixEachTest(session, matrix);

describe('Mis chats (issue 15)', () => {
  it('shows each chat’s other agent, last message and campaign; a closed one its typification and date, and no badge', async () => {
    await chatRoom(open, {}, [
      [peer, { msgtype: 'm.text', body: 'Hola Ana' }, now - 120_000],
      [bot, { msgtype: 'm.notice', body: 'Aviso del bot' }, now - 60_000],
    ]);
    await chatRoom(closed, { status: 'closed', closed_at: now - 3_600_000, typification: { code: 'VENTA_CERRADA', label: 'Venta cerrada' } }, [
      [me, { msgtype: 'm.file', body: 'informe.pdf', url: 'mxc://x/1' }, now - 7_200_000],
      [peer, { msgtype: 'm.text', body: 'sin leer' }, now - 3_700_000],
    ]);
    renderList();
    const rows = await screen.findAllByTestId('chat-row');
    // Open first, then closed.
    expect(rows.map((r) => within(r).getByText(/Soto|Ríos/).textContent)).toEqual(['Beto Soto', 'Carla Ríos']);
    const [openRow, closedRow] = rows as [HTMLElement, HTMLElement];
    expect(openRow.textContent).toContain('Hola Ana');
    expect(openRow.textContent).not.toContain('Aviso del bot');
    expect(openRow.textContent).toContain('Ventas');
    expect(openRow.querySelector('time')?.textContent).toMatch(/^\d{2}:\d{2}$/);
    expect(within(openRow).getByText('Abierto')).toBeTruthy();
    expect(openRow.querySelector('.badge')).not.toBeNull();
    expect(closedRow.textContent).toContain('sin leer');
    expect(closedRow.textContent).toContain('Venta cerrada');
    expect(within(closedRow).getByText(/^Cerrado el /)).toBeTruthy();
    expect(closedRow.querySelector('.badge')).toBeNull();
  });

  it('follows the last message live: a new one moves its chat up and its preview changes', async () => {
    const beto = await chatRoom(open, {}, [[peer, { msgtype: 'm.text', body: 'Primero' }, now - 600_000]]);
    renderList();
    const row = await screen.findByText('Primero');
    expect(row).toBeTruthy();
    act(() => {
      void beto.addLiveEvents([event(open, 'm.room.message', { msgtype: 'm.text', body: 'Ya lo envié' }, me, now)], { addToState: false });
      (matrix.client as MatrixClient).emit(ClientEvent.Sync, SyncState.Syncing, SyncState.Syncing);
    });
    expect(await screen.findByText('Tú: Ya lo envié')).toBeTruthy();
  });

  it('searches the chats’ messages on Synapse once typing pauses, marks the words and opens the chat at the message', async () => {
    await chatRoom(open, {}, [[peer, { msgtype: 'm.text', body: 'Hola' }, now - 600_000]]);
    const search = vi.fn(() => ({
      body: {
        search_categories: {
          room_events: {
            count: 1,
            highlights: ['cotización'],
            results: [{ rank: 1, result: { event_id: '$hallado', room_id: open, sender: peer, origin_server_ts: now - 86_400_000 * 30, type: 'm.room.message', content: { msgtype: 'm.text', body: 'Te mando la Cotización mañana' } } }],
          },
        },
      },
    }));
    const { api, router } = renderList({ 'POST /_matrix/client/v3/search': search });
    await screen.findAllByTestId('chat-row');
    const box = screen.getByRole('searchbox', { name: 'Buscar mensajes en mis chats' });
    fireEvent.change(box, { target: { value: 'cotiz' } });
    fireEvent.change(box, { target: { value: 'cotización' } });
    const hit = await screen.findByTestId('search-hit');
    // One request, for the settled text, filtered to the agent's chat rooms and without the bot.
    expect(search).toHaveBeenCalledTimes(1);
    const [request] = api.to('POST /_matrix/client/v3/search');
    expect(request?.body).toMatchObject({
      search_categories: { room_events: { search_term: 'cotización', order_by: 'recent', filter: { rooms: expect.arrayContaining([open, closed]), not_senders: [bot] } } },
    });
    expect(hit.textContent).toContain('Beto Soto');
    expect(hit.querySelector('mark')?.textContent).toBe('Cotización');
    fireEvent.click(hit);
    await waitFor(() => expect(router.state.location.pathname + router.state.location.search).toBe(`/chats/${encodeURIComponent(open)}?evento=%24hallado`));
    // Escape clears the search and brings the list back.
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(await screen.findAllByTestId('chat-row')).toHaveLength(2);
  });
});

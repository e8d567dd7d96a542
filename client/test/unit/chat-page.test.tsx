// @vitest-environment jsdom
import type { Chat, ChatListItem } from '@chattigo/contracts/chats';
import { CHAT_STATE, type ChatStateContent } from '@chattigo/contracts/event-types';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ClientEvent, ConnectionError, EventStatus, MatrixError, MatrixEvent, Room, SyncState, type MatrixClient } from 'matrix-js-sdk';
import { MemoryRouter } from 'react-router';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SignedIn } from '../../src/session/SessionProvider.tsx';
import { account, clientConfig, fakeFetch } from '../helpers/fake-fetch.ts';
import { freshSignedInMatrixEachTest } from '../helpers/matrix.ts';
import { signedInWrapper } from '../helpers/signed-in.tsx';

// A real matrix-js-sdk client and rooms, never started: the test fills the rooms as a sync would.
const matrix = vi.hoisted(() => ({ client: null as MatrixClient | null }));
vi.mock('../../src/matrix/client.ts', () => ({
  startMatrixClient: () => matrix.client,
  stopMatrixClient: () => undefined,
}));
const session = vi.hoisted(() => ({ current: null as SignedIn | null }));
vi.mock('../../src/session/SessionProvider.tsx', () => ({ useSignedIn: () => session.current }));

const { ChatPage } = await import('../../src/features/chat/ChatPage.tsx');
const { ChatsProvider } = await import('../../src/features/chats/ChatsProvider.tsx');
const { ChatList } = await import('../../src/features/chats/ChatList.tsx');
const { useResendWhenReconnected } = await import('../../src/matrix/hooks.ts');
const { MatrixProvider } = await import('../../src/matrix/MatrixProvider.tsx');

const me = account.userId;
const peer = '@chattigo_beto:chattigo.test';
const bot = clientConfig.botUserId;
let ts = Date.parse('2026-12-01T10:00:00Z');
let seq = 0;

const event = (roomId: string, type: string, content: object, stateKey?: string, sender = bot) =>
  new MatrixEvent({
    room_id: roomId,
    type,
    content,
    sender,
    event_id: `$e${++seq}`,
    origin_server_ts: ts++,
    ...(stateKey === undefined ? {} : { state_key: stateKey }),
  });

/** A joined chat room between Ana and Beto, made by the bot, with these messages. */
async function chatRoom(client: MatrixClient, roomId: string, chat: Partial<ChatStateContent>, messages: [sender: string, text: string][]) {
  const room = new Room(roomId, client, me);
  const state: ChatStateContent = { status: 'open', campaign: 'ventas', opened_by: me, opened_at: ts, ...chat };
  room.currentState.setStateEvents([
    event(roomId, 'm.room.create', { creator: bot }, ''),
    ...[bot, me, peer].map((user) => event(roomId, 'm.room.member', { membership: 'join', displayname: user === peer ? 'Beto Soto' : user }, user, user)),
    event(roomId, 'm.room.power_levels', { users: { [bot]: 100 }, events_default: state.status === 'closed' ? 50 : 0, state_default: 100 }, ''),
    event(roomId, CHAT_STATE, state, ''),
  ]);
  await room.addLiveEvents(
    messages.map(([sender, body]) => event(roomId, 'm.room.message', { msgtype: 'm.text', body }, undefined, sender)),
    { addToState: false },
  );
  // What the sync's `join` section does.
  room.updateMyMembership('join');
  client.store.storeRoom(room);
  return room;
}

const listed = (roomId: string, status: 'open' | 'closed' = 'open'): ChatListItem => ({
  roomId,
  status,
  openedBy: 'ana',
  peer: 'beto',
  campaignId: 'ventas',
  openedAt: '2026-12-01T10:00:00.000Z',
  closedBy: null,
  closedAt: null,
  typification: null,
  other: { username: 'beto', displayName: 'Beto Soto' },
  campaignName: 'Ventas',
});
const policy = { maxSizeBytes: 1024 * 1024, kinds: [{ kind: 'pdf', mime: 'application/pdf', extensions: ['pdf'], image: false }] };
const typifications = [
  { code: 'RESUELTO', label: 'Atención resuelta' },
  { code: 'DERIVADO', label: 'Derivado a soporte' },
];

function server(roomIds: string[]) {
  return fakeFetch({
    'GET /api/v1/chats': () => ({ body: { openCount: roomIds.length, chats: roomIds.map((id) => listed(id)) } }),
    'GET /api/v1/attachments/policy': () => ({ body: policy }),
    ...Object.fromEntries(
      roomIds.flatMap((id) => [
        [`GET /api/v1/chats/${encodeURIComponent(id)}/typifications`, () => ({ body: { typifications } })],
        [
          `POST /api/v1/chats/${encodeURIComponent(id)}/close`,
          (call: { body: unknown }) => {
            const code = (call.body as { code: string }).code;
            const chat: Chat = { ...listed(id, 'closed'), closedBy: 'ana', closedAt: '2026-12-01T10:05:00.000Z', typification: typifications.find((t) => t.code === code) ?? null };
            return { body: chat };
          },
        ],
      ]),
    ),
  });
}

function renderChat(roomId: string, withList = false) {
  const Providers = signedInWrapper(session.current as SignedIn);
  const tree = (id: string) => (
    <MemoryRouter>
      <Providers>
        <MatrixProvider credentials={(session.current as SignedIn).credentials} onLoggedOut={() => undefined}>
          <ChatsProvider>
            {withList ? <ChatList activeRoomId={id} /> : null}
            <ChatPage key={id} roomId={id} />
          </ChatsProvider>
        </MatrixProvider>
      </Providers>
    </MemoryRouter>
  );
  const view = render(tree(roomId));
  return { ...view, open: (id: string) => view.rerender(tree(id)) };
}

/** One chat with these messages, as the page finds it: known to the fake server, its room in the client, the page shown. */
async function showChat(roomId: string, chat: Partial<ChatStateContent>, messages: [sender: string, text: string][], withList = false) {
  const api = server([roomId]);
  const room = await chatRoom(matrix.client as MatrixClient, roomId, chat, messages);
  renderChat(roomId, withList);
  return { api, room };
}

beforeAll(() => {
  // jsdom has <dialog> but not its modal behaviour.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
  window.matchMedia ??= ((query: string) => ({ matches: false, media: query, addEventListener() {}, removeEventListener() {} })) as unknown as typeof window.matchMedia;
});
freshSignedInMatrixEachTest(session, matrix);

describe('ChatPage', () => {
  it('shows the chat: the other agent, the campaign, the messages and a composer', async () => {
    const roomId = '!uno:chattigo.test';
    await showChat(roomId, {}, [
      [peer, 'Hola Ana'],
      [me, 'Hola Beto, ¿en qué te ayudo?'],
    ]);
    expect(await screen.findByText('Hola Ana')).toBeTruthy();
    expect(screen.getByText('Hola Beto, ¿en qué te ayudo?')).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Beto Soto' })).toBeTruthy());
    expect(await screen.findByText(/Ventas/)).toBeTruthy();
    expect(screen.getByText('Abierto')).toBeTruthy();
    expect(screen.getByRole('textbox')).toBeTruthy();
  });

  it('is read-only, with its typification, when the room state says the chat is closed', async () => {
    const roomId = '!cerrado:chattigo.test';
    await showChat(roomId, { status: 'closed', closed_by: peer, closed_at: ts, typification: { code: 'RESUELTO', label: 'Atención resuelta' } }, [[peer, 'Listo']]);
    const banner = await screen.findByTestId('closed-banner');
    expect(banner.textContent).toContain('RESUELTO');
    expect(banner.textContent).toContain('Beto Soto');
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cerrar chat' })).toBeNull();
  });

  it('closes with a typification picked in the dialog, then loads the chat list again', async () => {
    const roomId = '!dos:chattigo.test';
    const { api } = await showChat(roomId, {}, [[peer, 'Gracias']]);
    await waitFor(() => expect(api.to('GET /api/v1/chats')).toHaveLength(1));
    fireEvent.click(await screen.findByRole('button', { name: 'Cerrar chat' }));

    const dialog = within(await screen.findByRole('dialog'));
    // Confirming without a typification says what is missing and sends nothing.
    fireEvent.click(await dialog.findByRole('button', { name: 'Cerrar chat' }));
    expect(dialog.getByText('Elija una tipificación.')).toBeTruthy();
    // The search ignores accents and case.
    fireEvent.change(dialog.getByRole('searchbox'), { target: { value: 'ATENCION' } });
    expect(dialog.queryByText('Derivado a soporte')).toBeNull();
    fireEvent.click(dialog.getByRole('radio', { name: /Atención resuelta/ }));
    fireEvent.click(dialog.getByRole('button', { name: 'Cerrar chat' }));

    const banner = await screen.findByTestId('closed-banner');
    expect(banner.textContent).toContain('RESUELTO');
    expect(screen.queryByRole('dialog')).toBeNull();
    const [close] = api.to(`POST /api/v1/chats/${encodeURIComponent(roomId)}/close`);
    expect(close?.body).toEqual({ code: 'RESUELTO' });
    await waitFor(() => expect(api.to('GET /api/v1/chats')).toHaveLength(2));
  });

  it('asks for the attachment policy once per session, not at every chat opened', async () => {
    const [a, b] = ['!a:chattigo.test', '!b:chattigo.test'];
    const api = server([a, b]);
    await chatRoom(matrix.client as MatrixClient, a, {}, [[peer, 'en A']]);
    await chatRoom(matrix.client as MatrixClient, b, {}, [[peer, 'en B']]);
    const view = renderChat(a);
    expect(await screen.findByText('en A')).toBeTruthy();
    await waitFor(() => expect(screen.getByText(/hasta 1 MB/)).toBeTruthy());
    act(() => view.open(b));
    expect(await screen.findByText('en B')).toBeTruthy();
    act(() => view.open(a));
    expect(await screen.findByText('en A')).toBeTruthy();
    expect(api.to('GET /api/v1/attachments/policy')).toHaveLength(1);
  });
});

describe('live updates (issue 15)', () => {
  it('shows the other agent typing from the sync\'s m.typing, even for members the SDK does not re-emit to the client', async () => {
    const roomId = '!escribe:chattigo.test';
    const { room } = await showChat(roomId, {}, [[peer, 'Hola']]);
    expect(await screen.findByText('Hola')).toBeTruthy();
    // What the sync does with a room's ephemeral events: members updated, then the event emitted.
    const typing = (userIds: string[]) =>
      act(() => {
        const event = new MatrixEvent({ type: 'm.typing', content: { user_ids: userIds } });
        room.addEphemeralEvents([event]);
        (matrix.client as MatrixClient).emit(ClientEvent.Event, event);
      });
    typing([peer]);
    expect(await screen.findByText('Beto Soto está escribiendo…')).toBeTruthy();
    typing([]);
    await waitFor(() => expect(screen.queryByText('Beto Soto está escribiendo…')).toBeNull());
  });

  it('shows the chat closed in the list, and one fewer open, as soon as the room says so, whatever the appservice still answers', async () => {
    const roomId = '!lista:chattigo.test';
    const { api, room } = await showChat(roomId, {}, [[peer, 'Chao']], true);
    const list = within(await screen.findByRole('navigation', { name: /Mis chats/ }));
    await list.findByText(/1 abierto\b/);
    const closed: ChatStateContent = { status: 'closed', campaign: 'ventas', opened_by: me, opened_at: ts, closed_by: peer, closed_at: ts, typification: typifications[0] };
    act(() => {
      room.currentState.setStateEvents([event(roomId, CHAT_STATE, closed, '')]);
      (matrix.client as MatrixClient).emit(ClientEvent.Sync, SyncState.Syncing, SyncState.Syncing);
    });
    expect(await screen.findByTestId('closed-banner')).toBeTruthy();
    await waitFor(() => expect(list.getByRole('link').textContent).toContain('Cerrado'));
    expect(list.getByRole('link').textContent).toContain('Atención resuelta');
    expect(list.queryByText(/abiertos?\b/)).toBeNull();
    // The appservice's list still said open: the list follows the room all the same.
    expect(api.to('GET /api/v1/chats').length).toBeGreaterThan(0);
  });
});

describe('useResendWhenReconnected', () => {
  function Resender() {
    useResendWhenReconnected();
    return null;
  }

  it('sends again, in order, the messages that failed for want of a connection once the sync is live again; not one refused', async () => {
    const roomId = '!reenvio:chattigo.test';
    server([roomId]);
    const client = matrix.client as MatrixClient;
    const room = await chatRoom(client, roomId, {}, []);
    const pending = (txn: string, error: Error) => {
      const local = new MatrixEvent({ type: 'm.room.message', content: { msgtype: 'm.text', body: txn }, sender: me, room_id: roomId, event_id: `~${txn}` });
      local.status = EventStatus.SENDING;
      room.addPendingEvent(local, txn);
      // Where the SDK keeps why a send failed (a ConnectionError too, whatever its declared type says).
      Reflect.set(local, 'error', error);
      room.updatePendingEvent(local, EventStatus.NOT_SENT);
      return local;
    };
    const first = pending('uno', new ConnectionError('offline'));
    pending('rechazado', new MatrixError({ errcode: 'M_FORBIDDEN', error: 'closed' }, 403));
    const third = pending('tres', new ConnectionError('offline'));
    const sent: string[] = [];
    const resend = vi.spyOn(client, 'resendEvent').mockImplementation(async (e: MatrixEvent) => {
      sent.push(e.getContent<{ body: string }>().body);
      room.updatePendingEvent(e, EventStatus.SENT, `$${sent.length}`);
      return { event_id: `$${sent.length}` };
    });
    const Providers = signedInWrapper(session.current as SignedIn);
    render(
      <Providers>
        <MatrixProvider credentials={(session.current as SignedIn).credentials} onLoggedOut={() => undefined}>
          <Resender />
        </MatrixProvider>
      </Providers>,
    );
    act(() => void client.emit(ClientEvent.Sync, SyncState.Syncing, SyncState.Syncing));
    expect(resend).not.toHaveBeenCalled();
    act(() => void client.emit(ClientEvent.Sync, SyncState.Reconnecting, SyncState.Syncing));
    act(() => void client.emit(ClientEvent.Sync, SyncState.Error, SyncState.Reconnecting));
    act(() => void client.emit(ClientEvent.Sync, SyncState.Syncing, SyncState.Error));
    await waitFor(() => expect(sent).toEqual(['uno', 'tres']));
    expect(resend.mock.calls.map(([e]) => e)).toEqual([first, third]);
  });
});

describe('message actions', () => {
  const idOf = (room: Room, body: string) =>
    room
      .getLiveTimeline()
      .getEvents()
      .find((e) => e.getContent().body === body)
      ?.getId() ?? '';
  const spies = (client: MatrixClient) => ({
    message: vi.spyOn(client, 'sendMessage').mockResolvedValue({ event_id: '$sent' }),
    event: vi.spyOn(client, 'sendEvent').mockResolvedValue({ event_id: '$sent' }),
    redact: vi.spyOn(client, 'redactEvent').mockResolvedValue({ event_id: '$redaction' }),
  });
  const openMenu = async (sender: string, text: string) => {
    const message = (await screen.findByText(text)).closest('li') as HTMLElement;
    fireEvent.click(within(message).getByRole('button', { name: `Acciones del mensaje de ${sender}` }));
    return within(within(message).getByRole('group', { name: `Acciones del mensaje de ${sender}` }));
  };

  it('replies to a message from its menu, and reacts to it, with the contents Element reads', async () => {
    const roomId = '!acciones:chattigo.test';
    server([roomId]);
    const client = matrix.client as MatrixClient;
    const room = await chatRoom(client, roomId, {}, [[peer, 'Hola Ana, ¿me ayudas con un pedido?']]);
    const sent = spies(client);
    renderChat(roomId);
    const target = idOf(room, 'Hola Ana, ¿me ayudas con un pedido?');

    const menu = await openMenu('Beto Soto', 'Hola Ana, ¿me ayudas con un pedido?');
    // The menu opens with focus on its first choice (keyboard users land in it).
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Reaccionar con 👍');
    fireEvent.click(menu.getByRole('button', { name: 'Responder' }));
    expect(screen.getByTestId('composer-context').textContent).toContain('Respondiendo a Beto Soto');
    fireEvent.change(screen.getByRole('textbox'), { target: { value: 'Claro, ¿cuál?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Enviar' }));
    expect(sent.message).toHaveBeenCalledWith(roomId, { msgtype: 'm.text', body: 'Claro, ¿cuál?', 'm.relates_to': { 'm.in_reply_to': { event_id: target } } });
    expect(screen.queryByTestId('composer-context')).toBeNull();

    fireEvent.click((await openMenu('Beto Soto', 'Hola Ana, ¿me ayudas con un pedido?')).getByRole('button', { name: 'Reaccionar con 👍' }));
    expect(sent.event).toHaveBeenCalledWith(roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: target, key: '👍' } });
    // Only one's own messages can be edited or deleted.
    const again = await openMenu('Beto Soto', 'Hola Ana, ¿me ayudas con un pedido?');
    expect(again.queryByRole('button', { name: 'Editar' })).toBeNull();
    expect(again.queryByRole('button', { name: 'Eliminar' })).toBeNull();
    // Escape closes the menu and gives focus back to its button.
    fireEvent.keyDown(again.getByRole('button', { name: 'Responder' }), { key: 'Escape' });
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Acciones del mensaje de Beto Soto');
  });

  it('edits and deletes one’s own message, and toggles reactions shown with who reacted', async () => {
    const roomId = '!propios:chattigo.test';
    server([roomId]);
    const client = matrix.client as MatrixClient;
    const room = await chatRoom(client, roomId, {}, [[me, 'Mañana a las 10']]);
    const mine = idOf(room, 'Mañana a las 10');
    await room.addLiveEvents(
      [
        event(roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: mine, key: '👍' } }, undefined, peer),
        event(roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: mine, key: '🎉' } }, undefined, me),
      ],
      { addToState: false },
    );
    const myReaction = room.getLiveTimeline().getEvents().at(-1)?.getId() ?? '';
    const sent = spies(client);
    renderChat(roomId);

    const others = await screen.findByRole('button', { name: 'Reaccionar también con 👍 (1: Beto Soto)' });
    fireEvent.click(others);
    expect(sent.event).toHaveBeenCalledWith(roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: mine, key: '👍' } });
    fireEvent.click(screen.getByRole('button', { name: `Quitar su reacción 🎉 (1: ${me})` }));
    expect(sent.redact).toHaveBeenCalledWith(roomId, myReaction);

    fireEvent.click((await openMenu(me, 'Mañana a las 10')).getByRole('button', { name: 'Editar' }));
    expect(screen.getByTestId('composer-context').textContent).toContain('Editando su mensaje');
    const box = screen.getByRole('textbox') as HTMLTextAreaElement;
    expect(box.value).toBe('Mañana a las 10');
    fireEvent.change(box, { target: { value: 'Mañana a las 11' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(sent.message).toHaveBeenCalledWith(roomId, {
      msgtype: 'm.text',
      body: '* Mañana a las 11',
      'm.new_content': { msgtype: 'm.text', body: 'Mañana a las 11' },
      'm.relates_to': { rel_type: 'm.replace', event_id: mine },
    });

    fireEvent.click((await openMenu(me, 'Mañana a las 10')).getByRole('button', { name: 'Eliminar' }));
    const dialog = within(await screen.findByRole('dialog', { name: '¿Eliminar este mensaje?' }));
    fireEvent.click(dialog.getByRole('button', { name: 'Eliminar mensaje' }));
    expect(sent.redact).toHaveBeenLastCalledWith(roomId, mine);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('offers no actions in a closed chat, and shows its reactions read-only', async () => {
    const roomId = '!leido:chattigo.test';
    server([roomId]);
    const client = matrix.client as MatrixClient;
    const room = await chatRoom(client, roomId, { status: 'closed', closed_by: peer, closed_at: ts }, [[peer, 'Adiós']]);
    await room.addLiveEvents([event(roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: idOf(room, 'Adiós'), key: '👋' } }, undefined, me)], { addToState: false });
    renderChat(roomId);
    await screen.findByTestId('closed-banner');
    expect(screen.getByText('Adiós')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Acciones del mensaje/ })).toBeNull();
    expect(screen.getByLabelText(`👋 1: ${me}`)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /reacción/ })).toBeNull();
  });

  it('shows "Mensajes nuevos" before what was unread when the chat opened', async () => {
    const roomId = '!nuevos:chattigo.test';
    await showChat(roomId, {}, [
      [me, 'Te escribo luego'],
      [peer, 'Primero sin leer'],
      [peer, 'Segundo sin leer'],
    ]);
    const divider = await screen.findByTestId('unread-divider');
    expect(divider.textContent).toBe('Mensajes nuevos');
    expect(divider.nextElementSibling?.textContent).toContain('Primero sin leer');
  });
});

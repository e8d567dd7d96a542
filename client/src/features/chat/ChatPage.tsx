import { Direction, SyncState, type MatrixEvent, type Room } from 'matrix-js-sdk';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { Chat } from '@chattigo/contracts/chats';
import { Dialog } from '../../components/Dialog.tsx';
import { Spinner } from '../../components/Spinner.tsx';
import { formatBytes } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useJoinedRoom, useLiveEvents, usePresence, useReceiptsVersion, useRoomAccess, useSyncState, useTypingMembers } from '../../matrix/hooks.ts';
import { useMatrixClient } from '../../matrix/MatrixProvider.tsx';
import { Link, useSearchParams } from 'react-router';
import { paths } from '../../router/paths.ts';
import { useSignedIn } from '../../session/SessionProvider.tsx';
import { ImageViewer, type ViewerImage } from '../attachments/ImageViewer.tsx';
import { acceptAttribute } from '../attachments/policy.ts';
import { UploadStatus } from '../attachments/UploadStatus.tsx';
import { useUploads } from '../attachments/useUploads.ts';
import { useChats } from '../chats/ChatsProvider.tsx';
import { CloseDialog } from '../close-dialog/CloseDialog.tsx';
import './chat.css';
import { ChatHeader } from './ChatHeader.tsx';
import { ContextCard } from '../context/ContextCard.tsx';
import { ClosedBanner, type Closure } from './ClosedBanner.tsx';
import { Composer, type ComposerContext } from './Composer.tsx';
import { MessageView, type MessageHandlers } from './MessageView.tsx';
import { preview } from './relations.ts';
import { messageSender } from './send.ts';
import { Timeline } from './Timeline.tsx';
import { firstUnreadId, lastSentByMe, timelineItems, type MessageItem } from './timeline-model.ts';
import { TypingIndicator } from './TypingIndicator.tsx';
import { useOpenAtMessage } from './useOpenAtMessage.ts';
import { useFillHistory } from './useFillHistory.ts';
import { useReadReceipt } from './useReadReceipt.ts';

const ROOM_WAIT_MS = 15_000;
const HIGHLIGHT_MS = 1600;

/** Scrolls to a message of the timeline (a reply's quote was clicked) and marks it for a moment. */
function jumpToMessage(eventId: string): void {
  const element = document.getElementById(`message-${eventId}`);
  if (!element) return;
  element.scrollIntoView({ block: 'center', behavior: 'smooth' });
  element.focus({ preventScroll: true });
  element.classList.add('highlight');
  setTimeout(() => element.classList.remove('highlight'), HIGHLIGHT_MS);
}

/** A chat by room id: waits for the sync to bring the room, then shows it. Keyed by the room id (router.tsx). */
export function ChatPage({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const room = useJoinedRoom(roomId);
  const sync = useSyncState();
  const [gaveUp, setGaveUp] = useState(false);
  const synced = sync === SyncState.Prepared || sync === SyncState.Syncing || sync === SyncState.Catchup;

  useEffect(() => {
    if (room || !synced) return;
    const timer = setTimeout(() => setGaveUp(true), ROOM_WAIT_MS);
    return () => clearTimeout(timer);
  }, [room, synced]);

  if (room) return <ChatRoom key={room.roomId} room={room} />;
  return (
    <div className="pane-status">
      {gaveUp && synced ? (
        <p role="alert">{t('roomNotFound')}</p>
      ) : (
        <p role="status">
          <Spinner small /> {synced ? t('waitingForRoom') : t('connecting')}
        </p>
      )}
      <Link to={paths.home} className="button">
        {t('back')}
      </Link>
    </div>
  );
}

function ChatRoom({ room }: { room: Room }) {
  const { t, lang } = useI18n();
  const client = useMatrixClient();
  const { config } = useSignedIn();
  const chats = useChats();
  const listed = chats.find(room.roomId);
  const me = client.getSafeUserId();
  const events = useLiveEvents(room);
  const access = useRoomAccess(room);
  const typing = useTypingMembers(room);
  const receipts = useReceiptsVersion(room);
  const { uploads, rejections, send: sendFile, dismiss, policy } = useUploads(room);
  const [closing, setClosing] = useState(false);
  // The appservice's answer to our own close, shown until the room's state arrives by sync.
  const [closedHere, setClosedHere] = useState<Chat | null>(null);
  const [dragging, setDragging] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [composing, setComposing] = useState<{ kind: 'reply' | 'edit'; item: MessageItem } | null>(null);
  const [deleting, setDeleting] = useState<MessageItem | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Where "Mensajes nuevos" goes: what was unread when the chat opened (before this page marks it read).
  const [unreadFrom] = useState(() => firstUnreadId(room.getLiveTimeline().getEvents(), room.getEventReadUpTo(me), me));
  useReadReceipt(room, events);
  // Opened at a message (a search result, `?evento=`): found in the timeline, scrolled to, marked.
  const [params] = useSearchParams();
  const openAt = params.get('evento');
  const openAtState = useOpenAtMessage(room, openAt);
  const focusEventId = openAtState === 'found' ? openAt : null;

  const items = useMemo(
    () => timelineItems(events, { myUserId: me, botUserId: config.botUserId, unreadFrom, lang }),
    [events, me, config.botUserId, unreadFrom, lang],
  );
  const byKey = useMemo(() => new Map(events.map((e) => [e.getTxnId() ?? e.getId() ?? '', e] as const)), [events]);
  const other = room.getJoinedMembers().find((m) => m.userId !== me && m.userId !== config.botUserId) ?? null;
  const presence = usePresence(other?.userId ?? null);
  const send = useMemo(() => messageSender(client, room.roomId), [client, room.roomId]);
  const lastMine = lastSentByMe(items);
  // Recomputed when receipts move (`receipts` changes).
  const seenId = useMemo(
    () => (receipts >= 0 && lastMine?.eventId && other && room.hasUserReadEvent(other.userId, lastMine.eventId) ? lastMine.eventId : null),
    [receipts, lastMine, other, room],
  );

  const closed = access.chat?.status === 'closed' || closedHere !== null;
  const readOnly = closed || !access.canSend;
  const title = listed?.other.displayName ?? other?.name ?? room.name;
  const closerId = access.chat?.closed_by ?? (closedHere ? me : null);
  const closure: Closure = {
    typification: access.chat?.typification ?? closedHere?.typification ?? listed?.typification ?? null,
    closerName: closerId ? (room.getMember(closerId)?.name ?? closerId) : null,
    closedAt: access.chat?.closed_at ?? (closedHere?.closedAt ? Date.parse(closedHere.closedAt) : null),
  };
  const canLoadOlder =
    room.getLiveTimeline().getPaginationToken(Direction.Backward) !== null && !events.some((e) => e.getType() === 'm.room.create');
  useFillHistory(room, events.length, items.length, canLoadOlder);

  const resend = useCallback(
    (key: string) => {
      const event: MatrixEvent | undefined = byKey.get(key);
      if (event) void client.resendEvent(event, room).catch(() => undefined);
    },
    [byKey, client, room],
  );

  const loadOlder = async () => {
    setLoadingOlder(true);
    try {
      await client.scrollback(room, 30);
    } finally {
      setLoadingOlder(false);
    }
  };

  const senderName = useCallback((userId: string) => room.getMember(userId)?.name ?? userId, [room]);
  const handlers = useMemo<MessageHandlers | null>(
    () =>
      readOnly
        ? null
        : {
            reply: (item) => setComposing({ kind: 'reply', item }),
            edit: (item) => setComposing({ kind: 'edit', item }),
            remove: (item) => setDeleting(item),
            react: (item, key) => {
              if (item.eventId) send.react(item.eventId, key);
            },
            unreact: (eventId) => send.redact(eventId),
          },
    [readOnly, send],
  );
  const images = useMemo<ViewerImage[]>(
    () => items.flatMap((item) => (item.kind === 'message' && item.body.type === 'image' ? [{ url: item.body.url, name: item.body.name }] : [])),
    [items],
  );
  const openImage = useCallback((url: string) => setViewing(images.findIndex((image) => image.url === url)), [images]);
  const composerContext = composing ? contextOf(composing.kind, composing.item) : null;
  const submit = (text: string) => {
    const target = composing?.item.eventId;
    if (composing && target) {
      if (composing.kind === 'edit') send.edit(text, target);
      else send.reply(text, target);
    } else send.text(text);
    setComposing(null);
  };

  function contextOf(kind: 'reply' | 'edit', item: MessageItem): ComposerContext {
    const quote = item.body.type === 'text' || item.body.type === 'notice' ? preview(item.body.text) : item.body.type === 'image' || item.body.type === 'file' ? item.body.name : '';
    return { kind, title: kind === 'edit' ? t('editingMessage') : t('replyingTo', { name: senderName(item.senderId) }), quote };
  }
  const attachHint = t('attachHint', { size: formatBytes(lang, policy.maxBytes) });

  const hasFiles = (event: DragEvent) => !readOnly && [...event.dataTransfer.types].includes('Files');
  const drop = (event: DragEvent) => {
    setDragging(false);
    if (!hasFiles(event)) return;
    event.preventDefault();
    for (const file of event.dataTransfer.files) void sendFile(file);
  };

  return (
    <section
      className={`chat${dragging ? ' dragging' : ''}`}
      aria-labelledby="chat-title"
      onDragOver={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setDragging(false);
      }}
      onDrop={drop}
    >
      <ChatHeader
        title={title}
        headingRef={heading}
        closed={closed}
        campaignName={listed?.campaignName ?? null}
        presence={presence}
        onClose={() => setClosing(true)}
      />
      {openAtState === 'finding' ? (
        <p className="panel-note" role="status">
          <Spinner small /> {t('findingMessage')}
        </p>
      ) : openAtState === 'missing' ? (
        <p className="panel-note" role="alert">
          {t('messageNotFound')}
        </p>
      ) : null}
      <ContextCard room={room} />
      <Timeline
        items={items}
        focusEventId={focusEventId}
        canLoadOlder={canLoadOlder}
        loadingOlder={loadingOlder}
        onLoadOlder={() => void loadOlder()}
        renderMessage={(item) => (
          <MessageView
            key={item.key}
            item={item}
            senderName={senderName(item.senderId)}
            nameOf={senderName}
            seen={item.eventId !== null && item.eventId === seenId}
            highlighted={item.eventId !== null && item.eventId === focusEventId}
            onResend={resend}
            handlers={handlers}
            onJump={jumpToMessage}
            onOpenImage={openImage}
          />
        )}
      />
      <TypingIndicator members={typing} />
      {readOnly ? (
        <ClosedBanner closure={closure} />
      ) : (
        <>
          <UploadStatus uploads={uploads} rejections={rejections} onDismiss={dismiss} />
          <Composer
            key={composing?.kind === 'edit' ? `edit-${composing.item.key}` : 'compose'}
            context={composerContext}
            initialText={composing?.kind === 'edit' && composing.item.body.type === 'text' ? composing.item.body.text : ''}
            onCancelContext={() => setComposing(null)}
            onSend={submit}
            onTyping={(on, timeout) => void client.sendTyping(room.roomId, on, timeout).catch(() => undefined)}
            onFiles={(files) => files.forEach((f) => void sendFile(f))}
            attachHint={attachHint}
            accept={acceptAttribute(policy)}
          />
        </>
      )}
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          {t('dropHere')}
        </div>
      ) : null}
      {deleting ? (
        <Dialog title={t('deleteTitle')} description={t('deleteIntro')} onClose={() => setDeleting(null)} closeLabel={t('cancel')}>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setDeleting(null)}>
              {t('cancel')}
            </button>
            <button
              type="button"
              className="button danger"
              onClick={() => {
                if (deleting.eventId) send.redact(deleting.eventId);
                setDeleting(null);
              }}
            >
              {t('deleteConfirm')}
            </button>
          </div>
        </Dialog>
      ) : null}
      {viewing !== null && viewing >= 0 ? <ImageViewer images={images} index={viewing} onIndexChange={setViewing} onClose={() => setViewing(null)} /> : null}
      {closing ? (
        <CloseDialog
          roomId={room.roomId}
          onCancel={() => setClosing(false)}
          onClosed={(chat) => {
            setClosedHere(chat);
            setClosing(false);
            // The close button is gone: put focus on the chat's title, above the closed banner.
            requestAnimationFrame(() => heading.current?.focus());
          }}
        />
      ) : null}
    </section>
  );
}

import { Direction, SyncState, type MatrixEvent, type Room } from 'matrix-js-sdk';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { Chat } from '../../api/schemas.ts';
import { Icon } from '../../components/Icon.tsx';
import { Spinner } from '../../components/Spinner.tsx';
import { formatBytes } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useJoinedRoom, useLiveEvents, useReceiptsVersion, useRoomAccess, useSyncState, useTypingMembers } from '../../matrix/hooks.ts';
import { useMatrixClient } from '../../matrix/MatrixProvider.tsx';
import { Link } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { useSignedIn } from '../../session/SessionProvider.tsx';
import { acceptAttribute } from '../attachments/policy.ts';
import { UploadStatus } from '../attachments/UploadStatus.tsx';
import { useUploads } from '../attachments/useUploads.ts';
import { useChats } from '../chats/ChatsProvider.tsx';
import { CloseDialog } from '../close-dialog/CloseDialog.tsx';
import { ClosedBanner, type Closure } from './ClosedBanner.tsx';
import { Composer } from './Composer.tsx';
import { MessageView } from './MessageView.tsx';
import { Timeline } from './Timeline.tsx';
import { lastSentByMe, timelineItems } from './timeline-model.ts';
import { TypingIndicator } from './TypingIndicator.tsx';
import { useReadReceipt } from './useReadReceipt.ts';

const ROOM_WAIT_MS = 15_000;

/** A chat by room id: waits for the sync to bring the room, then shows it. */
export function ChatPage({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const room = useJoinedRoom(roomId);
  const sync = useSyncState();
  const [gaveUp, setGaveUp] = useState(false);
  const synced = sync === SyncState.Prepared || sync === SyncState.Syncing || sync === SyncState.Catchup;

  useEffect(() => {
    setGaveUp(false);
    if (room || !synced) return;
    const timer = setTimeout(() => setGaveUp(true), ROOM_WAIT_MS);
    return () => clearTimeout(timer);
  }, [room, synced, roomId]);

  if (room) return <ChatRoom key={room.roomId} room={room} />;
  return (
    <div className="pane-status">
      {gaveUp ? (
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
  const heading = useRef<HTMLHeadingElement>(null);
  useReadReceipt(room, events);

  const items = useMemo(() => timelineItems(events, { myUserId: me, botUserId: config.botUserId }), [events, me, config.botUserId]);
  const byKey = useMemo(() => new Map(events.map((e) => [e.getTxnId() ?? e.getId() ?? '', e] as const)), [events]);
  const other = room.getJoinedMembers().find((m) => m.userId !== me && m.userId !== config.botUserId) ?? null;
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

  const senderName = (userId: string) => room.getMember(userId)?.name ?? userId;
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
      <header className="pane-header chat-header">
        <Link to={paths.home} className="icon-button back-link" aria-label={t('back')}>
          <Icon name="back" />
        </Link>
        <div className="chat-title">
          <h2 id="chat-title" ref={heading} tabIndex={-1}>
            {title}
          </h2>
          <p className="muted">
            <span className={`status-tag ${closed ? 'closed' : 'open'}`}>{closed ? t('chatClosed') : t('chatOpen')}</span>
            {listed?.campaignName ? <span> · {t('campaignLabel', { name: listed.campaignName })}</span> : null}
          </p>
        </div>
        {!closed ? (
          <button type="button" className="button danger" onClick={() => setClosing(true)}>
            {t('closeChat')}
          </button>
        ) : null}
      </header>
      <Timeline
        items={items}
        canLoadOlder={canLoadOlder}
        loadingOlder={loadingOlder}
        onLoadOlder={() => void loadOlder()}
        renderMessage={(item) => (
          <MessageView key={item.key} item={item} senderName={senderName(item.senderId)} seen={item.eventId !== null && item.eventId === seenId} onResend={resend} />
        )}
      />
      <TypingIndicator members={typing} />
      {readOnly ? (
        <ClosedBanner closure={closure} />
      ) : (
        <>
          <UploadStatus uploads={uploads} rejections={rejections} onDismiss={dismiss} />
          <Composer
            onSend={(text) => void client.sendTextMessage(room.roomId, text).catch(() => undefined)}
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
      {closing ? (
        <CloseDialog
          roomId={room.roomId}
          onCancel={() => setClosing(false)}
          onClosed={(chat) => {
            setClosedHere(chat);
            setClosing(false);
            // The close button is gone: put focus on the chat's title, above the closed banner.
            requestAnimationFrame(() => heading.current?.focus());
            void chats.refresh();
          }}
        />
      ) : null}
    </section>
  );
}

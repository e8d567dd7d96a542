import type { MatrixEvent, Room } from 'matrix-js-sdk';
import { slaNoticeOf } from '@chattigo/contracts/event-types';
import { useEffect, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useMatrixClient } from '../../matrix/MatrixProvider.tsx';
import { useChatOpenedByOthers, useClosedChats, useLiveMessages, usePushRules, useUnreadCounts } from '../../matrix/hooks.ts';
import { paths } from '../../router/paths.ts';
import { useSignedIn } from '../../session/SessionProvider.tsx';
import { faviconUrl, titleWithCount, unreadTotal } from './badge.ts';
import { firstWords, isRoomMuted, shouldNotify, type Arrival } from './decide.ts';
import { useNotificationSettings } from './NotificationsProvider.tsx';
import { playChime } from './sound.ts';
import { usePageVisible } from './visibility.ts';
import { notifyThroughWorker, onNotificationClick, registerNotificationWorker } from './worker.ts';

const ICON = '/icons/icon-192.png';

/**
 * Tells the agent about new messages and new chats (desktop notification, chime) as the
 * preferences say, and keeps the unread total in the tab's title and favicon. Mounted once in
 * the signed-in shell with the chat on screen.
 */
export function useNotifier(activeRoomId: string | null): void {
  const client = useMatrixClient();
  const { config } = useSignedIn();
  const { t } = useI18n();
  const navigate = useNavigate();
  const { preferences, permission } = useNotificationSettings();
  const pushRules = usePushRules();
  const closed = useClosedChats();
  const visible = usePageVisible();

  const tell = (arrival: Arrival, title: string, body: string, requireInteraction = false) => {
    const situation = {
      me: client.getSafeUserId(),
      botUserId: config.botUserId,
      activeRoomId,
      visible: document.visibilityState === 'visible',
      muted: isRoomMuted(pushRules, arrival.roomId),
      closed: closed.has(arrival.roomId),
      now: Date.now(),
    };
    if (!shouldNotify(arrival, situation)) return;
    if (preferences.sound) playChime();
    if (!preferences.desktop || permission !== 'granted') return;
    const options = { body, tag: arrival.roomId, icon: ICON, requireInteraction };
    try {
      const notification = new Notification(title, options);
      notification.onclick = () => {
        window.focus();
        void navigate(paths.chat(arrival.roomId));
        notification.close();
      };
    } catch {
      // Some browsers notify only through a service worker (Android Chrome); without one, the title still counts.
      void notifyThroughWorker(title, { ...options, chatPath: paths.chat(arrival.roomId) }).catch(() => false);
    }
  };

  // The worker shows the notifications the page may not, and brings their clicks back here.
  const wantsWorker = preferences.desktop && permission === 'granted';
  useEffect(() => {
    if (wantsWorker) void registerNotificationWorker();
  }, [wantsWorker]);
  useEffect(() => onNotificationClick((chatPath) => void navigate(chatPath)), [navigate]);

  useLiveMessages((event: MatrixEvent, room: Room) => {
    const sender = event.getSender() ?? '';
    const content = event.getContent();
    const msgtype = typeof content['msgtype'] === 'string' ? content['msgtype'] : null;
    const text = typeof content['body'] === 'string' ? content['body'] : '';
    const sla = slaNoticeOf(content);
    if (sla?.kind === 'reminder') {
      // The bot reminds this agent (or the other one) of a question waiting for an answer.
      const asker = room.getMember(sla.asker)?.name ?? sla.asker;
      const arrival = { kind: 'message' as const, roomId: room.roomId, sender, msgtype, ts: event.getTs(), slaAskee: sla.askee };
      tell(arrival, t('slaReminderTitle'), t('slaReminderBody', { name: asker }), true);
      return;
    }
    const body = msgtype === 'm.text' || msgtype === 'm.emote' ? firstWords(text) : t('notifyAttachment', { name: firstWords(text, 60) });
    const name = room.getMember(sender)?.name ?? event.sender?.name ?? sender;
    tell({ kind: 'message', roomId: room.roomId, sender, msgtype, ts: event.getTs() }, name, body);
  });

  useChatOpenedByOthers((room, chat) => {
    const name = room.getMember(chat.opened_by)?.name ?? chat.opened_by;
    tell({ kind: 'new-chat', roomId: room.roomId, sender: chat.opened_by, msgtype: null, ts: chat.opened_at }, name, t('notifyNewChat'));
  });

  // The unread total in the title and on the favicon.
  const counts = useUnreadCounts();
  const total = useMemo(
    () => unreadTotal(counts, { activeRoomId, visible, muted: (roomId) => isRoomMuted(pushRules, roomId) }),
    [counts, activeRoomId, visible, pushRules],
  );
  useEffect(() => {
    const base = document.title;
    const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    const baseIcon = icon?.getAttribute('href') ?? null;
    return () => {
      document.title = base;
      if (icon && baseIcon !== null) icon.setAttribute('href', baseIcon);
    };
  }, []);
  const baseTitle = t('documentTitle');
  useEffect(() => {
    document.title = titleWithCount(baseTitle, total);
    document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.setAttribute('href', faviconUrl(total));
  }, [baseTitle, total]);
}

/**
 * The service worker of notifications (public/sw.js): registered once signed in, where the browser
 * has service workers. It shows a notification when the page may not make one itself
 * (`new Notification` throws on Android Chrome), and on a click brings the client to the chat.
 */

const WORKER_URL = '/sw.js';

/** What the worker posts to a window when its notification is clicked. */
interface OpenChatMessage {
  type: 'chattigo.open-chat';
  chatPath: string;
}

function isOpenChatMessage(data: unknown): data is OpenChatMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as Record<string, unknown>;
  return message['type'] === 'chattigo.open-chat' && typeof message['chatPath'] === 'string';
}

const supported = () => typeof navigator !== 'undefined' && 'serviceWorker' in navigator;

/** Registers the worker (again is a no-op); a refusal (an embedding page's sandbox, no HTTPS) leaves the page's own notifications. */
export async function registerNotificationWorker(): Promise<void> {
  if (!supported()) return;
  try {
    await navigator.serviceWorker.register(WORKER_URL, { scope: '/' });
  } catch {
    // Notifications still work where the page may make them itself.
  }
}

/** Shows a notification through the worker; false when there is none to show it. */
export async function notifyThroughWorker(title: string, options: NotificationOptions & { chatPath: string }): Promise<boolean> {
  if (!supported()) return false;
  const registration = await navigator.serviceWorker.getRegistration(WORKER_URL);
  if (!registration?.active) return false;
  const { chatPath, ...rest } = options;
  await registration.showNotification(title, { ...rest, data: { chatPath } });
  return true;
}

/** Calls `open` with the chat path of each notification clicked; returns the unsubscribe. */
export function onNotificationClick(open: (chatPath: string) => void): () => void {
  if (!supported()) return () => undefined;
  const listener = (event: MessageEvent) => {
    if (isOpenChatMessage(event.data) && event.data.chatPath.startsWith('/chats/')) open(event.data.chatPath);
  };
  navigator.serviceWorker.addEventListener('message', listener);
  return () => navigator.serviceWorker.removeEventListener('message', listener);
}

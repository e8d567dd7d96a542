import { afterEach, describe, expect, it, vi } from 'vitest';
import { notifyThroughWorker, onNotificationClick } from '../../src/features/notifications/worker.ts';

/** A `navigator.serviceWorker` with one registration, whose messages the test posts. */
function fakeServiceWorker(active: boolean) {
  const target = new EventTarget();
  const shown: { title: string; options: NotificationOptions }[] = [];
  const registration = {
    active: active ? {} : null,
    async showNotification(title: string, options: NotificationOptions) {
      shown.push({ title, options });
    },
  };
  const serviceWorker = Object.assign(target, { getRegistration: async () => registration });
  vi.stubGlobal('navigator', { serviceWorker });
  return { shown, post: (data: unknown) => target.dispatchEvent(new MessageEvent('message', { data })) };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the notifications service worker, from the page', () => {
  it('shows a notification through the active worker, with the chat to open on a click', async () => {
    const worker = fakeServiceWorker(true);
    await expect(notifyThroughWorker('José Pérez', { body: 'Hola', tag: '!a:x', chatPath: '/chats/!a%3Ax' })).resolves.toBe(true);
    expect(worker.shown).toEqual([{ title: 'José Pérez', options: { body: 'Hola', tag: '!a:x', data: { chatPath: '/chats/!a%3Ax' } } }]);
  });

  it('says so when no worker is active yet, and when the browser has none', async () => {
    fakeServiceWorker(false);
    await expect(notifyThroughWorker('x', { chatPath: '/chats/!a%3Ax' })).resolves.toBe(false);
    vi.stubGlobal('navigator', {});
    await expect(notifyThroughWorker('x', { chatPath: '/chats/!a%3Ax' })).resolves.toBe(false);
  });

  it('opens the chat of a clicked notification, and ignores other messages and other paths', () => {
    const worker = fakeServiceWorker(true);
    const opened: string[] = [];
    const stop = onNotificationClick((path) => opened.push(path));
    worker.post({ type: 'chattigo.open-chat', chatPath: '/chats/!a%3Ax' });
    worker.post({ type: 'chattigo.open-chat', chatPath: 'https://evil.example/' });
    worker.post({ type: 'chattigo.open-chat', chatPath: '/supervision' });
    worker.post({ type: 'other', chatPath: '/chats/!b%3Ax' });
    worker.post('chattigo.open-chat');
    stop();
    worker.post({ type: 'chattigo.open-chat', chatPath: '/chats/!c%3Ax' });
    expect(opened).toEqual(['/chats/!a%3Ax']);
  });
});

// The web client's service worker. It serves no request (there is no fetch handler: every load
// goes to the network as without it); it exists for notifications, which some browsers (Android
// Chrome) show only through a service worker, and for their click: bring a window of the client
// to the front at the chat, or open one. Registered by features/notifications/worker.ts.

self.addEventListener('install', () => {
  void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data;
  const chatPath = data && typeof data.chatPath === 'string' && data.chatPath.startsWith('/chats/') ? data.chatPath : '/chats';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        open.postMessage({ type: 'chattigo.open-chat', chatPath });
        return;
      }
      await self.clients.openWindow(chatPath);
    })(),
  );
});

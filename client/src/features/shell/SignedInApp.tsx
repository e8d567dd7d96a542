import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useEffect, useState } from 'react';
import { Outlet, useMatch } from 'react-router';
import { AgentApiProvider } from '../../api/AgentApiProvider.tsx';
import { createQueryClient } from '../../api/queries.ts';
import { PaneLoading } from '../../components/Loading.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useResendWhenReconnected } from '../../matrix/hooks.ts';
import { MatrixProvider } from '../../matrix/MatrixProvider.tsx';
import { paths, roomIdParam } from '../../router/paths.ts';
import { useSession, useSignedIn } from '../../session/SessionProvider.tsx';
import { ChatList } from '../chats/ChatList.tsx';
import { ChatsProvider } from '../chats/ChatsProvider.tsx';
import { NotificationsProvider } from '../notifications/NotificationsProvider.tsx';
import { PermissionBanner } from '../notifications/PermissionBanner.tsx';
import { useNotifier } from '../notifications/useNotifier.ts';
import { EmbedBridge } from '../embed/EmbedBridge.tsx';
import { isEmbedded } from '../embed/mode.ts';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { Toolbar } from './Toolbar.tsx';

/**
 * Everything after login, loaded on demand (with matrix-js-sdk): the agent's API, its query cache
 * (one per signed-in session, emptied when the session ends) and Matrix client, the toolbar, the
 * chat list and the route's pane (the `<Outlet />`, see router/router.tsx). On a phone-sized screen only one of
 * the list and the pane shows at a time.
 */
export function SignedInApp() {
  const session = useSignedIn();
  const { expire } = useSession();
  const [queryClient] = useState(createQueryClient);
  useEffect(() => () => queryClient.clear(), [queryClient]);
  return (
    <QueryClientProvider client={queryClient}>
      <AgentApiProvider keeper={session.keeper}>
        <MatrixProvider credentials={session.credentials} onLoggedOut={expire}>
          <ChatsProvider>
            <NotificationsProvider>
              <Shell />
            </NotificationsProvider>
          </ChatsProvider>
        </MatrixProvider>
      </AgentApiProvider>
    </QueryClientProvider>
  );
}

function Shell() {
  const { t } = useI18n();
  const chat = useMatch('/chats/:roomId');
  const picker = useMatch(paths.picker);
  const activeRoomId = roomIdParam(chat?.params['roomId']);
  useResendWhenReconnected();
  useNotifier(activeRoomId);
  const supervision = useMatch(`${paths.supervision}/*`);
  const view = chat || picker || supervision ? 'detail' : 'list';
  // Inside the agent desktop: no toolbar of its own (the host opens the picker), compact layout.
  const embedded = isEmbedded();
  const pending = <PaneLoading />;
  return (
    <div className={`app view-${view}${embedded ? ' embedded' : ''}`}>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      {embedded ? <EmbedBridge /> : <Toolbar />}
      <ConnectionBanner />
      <PermissionBanner />
      <div className="workspace">
        <aside className="sidebar">
          <ChatList activeRoomId={activeRoomId} />
        </aside>
        <main className="content" id="main" tabIndex={-1}>
          <Suspense fallback={pending}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}

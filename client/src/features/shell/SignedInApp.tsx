import { lazy, Suspense } from 'react';
import { AgentApiProvider } from '../../api/AgentApiProvider.tsx';
import { Spinner } from '../../components/Spinner.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { MatrixProvider } from '../../matrix/MatrixProvider.tsx';
import type { Route } from '../../router/routes.ts';
import { useSession, useSignedIn } from '../../session/SessionProvider.tsx';
import { ChatList } from '../chats/ChatList.tsx';
import { ChatsProvider } from '../chats/ChatsProvider.tsx';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { Toolbar } from './Toolbar.tsx';

const ChatPage = lazy(() => import('../chat/ChatPage.tsx').then((m) => ({ default: m.ChatPage })));
const AgentPicker = lazy(() => import('../picker/AgentPicker.tsx').then((m) => ({ default: m.AgentPicker })));

/**
 * Everything after login, loaded on demand (with matrix-js-sdk): the agent's API and Matrix
 * client, the toolbar, the chat list and the route's pane. On a phone-sized screen only one of
 * the list and the pane shows at a time.
 */
export function SignedInApp({ route }: { route: Route }) {
  const session = useSignedIn();
  const { expire } = useSession();
  return (
    <AgentApiProvider keeper={session.keeper}>
      <MatrixProvider credentials={session.credentials} onLoggedOut={expire}>
        <ChatsProvider>
          <Shell route={route} />
        </ChatsProvider>
      </MatrixProvider>
    </AgentApiProvider>
  );
}

function Shell({ route }: { route: Route }) {
  const { t } = useI18n();
  const view = route.name === 'home' ? 'list' : 'detail';
  const pending = (
    <p className="pane-status" role="status">
      <Spinner small /> {t('loading')}
    </p>
  );
  return (
    <div className={`app view-${view}`}>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <Toolbar route={route} />
      <ConnectionBanner />
      <div className="workspace">
        <aside className="sidebar">
          <ChatList activeRoomId={route.name === 'chat' ? route.roomId : null} />
        </aside>
        <main className="content" id="main" tabIndex={-1}>
          <Suspense fallback={pending}>
            {route.name === 'chat' ? (
              <ChatPage roomId={route.roomId} />
            ) : route.name === 'picker' ? (
              <AgentPicker />
            ) : (
              <p className="pane-status">{t('selectChat')}</p>
            )}
          </Suspense>
        </main>
      </div>
    </div>
  );
}

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { I18nProvider } from './i18n/I18nProvider.tsx';
import { startEmbedMode } from './features/embed/mode.ts';
import { createAppRouter } from './router/router.tsx';
import { SessionProvider } from './session/SessionProvider.tsx';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
startEmbedMode();
const router = createAppRouter();
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);

import { lazy } from 'react';

/**
 * The code-split parts of the client. The login screen is in the first download; everything
 * after it (and matrix-js-sdk with it) comes in these chunks. The login form starts fetching the
 * signed-in app as soon as someone starts typing, so it is usually there when the login is done.
 */
export const loadSignedInApp = () => import('./features/shell/SignedInApp.tsx');

export const SignedInApp = lazy(() => loadSignedInApp().then((m) => ({ default: m.SignedInApp })));
export const ChatPage = lazy(() => import('./features/chat/ChatPage.tsx').then((m) => ({ default: m.ChatPage })));
export const AgentPicker = lazy(() => import('./features/picker/AgentPicker.tsx').then((m) => ({ default: m.AgentPicker })));
export const ForgotPasswordPage = lazy(() => import('./features/password/ForgotPasswordPage.tsx').then((m) => ({ default: m.ForgotPasswordPage })));
export const ResetPasswordPage = lazy(() => import('./features/password/ResetPasswordPage.tsx').then((m) => ({ default: m.ResetPasswordPage })));
/** Supervisors and admins only; the charts inside it are a chunk of their own (chart.js). */
export const SupervisionPage = lazy(() => import('./features/supervision/SupervisionPage.tsx').then((m) => ({ default: m.SupervisionPage })));
export const ReviewPage = lazy(() => import('./features/supervision/ReviewPage.tsx').then((m) => ({ default: m.ReviewPage })));

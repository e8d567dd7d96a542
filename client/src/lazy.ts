import { lazy } from 'react';

/**
 * The code-split parts of the client. The login screen is in the first download; everything
 * after it (and matrix-js-sdk with it) comes in these chunks. The login form starts fetching the
 * signed-in app as soon as someone starts typing, so it is usually there when the login is done.
 */
export const loadSignedInApp = () => import('./features/shell/SignedInApp.tsx');

export const SignedInApp = lazy(() => loadSignedInApp().then((m) => ({ default: m.SignedInApp })));
export const ForgotPasswordPage = lazy(() => import('./features/password/ForgotPasswordPage.tsx').then((m) => ({ default: m.ForgotPasswordPage })));
export const ResetPasswordPage = lazy(() => import('./features/password/ResetPasswordPage.tsx').then((m) => ({ default: m.ResetPasswordPage })));

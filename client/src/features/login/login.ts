import { ApiError, NETWORK } from '../../api/http.ts';
import {
  createApiSession,
  exchangeLoginCode,
  fetchClientConfig,
  matrixLogout,
  matrixPasswordLogin,
  type MatrixCredentials,
} from '../../api/public.ts';
import type { ClientConfig } from '@chattigo/contracts/client-config';
import type { SessionResponse } from '@chattigo/contracts/session';
import type { MessageKey, MessageVars } from '../../i18n/messages.ts';

export interface LoggedIn {
  credentials: MatrixCredentials;
  config: ClientConfig;
  session: SessionResponse;
}

/** Which step of the login failed, and why. */
export class LoginFailure extends Error {
  readonly step: 'config' | 'matrix' | 'session';
  readonly error: unknown;
  constructor(step: LoginFailure['step'], error: unknown) {
    super(`login failed at ${step}`);
    this.step = step;
    this.error = error;
  }
}

async function at<T>(step: LoginFailure['step'], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new LoginFailure(step, err);
  }
}

/**
 * The whole login with plain `fetch`: client configuration, `m.login.password` at Synapse, then
 * an API session for the Matrix token. A Matrix login that is not an agent is logged out again.
 */
export function logIn(username: string, password: string, lang: string): Promise<LoggedIn> {
  return logInAtMatrix(lang, (homeserverUrl) => matrixPasswordLogin(homeserverUrl, username, password, lang));
}

/** The same with a one-time code from the platform instead of a password (single sign-on). */
export function logInWithCode(code: string, lang: string): Promise<LoggedIn> {
  return logInAtMatrix(lang, (homeserverUrl) => exchangeLoginCode(homeserverUrl, code, lang));
}

/** Configuration, the given Matrix login, then the API session (logging out of Matrix if that fails). */
async function logInAtMatrix(lang: string, matrixLogin: (homeserverUrl: string) => Promise<MatrixCredentials>): Promise<LoggedIn> {
  const config = await at('config', () => fetchClientConfig(lang));
  const credentials = await at('matrix', () => matrixLogin(config.homeserverUrl));
  try {
    const session = await at('session', () => createApiSession(credentials.accessToken, lang));
    return { credentials, config, session };
  } catch (err) {
    await matrixLogout(credentials, lang).catch(() => undefined);
    throw err;
  }
}

export interface ShownError {
  key: MessageKey;
  vars?: MessageVars;
  /** The server's own text, used instead of `key` when set. */
  text?: string;
}

/** What to tell the person after a failed login. */
export function describeLoginFailure(failure: unknown): ShownError {
  const step = failure instanceof LoginFailure ? failure.step : 'config';
  const err = failure instanceof LoginFailure ? failure.error : failure;
  if (!(err instanceof ApiError)) return { key: 'unexpectedError' };
  if (err.errcode === NETWORK) return { key: 'networkError' };
  if (err.status === 429 || err.errcode === 'M_LIMIT_EXCEEDED') {
    return err.retryAfterMs ? { key: 'loginThrottled', vars: { seconds: Math.ceil(err.retryAfterMs / 1000) } } : { key: 'loginThrottledNoTime' };
  }
  if (step === 'matrix' && (err.errcode === 'M_FORBIDDEN' || err.errcode === 'M_USER_DEACTIVATED' || err.status === 403)) {
    return { key: 'loginBadCredentials' };
  }
  if (step === 'session' && err.status === 403) return { key: 'loginNotAgent' };
  return err.userMessage && step !== 'matrix' ? { key: 'unexpectedError', text: err.userMessage } : { key: 'unexpectedError' };
}

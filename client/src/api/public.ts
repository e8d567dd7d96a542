import { ClientConfigSchema, type ClientConfig } from '@chattigo/contracts/client-config';
import {
  ForgotPasswordResponseSchema,
  ResetPasswordResponseSchema,
  type ForgotPasswordResponse,
  type ResetPasswordResponse,
} from '@chattigo/contracts/passwords';
import { SessionResponseSchema, type SessionResponse } from '@chattigo/contracts/session';
import { CodeExchangeResponseSchema } from '@chattigo/contracts/sso';
import { requestJson } from './http.ts';
import { EmptySchema, MatrixLoginSchema } from './schemas.ts';

/**
 * Calls made before there is an API session: the client configuration, the Matrix password login
 * (straight to Synapse, whose auth module asks the appservice), the exchange of a Matrix access
 * token for an API session token, and the password links. Plain `fetch`: the login screen must
 * not load matrix-js-sdk.
 */

export function fetchClientConfig(lang: string): Promise<ClientConfig> {
  return requestJson('/api/v1/client-config', ClientConfigSchema, { lang });
}

export interface MatrixCredentials {
  homeserverUrl: string;
  userId: string;
  deviceId: string;
  accessToken: string;
}

/** `m.login.password` with the Chattigo username (Synapse's `rc_login` limits apply). */
export async function matrixPasswordLogin(homeserverUrl: string, username: string, password: string, lang: string): Promise<MatrixCredentials> {
  const answer = await requestJson(`${homeserverUrl}/_matrix/client/v3/login`, MatrixLoginSchema, {
    method: 'POST',
    lang,
    body: {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: username.trim() },
      password,
      initial_device_display_name: 'Chattigo web',
    },
  });
  return { homeserverUrl, userId: answer.user_id, deviceId: answer.device_id, accessToken: answer.access_token };
}

/** `POST /api/v1/sso/exchange`: the Matrix login a one-time code from the platform stands for (single use). */
export async function exchangeLoginCode(homeserverUrl: string, code: string, lang: string): Promise<MatrixCredentials> {
  const answer = await requestJson('/api/v1/sso/exchange', CodeExchangeResponseSchema, { method: 'POST', body: { code }, lang });
  return { homeserverUrl, userId: answer.userId, deviceId: answer.deviceId, accessToken: answer.accessToken };
}

/** Ends the Matrix session (the access token stops working everywhere). */
export async function matrixLogout(credentials: MatrixCredentials, lang: string): Promise<void> {
  await requestJson(`${credentials.homeserverUrl}/_matrix/client/v3/logout`, EmptySchema, {
    method: 'POST',
    token: credentials.accessToken,
    body: {},
    lang,
  });
}

/** `POST /api/v1/session`: a short-lived API session token for a Matrix access token. */
export function createApiSession(matrixAccessToken: string, lang: string): Promise<SessionResponse> {
  return requestJson('/api/v1/session', SessionResponseSchema, { method: 'POST', token: matrixAccessToken, lang });
}

export function requestPasswordReset(identifier: string, lang: string): Promise<ForgotPasswordResponse> {
  return requestJson('/api/v1/password/forgot', ForgotPasswordResponseSchema, { method: 'POST', body: { identifier: identifier.trim() }, lang });
}

export function resetPassword(token: string, password: string, lang: string): Promise<ResetPasswordResponse> {
  return requestJson('/api/v1/password/reset', ResetPasswordResponseSchema, { method: 'POST', body: { token, password }, lang });
}

import type { Static, TSchema } from 'typebox';
import { Check } from 'typebox/schema';
import { ErrorBodySchema } from './schemas.ts';

/**
 * An answer that is not what was asked for: an error body of the appservice or Synapse
 * (`errcode`, `error` in the language asked for), or one of the client's own codes:
 * `CHATTIGO_NETWORK` (no answer) and `CHATTIGO_BAD_RESPONSE` (an answer of an unexpected shape).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly errcode: string;
  /** The server's message for the user, when it sent one. */
  readonly userMessage: string | null;
  readonly retryAfterMs: number | null;

  constructor(status: number, errcode: string, userMessage: string | null, retryAfterMs: number | null = null) {
    super(`${status} ${errcode}${userMessage ? `: ${userMessage}` : ''}`);
    this.name = 'ApiError';
    this.status = status;
    this.errcode = errcode;
    this.userMessage = userMessage;
    this.retryAfterMs = retryAfterMs;
  }
}

export const NETWORK = 'CHATTIGO_NETWORK';
export const BAD_RESPONSE = 'CHATTIGO_BAD_RESPONSE';

export interface JsonRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Bearer token: the API session token, or the Matrix access token for Synapse and `/session`. */
  token?: string | null;
  body?: unknown;
  /** The UI language, so that error messages come back in it. */
  lang: string;
  signal?: AbortSignal;
}

/** Sends a JSON request and checks the answer against `schema`. */
export async function requestJson<S extends TSchema>(url: string, schema: S, request: JsonRequest): Promise<Static<S>> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': request.lang };
  if (request.token) headers['authorization'] = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? null : JSON.stringify(request.body),
      signal: request.signal ?? null,
    });
  } catch (err) {
    if (request.signal?.aborted) throw err;
    throw new ApiError(0, NETWORK, null);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw errorFrom(response, body);
  if (!Check(schema, body)) throw new ApiError(response.status, BAD_RESPONSE, null);
  return body;
}

/** The ApiError for a failed answer; Retry-After (seconds) is used when the body gives no delay. */
export function errorFrom(response: Pick<Response, 'status' | 'headers'>, body: unknown): ApiError {
  if (Check(ErrorBodySchema, body)) {
    const header = Number(response.headers.get('retry-after'));
    const retry = body.retry_after_ms ?? (Number.isFinite(header) && header > 0 ? header * 1000 : null);
    return new ApiError(response.status, body.errcode, body.error ?? null, retry);
  }
  return new ApiError(response.status, response.status >= 500 ? 'M_UNKNOWN' : BAD_RESPONSE, null);
}

import type { MatrixClient } from 'matrix-js-sdk';

/** The outcome of fetching a piece of media to inspect it. */
export type Fetched =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'too-large' }
  /** The homeserver refused or does not have it (4xx): it cannot be inspected. */
  | { ok: false; reason: 'unavailable'; status: number };

/** A failure worth retrying: the homeserver answered 5xx, or the connection failed or timed out. */
export class TransientMediaError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientMediaError';
  }
}

const MXC = /^mxc:\/\/([A-Za-z0-9.:[\]-]+)\/([A-Za-z0-9_-]+)$/;

export function isMxcUrl(url: string): boolean {
  return MXC.test(url);
}

export function parseMxc(url: string): { server: string; mediaId: string } | undefined {
  const [, server, mediaId] = MXC.exec(url) ?? [];
  return server && mediaId ? { server, mediaId } : undefined;
}

/**
 * Downloads media as `client` through authenticated media (`/_matrix/client/v1/media/download`,
 * bearer token), reading at most `maxBytes + 1` bytes: a larger file is reported, not held.
 */
export async function fetchMedia(client: MatrixClient, mxcUrl: string, maxBytes: number, timeoutMs = 30_000): Promise<Fetched> {
  const url = client.mxcUrlToHttp(mxcUrl, undefined, undefined, undefined, false, true, true);
  const token = client.getAccessToken();
  if (!url || !isMxcUrl(mxcUrl)) return { ok: false, reason: 'unavailable', status: 400 };
  let response: Response;
  try {
    response = await fetch(url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new TransientMediaError(`media download failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (response.status >= 500 || response.status === 429) {
    await response.body?.cancel();
    throw new TransientMediaError(`media download answered HTTP ${response.status}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, reason: 'unavailable', status: response.status };
  }
  const declaredLength = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declaredLength > maxBytes) {
    await response.body?.cancel();
    return { ok: false, reason: 'too-large' };
  }
  try {
    const bytes = await readBounded(response, maxBytes);
    return bytes ? { ok: true, bytes } : { ok: false, reason: 'too-large' };
  } catch (err) {
    throw new TransientMediaError(`media download broke off: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** The body, or undefined as soon as it grows past `maxBytes` (the rest is not read). */
export async function readBounded(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

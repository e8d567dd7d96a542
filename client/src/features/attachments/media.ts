/**
 * Authenticated media (Matrix 1.11): downloads go to `/_matrix/client/v1/media/…` with the access
 * token in the Authorization header. An `<img src>` cannot send it, so media is fetched into a
 * Blob and shown through an object URL that its user revokes.
 */
export interface MxcParts {
  serverName: string;
  mediaId: string;
}

export function parseMxc(uri: string): MxcParts | null {
  const match = /^mxc:\/\/([A-Za-z0-9.:[\]-]+)\/([A-Za-z0-9_-]+)$/.exec(uri);
  return match?.[1] && match[2] ? { serverName: match[1], mediaId: match[2] } : null;
}

export function downloadUrl(homeserverUrl: string, mxc: MxcParts): string {
  return `${homeserverUrl}/_matrix/client/v1/media/download/${encodeURIComponent(mxc.serverName)}/${encodeURIComponent(mxc.mediaId)}`;
}

export function thumbnailUrl(homeserverUrl: string, mxc: MxcParts, width: number, height: number): string {
  const params = new URLSearchParams({ width: String(width), height: String(height), method: 'scale' });
  return `${homeserverUrl}/_matrix/client/v1/media/thumbnail/${encodeURIComponent(mxc.serverName)}/${encodeURIComponent(mxc.mediaId)}?${params.toString()}`;
}

export async function fetchMedia(url: string, accessToken: string, signal?: AbortSignal): Promise<Blob> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` }, signal: signal ?? null });
  if (!response.ok) throw new Error(`media request failed with ${response.status}`);
  return response.blob();
}

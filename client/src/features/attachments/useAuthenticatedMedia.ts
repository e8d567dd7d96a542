import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../../api/queries.ts';
import { useSignedIn } from '../../session/SessionProvider.tsx';
import { downloadUrl, fetchMedia, parseMxc, thumbnailUrl } from './media.ts';

export type MediaState = { status: 'loading' } | { status: 'ready'; url: string } | { status: 'failed' };

/**
 * An object URL for an `mxc://` image, fetched with the access token: a thumbnail of at most
 * `width`×`height` when the homeserver makes one, else the original. Kept in the query cache
 * (an image scrolled away and back is not downloaded again); the cache revokes the URL when it
 * drops the entry (api/queries.ts). `width` and `height` 0: the original, never a thumbnail (the
 * image viewer).
 */
export function useAuthenticatedImage(mxc: string, width: number, height: number): MediaState {
  const { credentials } = useSignedIn();
  const parts = parseMxc(mxc);
  const query = useQuery({
    queryKey: queryKeys.media(mxc, width, height),
    enabled: parts !== null,
    queryFn: async ({ signal }) => {
      if (!parts) throw new Error(`not an mxc URI: ${mxc}`);
      const { homeserverUrl, accessToken } = credentials;
      const original = () => fetchMedia(downloadUrl(homeserverUrl, parts), accessToken, signal);
      const blob = width > 0 && height > 0 ? await fetchMedia(thumbnailUrl(homeserverUrl, parts, width, height), accessToken, signal).catch(original) : await original();
      return URL.createObjectURL(blob);
    },
    staleTime: Infinity,
    retry: 1,
  });
  if (!parts || query.isError) return { status: 'failed' };
  return query.data ? { status: 'ready', url: query.data } : { status: 'loading' };
}

/** Downloads an `mxc://` file with the access token and hands it to the browser as `name`. */
export async function saveMedia(homeserverUrl: string, accessToken: string, mxc: string, name: string): Promise<void> {
  const parts = parseMxc(mxc);
  if (!parts) throw new Error(`not an mxc URI: ${mxc}`);
  const blob = await fetchMedia(downloadUrl(homeserverUrl, parts), accessToken);
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    // Give the browser a moment to start the download before the URL goes away.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

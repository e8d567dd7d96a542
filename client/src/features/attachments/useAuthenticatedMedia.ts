import { useEffect, useState } from 'react';
import { useSignedIn } from '../../session/SessionProvider.tsx';
import { downloadUrl, fetchMedia, parseMxc, thumbnailUrl } from './media.ts';

export type MediaState = { status: 'loading' } | { status: 'ready'; url: string } | { status: 'failed' };

/**
 * An object URL for an `mxc://` image, fetched with the access token: a thumbnail of at most
 * `width`×`height` when the homeserver makes one, else the original. Revoked on unmount.
 */
export function useAuthenticatedImage(mxc: string, width: number, height: number): MediaState {
  const { credentials } = useSignedIn();
  const [state, setState] = useState<MediaState>({ status: 'loading' });
  useEffect(() => {
    const parts = parseMxc(mxc);
    if (!parts) {
      setState({ status: 'failed' });
      return;
    }
    const controller = new AbortController();
    let objectUrl: string | null = null;
    const { homeserverUrl, accessToken } = credentials;
    setState({ status: 'loading' });
    fetchMedia(thumbnailUrl(homeserverUrl, parts, width, height), accessToken, controller.signal)
      .catch(() => fetchMedia(downloadUrl(homeserverUrl, parts), accessToken, controller.signal))
      .then(
        (blob) => {
          if (controller.signal.aborted) return;
          objectUrl = URL.createObjectURL(blob);
          setState({ status: 'ready', url: objectUrl });
        },
        () => {
          if (!controller.signal.aborted) setState({ status: 'failed' });
        },
      );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [credentials, mxc, width, height]);
  return state;
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

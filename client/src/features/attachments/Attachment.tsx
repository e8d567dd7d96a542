import { useState } from 'react';
import { Spinner } from '../../components/Spinner.tsx';
import { formatBytes } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSignedIn } from '../../session/SessionProvider.tsx';
import { extensionOf } from './policy.ts';
import { saveMedia, useAuthenticatedImage } from './useAuthenticatedMedia.ts';

export const PREVIEW_W = 320;
export const PREVIEW_H = 240;

function DownloadButton({ url, name }: { url: string; name: string }) {
  const { t } = useI18n();
  const { credentials } = useSignedIn();
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const download = async () => {
    setState('busy');
    try {
      await saveMedia(credentials.homeserverUrl, credentials.accessToken, url, name);
      setState('idle');
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      <button type="button" className="button small" onClick={() => void download()} disabled={state === 'busy'} aria-label={t('downloadNamed', { name })}>
        {state === 'busy' ? <Spinner small /> : null} {t('download')}
      </button>
      {state === 'failed' ? (
        <span className="row-error" role="alert">
          {t('downloadFailed')}
        </span>
      ) : null}
    </>
  );
}

/** A received or sent image: a preview fetched with the access token (a button that enlarges it, with `onOpen`), and a download. */
export function ImageAttachment({
  url,
  name,
  width,
  height,
  onOpen,
}: {
  url: string;
  name: string;
  width: number | null;
  height: number | null;
  onOpen?: (() => void) | undefined;
}) {
  const { t } = useI18n();
  const media = useAuthenticatedImage(url, PREVIEW_W, PREVIEW_H);
  const scale = width && height ? Math.min(1, PREVIEW_W / width, PREVIEW_H / height) : null;
  const box = scale && width && height ? { width: Math.round(width * scale), height: Math.round(height * scale) } : undefined;
  return (
    <figure className="attachment image">
      <div className="image-frame" style={box}>
        {media.status === 'ready' && onOpen ? (
          <button type="button" className="image-open" onClick={onOpen} aria-label={t('openImage', { name })}>
            <img src={media.url} alt={t('imageAlt', { name })} width={box?.width} height={box?.height} />
          </button>
        ) : media.status === 'ready' ? (
          <img src={media.url} alt={t('imageAlt', { name })} width={box?.width} height={box?.height} />
        ) : media.status === 'loading' ? (
          <span className="muted">
            <Spinner small /> {t('imageLoading')}
          </span>
        ) : (
          <span className="muted">{t('imageFailed')}</span>
        )}
      </div>
      <figcaption>
        <span className="file-name">{name}</span> <DownloadButton url={url} name={name} />
      </figcaption>
    </figure>
  );
}

/** A document: its name, type, size and a download. */
export function FileAttachment({ url, name, size }: { url: string; name: string; size: number | null }) {
  const { lang } = useI18n();
  const ext = extensionOf(name).toUpperCase() || '?';
  return (
    <div className="attachment file">
      <span className="file-icon" aria-hidden="true">
        {ext.slice(0, 4)}
      </span>
      <span className="file-details">
        <span className="file-name">{name}</span>
        {size !== null ? <span className="muted file-size">{formatBytes(lang, size)}</span> : null}
      </span>
      <DownloadButton url={url} name={name} />
    </div>
  );
}

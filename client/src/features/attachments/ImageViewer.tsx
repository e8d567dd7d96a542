import { useEffect, useEffectEvent, useState } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { PREVIEW_H, PREVIEW_W } from './Attachment.tsx';
import { useAuthenticatedImage } from './useAuthenticatedMedia.ts';

export interface ViewerImage {
  url: string;
  name: string;
}

/**
 * An image of the chat enlarged in a modal dialog: the preview the timeline already fetched shows
 * at once, the original replaces it when it arrives. Left/right arrows (and buttons) go through
 * the chat's images, Escape or the close button closes. Fitted to the screen; on a phone the
 * browser's pinch zoom works on it (`touch-action: pinch-zoom`), a tap toggles the real size.
 */
export function ImageViewer({ images, index, onIndexChange, onClose }: { images: readonly ViewerImage[]; index: number; onIndexChange(index: number): void; onClose(): void }) {
  const { t } = useI18n();
  const image = images[index];
  const preview = useAuthenticatedImage(image?.url ?? '', PREVIEW_W, PREVIEW_H);
  const original = useAuthenticatedImage(image?.url ?? '', 0, 0);
  const [actualSize, setActualSize] = useState(false);
  const go = (step: number) => {
    const next = index + step;
    if (next >= 0 && next < images.length) {
      setActualSize(false);
      onIndexChange(next);
    }
  };
  const onArrow = useEffectEvent((event: KeyboardEvent) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    go(event.key === 'ArrowLeft' ? -1 : 1);
  });
  useEffect(() => {
    document.addEventListener('keydown', onArrow);
    return () => document.removeEventListener('keydown', onArrow);
  }, []);
  if (!image) return null;
  const shown = original.status === 'ready' ? original : preview;
  return (
    <Dialog title={image.name} description={images.length > 1 ? `${t('imageViewerPosition', { index: index + 1, count: images.length })}. ${t('imageViewerHint')}` : undefined} onClose={onClose} closeLabel={t('close')} className="image-viewer">
      <div className="viewer-stage" data-testid="image-viewer">
        {shown.status === 'ready' ? (
          <button type="button" className={`viewer-image${actualSize ? ' actual' : ''}`} aria-pressed={actualSize} onClick={() => setActualSize((v) => !v)} aria-label={t('imageAlt', { name: image.name })}>
            <img src={shown.url} alt="" />
          </button>
        ) : (
          <p className="muted">{shown.status === 'loading' ? t('imageLoading') : t('imageFailed')}</p>
        )}
      </div>
      {images.length > 1 ? (
        <div className="viewer-nav">
          <button type="button" className="button small" onClick={() => go(-1)} disabled={index === 0}>
            {t('previousImage')}
          </button>
          <button type="button" className="button small" onClick={() => go(1)} disabled={index === images.length - 1}>
            {t('nextImage')}
          </button>
        </div>
      ) : null}
    </Dialog>
  );
}

import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { Rejection, UploadEntry } from './useUploads.ts';

/** Files on their way (with progress) and files refused before upload, above the composer. */
export function UploadStatus({ uploads, rejections, onDismiss }: { uploads: UploadEntry[]; rejections: Rejection[]; onDismiss(id: number): void }) {
  const { t } = useI18n();
  if (uploads.length === 0 && rejections.length === 0) return null;
  return (
    <div className="upload-status">
      {rejections.map((r) => (
        <div key={r.id} className="alert error compact" role="alert">
          <span>{r.message}</span>
          <button type="button" className="button small" onClick={() => onDismiss(r.id)}>
            {t('dismiss')}
          </button>
        </div>
      ))}
      {uploads.map((u) => {
        const percent = u.size > 0 ? Math.min(100, Math.round((u.loaded / u.size) * 100)) : 0;
        return (
          <div key={u.id} className={`upload ${u.status}`}>
            {u.status === 'failed' ? (
              <span role="alert">{t('uploadFailed', { name: u.name })}</span>
            ) : (
              <>
                <label className="upload-label">
                  {t('uploading', { name: u.name, percent })}
                  <progress max={100} value={percent} />
                </label>
              </>
            )}
            <button type="button" className="button small" onClick={u.cancel}>
              {u.status === 'failed' ? t('dismiss') : t('cancelUpload')}
            </button>
          </div>
        );
      })}
    </div>
  );
}

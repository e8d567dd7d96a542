import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import type { Chat, Typification } from '../../api/schemas.ts';
import { Alert } from '../../components/Alert.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { errorText } from '../../components/ErrorText.ts';
import { Spinner } from '../../components/Spinner.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { matchesWords } from '../../util/fold.ts';

type Catalog = { status: 'loading' } | { status: 'ready'; typifications: Typification[] } | { status: 'failed'; message: string };

/**
 * Closing a chat: pick a typification of the chat's catalog (searchable by code or label,
 * ignoring accents), confirm. Errors of the appservice (an invalid code, a chat closed meanwhile)
 * are shown in the dialog.
 */
export function CloseDialog({ roomId, onCancel, onClosed }: { roomId: string; onCancel(): void; onClosed(chat: Chat): void }) {
  const { t } = useI18n();
  const api = useAgentApi();
  const [catalog, setCatalog] = useState<Catalog>({ status: 'loading' });
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const [submit, setSubmit] = useState<{ status: 'idle' } | { status: 'closing' } | { status: 'failed'; message: string }>({ status: 'idle' });
  const [attempt, setAttempt] = useState(0);
  const searchId = useId();
  const errorId = useId();

  useEffect(() => {
    let live = true;
    setCatalog({ status: 'loading' });
    api.typifications(roomId).then(
      (typifications) => live && setCatalog({ status: 'ready', typifications }),
      (err: unknown) => live && setCatalog({ status: 'failed', message: errorText(err, t) }),
    );
    return () => {
      live = false;
    };
  }, [api, roomId, t, attempt]);

  const shown = useMemo(
    () => (catalog.status === 'ready' ? catalog.typifications.filter((ty) => matchesWords(`${ty.code} ${ty.label}`, query)) : []),
    [catalog, query],
  );

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (submit.status === 'closing') return;
    if (!picked) {
      setSubmit({ status: 'failed', message: t('pickTypification') });
      return;
    }
    setSubmit({ status: 'closing' });
    try {
      onClosed(await api.closeChat(roomId, picked));
    } catch (err) {
      setSubmit({ status: 'failed', message: errorText(err, t) });
    }
  };

  return (
    <Dialog title={t('closeDialogTitle')} description={t('closeDialogIntro')} onClose={onCancel} closeLabel={t('close')} className="close-dialog">
      {catalog.status === 'loading' ? (
        <p>
          <Spinner small /> {t('loading')}
        </p>
      ) : catalog.status === 'failed' ? (
        <>
          <Alert kind="error">{catalog.message}</Alert>
          <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
            {t('retry')}
          </button>
        </>
      ) : catalog.typifications.length === 0 ? (
        <Alert kind="info">{t('emptyCatalog')}</Alert>
      ) : (
        <form className="form" onSubmit={confirm} aria-describedby={submit.status === 'failed' ? errorId : undefined}>
          <div className="field">
            <label htmlFor={searchId}>{t('typificationSearch')}</label>
            <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" autoFocus />
          </div>
          <fieldset className="choice-list typifications">
            <legend className="visually-hidden">{t('typificationList')}</legend>
            {shown.length === 0 ? <p className="panel-note">{t('noTypifications')}</p> : null}
            {shown.map((ty) => (
              <label key={ty.code} className="choice">
                <input type="radio" name="typification" value={ty.code} checked={picked === ty.code} onChange={() => setPicked(ty.code)} />
                <span className="choice-text">
                  <span className="choice-label">{ty.label}</span> <span className="code">{ty.code}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {submit.status === 'failed' ? (
            <Alert kind="error" id={errorId}>
              {submit.message}
            </Alert>
          ) : null}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onCancel}>
              {t('cancel')}
            </button>
            <button type="submit" className="button danger" disabled={submit.status === 'closing'}>
              {submit.status === 'closing' ? t('closing') : t('confirmClose')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

import type { Chat } from '@chattigo/contracts/chats';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import { queryKeys } from '../../api/queries.ts';
import { Alert } from '../../components/Alert.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { errorText } from '../../components/ErrorText.ts';
import { Spinner } from '../../components/Spinner.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { matchesWords } from '../../util/fold.ts';

/**
 * Closing a chat: pick a typification of the chat's catalog (searchable by code or label,
 * ignoring accents), confirm. Errors of the appservice (an invalid code, a chat closed meanwhile)
 * are shown in the dialog. A close marks the chat list stale, so it is loaded again.
 */
export function CloseDialog({ roomId, onCancel, onClosed }: { roomId: string; onCancel(): void; onClosed(chat: Chat): void }) {
  const { t } = useI18n();
  const api = useAgentApi();
  const queryClient = useQueryClient();
  const catalog = useQuery({ queryKey: queryKeys.typifications(roomId), queryFn: ({ signal }) => api.typifications(roomId, signal) });
  const close = useMutation({
    mutationFn: (code: string) => api.closeChat(roomId, code),
    onSuccess: (chat) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.chats });
      onClosed(chat);
    },
  });
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const [unpicked, setUnpicked] = useState(false);
  const searchId = useId();
  const errorId = useId();

  const shown = useMemo(
    () => (catalog.data ? catalog.data.filter((ty) => matchesWords(`${ty.code} ${ty.label}`, query)) : []),
    [catalog.data, query],
  );

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    if (close.isPending) return;
    if (!picked) {
      setUnpicked(true);
      return;
    }
    setUnpicked(false);
    close.mutate(picked);
  };
  const submitError = unpicked ? t('pickTypification') : close.error ? errorText(close.error, t) : null;

  return (
    <Dialog title={t('closeDialogTitle')} description={t('closeDialogIntro')} onClose={onCancel} closeLabel={t('close')} className="close-dialog">
      {catalog.isPending ? (
        <p>
          <Spinner small /> {t('loading')}
        </p>
      ) : catalog.isError ? (
        <>
          <Alert kind="error">{errorText(catalog.error, t)}</Alert>
          <button type="button" className="button" onClick={() => void catalog.refetch()}>
            {t('retry')}
          </button>
        </>
      ) : catalog.data.length === 0 ? (
        <Alert kind="info">{t('emptyCatalog')}</Alert>
      ) : (
        <form className="form" onSubmit={confirm} aria-describedby={submitError ? errorId : undefined}>
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
          {submitError ? (
            <Alert kind="error" id={errorId}>
              {submitError}
            </Alert>
          ) : null}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onCancel}>
              {t('cancel')}
            </button>
            <button type="submit" className="button danger" disabled={close.isPending}>
              {close.isPending ? t('closing') : t('confirmClose')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

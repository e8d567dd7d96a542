import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';

/** Asked when the two agents share several campaigns: the chat belongs to one of them. */
export function CampaignChoice({
  name,
  campaigns,
  onPick,
  onCancel,
}: {
  name: string;
  campaigns: { id: string; name: string }[];
  onPick(id: string): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const [picked, setPicked] = useState(campaigns[0]?.id ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (picked) onPick(picked);
  };
  return (
    <Dialog title={t('pickCampaignTitle')} description={t('pickCampaignIntro', { name })} onClose={onCancel} closeLabel={t('close')}>
      <form onSubmit={submit} className="form">
        <fieldset className="choice-list">
          <legend className="visually-hidden">{t('pickCampaignTitle')}</legend>
          {campaigns.map((c) => (
            <label key={c.id} className="choice">
              <input type="radio" name="campaign" value={c.id} checked={picked === c.id} onChange={() => setPicked(c.id)} />
              {c.name}
            </label>
          ))}
        </fieldset>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel}>
            {t('cancel')}
          </button>
          <button type="submit" className="button primary">
            {t('pickCampaignSubmit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

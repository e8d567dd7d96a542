import { useId } from 'react';
import type { DirectoryAgent } from '../../api/schemas.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatList } from '../../i18n/format.ts';

export interface RowState {
  opening: boolean;
  error: string | null;
}

/** One agent: name, activity, chats in attention, campaigns and the "Mensaje directo" button. */
export function AgentRow({ agent, state, onMessage }: { agent: DirectoryAgent; state: RowState; onMessage(agent: DirectoryAgent): void }) {
  const { t, lang } = useI18n();
  const nameId = useId();
  const campaigns = agent.campaigns.map((c) => c.name);
  return (
    <li className="agent-row" aria-labelledby={nameId} data-username={agent.username}>
      <div className="agent-main">
        <h4 id={nameId} className="agent-name">
          <span className={`presence ${agent.active ? 'on' : 'off'}`} aria-hidden="true" />
          <span className="agent-display-name">{agent.displayName}</span>
          <span className="visually-hidden"> ({agent.active ? t('statusActive') : t('statusInactive')})</span>
        </h4>
        <p className="agent-meta">
          <span className="attention">{t('chatsInAttention', { count: agent.chatsInAttention })}</span>
          <span className="campaigns">{campaigns.length > 0 ? t('campaignsOf', { list: formatList(lang, campaigns) }) : t('noCampaigns')}</span>
        </p>
        {state.error ? (
          <p className="row-error" role="alert">
            {state.error}
          </p>
        ) : null}
      </div>
      <button
        type="button"
        className="button primary"
        onClick={() => onMessage(agent)}
        disabled={state.opening}
        aria-label={t('directMessageTo', { name: agent.displayName })}
      >
        {state.opening ? t('opening') : t('directMessage')}
      </button>
    </li>
  );
}

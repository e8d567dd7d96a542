import { useId } from 'react';
import type { DirectoryAgent } from '@chattigo/contracts/directory';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatList } from '../../i18n/format.ts';

export interface RowState {
  opening: boolean;
  error: string | null;
}

/**
 * One agent on one line: activity, name, role (supervisor, admin), whether they are at their
 * limit ("Al límite": writing still works, with a hint that they may take longer), whether a chat
 * with them is already open, chats in attention, campaigns and the "Mensaje directo" button.
 */
export function AgentRow({
  agent,
  chatOpen,
  state,
  onMessage,
}: {
  agent: DirectoryAgent;
  chatOpen: boolean;
  state: RowState;
  onMessage(agent: DirectoryAgent): void;
}) {
  const { t, lang } = useI18n();
  const nameId = useId();
  const campaigns = agent.campaigns.map((c) => c.name);
  const role = agent.role === 'supervisor' ? t('roleSupervisor') : agent.role === 'admin' ? t('roleAdmin') : null;
  return (
    <li className="agent-row" aria-labelledby={nameId} data-username={agent.username}>
      <div className="agent-main">
        <h4 id={nameId} className="agent-name">
          <span className={`presence ${agent.active ? 'on' : 'off'}`} aria-hidden="true" />
          <span className="agent-display-name">{agent.displayName}</span>
          <span className="visually-hidden"> ({agent.active ? t('statusActive') : t('statusInactive')})</span>
          {role ? <span className={`role-badge ${agent.role}`}>{role}</span> : null}
          {agent.atLimit ? <span className="status-tag at-limit">{t('atLimit')}</span> : null}
          {chatOpen ? <span className="status-tag open chat-open-mark">{t('chatAlreadyOpen')}</span> : null}
        </h4>
        <p className="agent-meta">
          <span className="attention">{t('chatsInAttention', { count: agent.chatsInAttention })}</span>
          <span className="campaigns" title={campaigns.join(', ')}>
            {campaigns.length > 0 ? t('campaignsOf', { list: formatList(lang, campaigns) }) : t('noCampaigns')}
          </span>
        </p>
        {agent.atLimit && agent.active ? <p className="at-limit-hint">{t('atLimitHint')}</p> : null}
        {state.error ? (
          <p className="row-error" role="alert">
            {state.error}
          </p>
        ) : null}
      </div>
      <button
        type="button"
        className="button primary small"
        onClick={() => onMessage(agent)}
        disabled={state.opening}
        aria-label={t('directMessageTo', { name: agent.displayName })}
      >
        {state.opening ? t('opening') : t('directMessage')}
      </button>
    </li>
  );
}

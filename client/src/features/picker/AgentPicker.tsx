import { useEffect, useMemo, useRef, useState } from 'react';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import { ApiError } from '../../api/http.ts';
import type { DirectoryAgent } from '@chattigo/contracts/directory';
import { errorText } from '../../components/ErrorText.ts';
import { SearchInput } from '../../components/Form.tsx';
import { PanelFailure, PanelLoading } from '../../components/Loading.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useNavigate } from 'react-router';
import { paths } from '../../router/paths.ts';
import { useSignedIn } from '../../session/SessionProvider.tsx';
import { useChats } from '../chats/ChatsProvider.tsx';
import { AgentRow, type RowState } from './AgentRow.tsx';
import { CampaignChoice } from './CampaignChoice.tsx';
import { sharedCampaigns, type Section } from './directory-state.ts';
import { useDirectory } from './useDirectory.ts';

const idle: RowState = { opening: false, error: null };

/** The internal-chat agent picker: search, active and inactive agents, "Mensaje directo". */
export function AgentPicker() {
  const { t } = useI18n();
  const api = useAgentApi();
  const { account } = useSignedIn();
  const navigate = useNavigate();
  const chats = useChats();
  const [query, setQuery] = useState('');
  const [campaign, setCampaign] = useState('');
  // The customer chat the agent is asking about (optional): a context card in the chat.
  const [conversationId, setConversationId] = useState('');
  const { sections, load, reload, loadMore } = useDirectory(query, campaign);
  // The agents this agent already has an open chat with: "Mensaje directo" goes back to it.
  const openWith = useMemo(
    () => new Set(chats.state.status === 'ready' ? chats.state.chats.filter((c) => c.status === 'open').map((c) => c.other.username) : []),
    [chats.state],
  );
  const [rows, setRows] = useState<Record<string, RowState>>({});
  const [choosing, setChoosing] = useState<{ agent: DirectoryAgent; campaigns: { id: string; name: string }[] } | null>(null);
  const search = useRef<HTMLInputElement>(null);

  // Ready to type a name with a keyboard; on a touch screen the keyboard would cover the list.
  useEffect(() => {
    if (window.matchMedia('(pointer: fine)').matches) search.current?.focus();
  }, []);

  const setRow = (username: string, state: RowState) => setRows((r) => ({ ...r, [username]: state }));

  const open = async (agent: DirectoryAgent, campaign?: string) => {
    setRow(agent.username, { opening: true, error: null });
    try {
      const { chat } = await api.openChat(agent.username, campaign);
      const about = conversationId.trim();
      // The card comes later (or not at all): opening the chat never waits for the platform.
      if (about) void api.attachContext(chat.roomId, about).catch(() => undefined);
      setRow(agent.username, idle);
      void chats.refresh();
      void navigate(paths.chat(chat.roomId));
    } catch (err) {
      const shared = sharedCampaigns(account.campaigns, agent.campaigns);
      if (err instanceof ApiError && err.errcode === 'CHATTIGO_PICK_CAMPAIGN' && shared.length > 1) {
        setRow(agent.username, idle);
        setChoosing({ agent, campaigns: shared });
        return;
      }
      setRow(agent.username, { opening: false, error: errorText(err, t) });
    }
  };

  const section = (key: 'active' | 'inactive', data: Section) => {
    const label = key === 'active' ? t('activeAgents') : t('inactiveAgents');
    const headingId = `picker-${key}`;
    return (
      <section className="picker-section" aria-labelledby={headingId}>
        <h3 id={headingId}>{t('sectionCount', { label, count: data.total })}</h3>
        {data.agents.length === 0 ? (
          <p className="panel-note">{query.trim() ? t('noAgentsFor', { query: query.trim() }) : t('noAgents')}</p>
        ) : (
          <ul className="agent-list">
            {data.agents.map((agent) => (
              <AgentRow
                key={agent.username}
                agent={agent}
                chatOpen={openWith.has(agent.username)}
                state={rows[agent.username] ?? idle}
                onMessage={(a) => void open(a)}
              />
            ))}
          </ul>
        )}
        {data.agents.length < data.total ? (
          <button type="button" className="button link" onClick={() => void loadMore(key)}>
            {t('loadMore')}
          </button>
        ) : null}
      </section>
    );
  };

  return (
    <div className="picker">
      <header className="pane-header">
        <h2 id="picker-title">{t('pickerTitle')}</h2>
      </header>
      <div className="picker-search" role="search">
        <SearchInput
          ref={search}
          id="picker-search-input"
          label={t('pickerSearch')}
          placeholder={t('pickerSearchPlaceholder')}
          value={query}
          onValueChange={setQuery}
        />
        <label className="picker-campaign">
          <span className="visually-hidden">{t('campaignFilter')}</span>
          <select value={campaign} onChange={(e) => setCampaign(e.target.value)} aria-label={t('campaignFilter')}>
            <option value="">{t('allCampaigns')}</option>
            {sections.campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="picker-conversation-input" className="picker-conversation">
          {t('pickerConversationLabel')}
        </label>
        <input
          id="picker-conversation-input"
          value={conversationId}
          onChange={(e) => setConversationId(e.target.value)}
          maxLength={128}
          autoComplete="off"
          spellCheck={false}
          title={t('pickerConversationHint')}
        />
      </div>
      {load.status === 'ready' ? (
        <p className="visually-hidden" aria-live="polite">
          {t('sectionCount', { label: t('activeAgents'), count: sections.active.total })},{' '}
          {t('sectionCount', { label: t('inactiveAgents'), count: sections.inactive.total })}
        </p>
      ) : null}
      <div className="picker-results" aria-busy={load.status === 'loading'}>
        {load.status === 'loading' ? (
          <PanelLoading />
        ) : load.status === 'failed' ? (
          <PanelFailure message={load.message} onRetry={reload} />
        ) : (
          <>
            {section('active', sections.active)}
            {section('inactive', sections.inactive)}
          </>
        )}
      </div>
      {choosing ? (
        <CampaignChoice
          name={choosing.agent.displayName}
          campaigns={choosing.campaigns}
          onCancel={() => setChoosing(null)}
          onPick={(id) => {
            const agent = choosing.agent;
            setChoosing(null);
            void open(agent, id);
          }}
        />
      ) : null}
    </div>
  );
}

import type { Language } from '@chattigo/contracts/language';
import { message, translate } from '../../i18n/index.ts';
import { composeNotice, type Notice } from '../../matrix/notices.ts';

export interface TypificationOption {
  code: string;
  label: string;
}

export const listCodes = (options: readonly TypificationOption[]) =>
  options.length === 0 ? '—' : options.map((t) => `${t.code} (${t.label})`).join(', ');

/** The chat notices and replies: a notice's body in `lang` (its readers'), its web texts in each language. */
export const texts = {
  /** The opening notice: stock-client users are told how to close; the web client has a button. */
  opened: (lang: Language, recipients: readonly string[], starter: string, campaign: string | null): Notice =>
    composeNotice({
      kind: 'chat.opened',
      recipients,
      lang,
      text: campaign ? message('chats.openedInCampaign', { starter, campaign }) : message('chats.opened', { starter }),
      web: campaign ? message('chats.openedInCampaignWeb', { starter, campaign }) : message('chats.openedWeb', { starter }),
    }),
  closed: (lang: Language, recipients: readonly string[], by: string, t: TypificationOption): Notice =>
    composeNotice({ kind: 'chat.closed', recipients, lang, text: message('chats.closed', { by, code: t.code, label: t.label }) }),
  typifications: (lang: Language, options: readonly TypificationOption[]) => translate(lang, 'chats.typifications', { codes: listCodes(options) }),
};

import { bilingual, message, translate } from '../../i18n/index.ts';
import type { Account } from '../accounts/index.ts';
import type { Mail } from './mailer.ts';

/**
 * The password mails: in the account's language from the directory when it has one; otherwise in
 * both languages, the Spanish text with the link, then a line of English that points at the link above.
 */
export function resetMail(account: Account, link: string, minutes: number): Mail {
  const params = { name: account.displayName, username: account.username, minutes };
  const lang = account.language;
  if (lang) {
    return {
      to: account.email ?? '',
      subject: `Chattigo: ${translate(lang, 'mails.reset.subject')}`,
      text: [translate(lang, 'mails.reset.intro', params), link, '', translate(lang, 'mails.reset.ignore')].join('\n'),
    };
  }
  return {
    to: account.email ?? '',
    subject: `Chattigo: ${bilingual(message('mails.reset.subject'), ' / ')}`,
    text: [
      translate('es', 'mails.reset.intro', params),
      link,
      '',
      translate('es', 'mails.reset.ignore'),
      '',
      '---',
      `${translate('en', 'mails.reset.intro', params)} ${translate('en', 'mails.reset.ignore')}`,
    ].join('\n'),
  };
}

export function welcomeMail(account: Account, link: string, hours: number): Mail {
  const params = { name: account.displayName, username: account.username, hours };
  const lang = account.language;
  if (lang) {
    return {
      to: account.email ?? '',
      subject: `Chattigo: ${translate(lang, 'mails.welcome.subject')}`,
      text: [translate(lang, 'mails.welcome.intro', params), link].join('\n'),
    };
  }
  return {
    to: account.email ?? '',
    subject: `Chattigo: ${bilingual(message('mails.welcome.subject'), ' / ')}`,
    text: [translate('es', 'mails.welcome.intro', params), link, '', '---', translate('en', 'mails.welcome.intro', params)].join('\n'),
  };
}

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
    return mailTo(account, 'mails.reset.subject', [translate(lang, 'mails.reset.intro', params), link, '', translate(lang, 'mails.reset.ignore')]);
  }
  return mailTo(account, 'mails.reset.subject', [
    translate('es', 'mails.reset.intro', params),
    link,
    '',
    translate('es', 'mails.reset.ignore'),
    '',
    '---',
    `${translate('en', 'mails.reset.intro', params)} ${translate('en', 'mails.reset.ignore')}`,
  ]);
}

export function welcomeMail(account: Account, link: string, hours: number): Mail {
  const params = { name: account.displayName, username: account.username, hours };
  const lang = account.language;
  if (lang) return mailTo(account, 'mails.welcome.subject', [translate(lang, 'mails.welcome.intro', params), link]);
  return mailTo(account, 'mails.welcome.subject', [translate('es', 'mails.welcome.intro', params), link, '', '---', translate('en', 'mails.welcome.intro', params)]);
}

/** A mail to the account: "Chattigo: " and the subject in the account's language, or in both; the lines of its text. */
function mailTo(account: Account, subject: 'mails.reset.subject' | 'mails.welcome.subject', lines: readonly string[]): Mail {
  const subjectText = account.language ? translate(account.language, subject) : bilingual(message(subject), ' / ');
  return { to: account.email ?? '', subject: `Chattigo: ${subjectText}`, text: lines.join('\n') };
}

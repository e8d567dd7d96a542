import type { Account } from '../accounts/repository.ts';
import type { Mail } from './mailer.ts';

export function resetMail(account: Account, link: string, minutes: number): Mail {
  return {
    to: account.email ?? '',
    subject: 'Chattigo: restablecer su contraseña / reset your password',
    text: [
      `Hola ${account.displayName}:`,
      '',
      `Para elegir una nueva contraseña de Chattigo (usuario ${account.username}), abra este enlace. Funciona una sola vez y vence en ${minutes} minutos:`,
      link,
      '',
      'Si usted no lo pidió, ignore este mensaje: su contraseña no cambia.',
      '',
      '---',
      `Hello ${account.displayName}, to choose a new Chattigo password (user ${account.username}) open the link above. It works once and expires in ${minutes} minutes. If you did not ask for it, ignore this message.`,
    ].join('\n'),
  };
}

export function welcomeMail(account: Account, link: string, hours: number): Mail {
  return {
    to: account.email ?? '',
    subject: 'Chattigo: elija su contraseña / choose your password',
    text: [
      `Hola ${account.displayName}:`,
      '',
      `Se creó su cuenta del chat entre agentes de Chattigo (usuario ${account.username}). Elija su contraseña con este enlace; funciona una sola vez y vence en ${hours} horas:`,
      link,
      '',
      '---',
      `Hello ${account.displayName}, your Chattigo agent chat account (user ${account.username}) was created. Choose your password with the link above; it works once and expires in ${hours} hours.`,
    ].join('\n'),
  };
}

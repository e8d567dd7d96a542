import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../observability/logger.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

async function smtpPassword(secretsDir: string): Promise<string | undefined> {
  const fromEnv = process.env['CHATTIGO_SECRET_SMTP_PASSWORD'];
  if (fromEnv) return fromEnv;
  return (await readFile(path.join(secretsDir, 'smtp_password'), 'utf8').catch(() => undefined))?.trim();
}

/**
 * Sends mail over SMTP when `mail.smtp` is configured; otherwise writes each mail as an .eml
 * file into `mail.outboxDir`, so a local run shows what would have been sent.
 */
export async function createMailer(mail: Config['mail'], secretsDir: string, log: Logger): Promise<Mailer> {
  let transport: Transporter;
  if (mail.smtp) {
    const pass = await smtpPassword(secretsDir);
    transport = nodemailer.createTransport({
      host: mail.smtp.host,
      port: mail.smtp.port,
      secure: mail.smtp.secure,
      ...(mail.smtp.user ? { auth: { user: mail.smtp.user, pass: pass ?? '' } } : {}),
    });
  } else {
    transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }
  return {
    async send(message) {
      const info = await transport.sendMail({ from: mail.from, ...message });
      if (!mail.smtp) {
        await mkdir(mail.outboxDir, { recursive: true });
        const file = path.join(mail.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.eml`);
        await writeFile(file, (info as unknown as { message: Buffer }).message, { mode: 0o600 });
        log.info({ file: path.basename(file), subject: message.subject }, 'mail written to the outbox folder');
      } else {
        log.info({ subject: message.subject }, 'mail sent');
      }
    },
  };
}

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecrets } from '../../src/config/secrets.ts';
import { runImport } from '../../src/features/provisioning/import-cli.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';
import { startSmtpServer } from '../helpers/smtp.ts';
import { waitFor } from '../helpers/wait.ts';

describe('import CLI and welcome mail', () => {
  let as: TestAppservice;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const tag = `${Date.now() % 1_000_000}`;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    as = await startTestAppservice({}, { mail: { smtp: { host: '127.0.0.1', port: smtp.port } } });
  });
  afterAll(async () => {
    await as?.stop();
    await smtp?.close();
  });

  async function files(agents: string) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chattigo-cli-'));
    await writeFile(path.join(dir, 'campaigns.csv'), `id,name\nretencion-${tag},Retención\n`);
    await writeFile(path.join(dir, 'agents.csv'), agents);
    return [path.join(dir, 'campaigns.csv'), path.join(dir, 'agents.csv')];
  }

  it('reports bad rows by file and line and imports nothing', async () => {
    const secrets = await loadSecrets(as.stack.secretsDir);
    const input = await files(`username,displayName,email,campaigns\nrosa${tag},Rosa Ñuñez,rosa@example.com,retencion-${tag}\nmal${tag},Mal Correo,no-es-correo,retencion-${tag}\n`);
    const result = await runImport(as.config, secrets, input, false);
    expect(result.ok).toBe(false);
    expect(result.text).toContain('agents.csv line 3, email: must be an email address');
    expect(await as.running.db.query('SELECT 1 FROM accounts WHERE username = $1', [`rosa${tag}`])).toEqual([]);
  });

  it('imports valid files, mails a set-password link to the new account, and the link lets it log in', async () => {
    const secrets = await loadSecrets(as.stack.secretsDir);
    const input = await files(`username,displayName,email,campaigns\nrosa${tag},Rosa Ñuñez,rosa.${tag}@example.com,retencion-${tag}\n`);
    const dry = await runImport(as.config, secrets, input, true);
    expect(dry.text).toContain('Dry run');
    const result = await runImport(as.config, secrets, input, false);
    expect(result.ok).toBe(true);
    expect(result.text).toContain('accounts:    1 created');
    expect(result.text).toContain('Matrix:      2 brought up to date');

    await waitFor(() => smtp.mails.length === 1, 'the welcome mail');
    const mail = smtp.mails[0];
    expect(mail?.to).toEqual([`rosa.${tag}@example.com`]);
    expect(mail?.subject).toContain('elija su contraseña');
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    const reset = await as.running.app.server.inject({ method: 'POST', url: '/api/v1/password/reset', payload: { token, password: 'mi primera clave' } });
    expect(reset.statusCode).toBe(200);
    const login = await createClient({ baseUrl: as.stack.homeserverUrl }).loginRequest({
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: `rosa${tag}` },
      password: 'mi primera clave',
    });
    expect(login.user_id).toBe(as.running.app.gateway.userIdFor(`rosa${tag}`));
  });

  it('says so when the appservice is not running', async () => {
    const secrets = await loadSecrets(as.stack.secretsDir);
    const result = await runImport({ ...as.config, server: { ...as.config.server, port: 9 } }, secrets, await files('username,displayName\nx,X\n'), false);
    expect(result).toEqual({ ok: false, text: expect.stringContaining('not reachable') });
  });
});

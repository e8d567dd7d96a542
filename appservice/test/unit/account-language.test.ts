import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import { importDirectory } from '../../src/features/provisioning/import.ts';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readImportFiles } from '../../src/features/provisioning/import-files.ts';
import { createAccountRepository, type Account } from '../../src/features/accounts/index.ts';
import { resetMail, welcomeMail } from '../../src/features/password/mails.ts';

/** Issue 17: each account's language from the directory, used where the server speaks to it alone. */
describe('the account’s language', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openMigratedStore();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('is imported like the other fields: set, left alone when omitted, cleared with null', async () => {
    const base = { username: 'kim', displayName: 'Kim Lee' };
    await importDirectory(db, { accounts: [{ ...base, language: 'en' }] }, { dryRun: false });
    expect((await createAccountRepository(db).find('kim'))?.language).toBe('en');
    const again = await importDirectory(db, { accounts: [base] }, { dryRun: false });
    expect(again.report.accounts.unchanged).toBe(1);
    expect(await createAccountRepository(db).recipientLanguage('kim', 'es')).toBe('en');
    const cleared = await importDirectory(db, { accounts: [{ ...base, language: null }] }, { dryRun: false });
    expect(cleared.report.accounts.updated).toEqual(['kim']);
    expect(await createAccountRepository(db).recipientLanguage('kim', 'es')).toBe('es');
    await expect(importDirectory(db, { accounts: [{ ...base, language: 'fr' }] }, { dryRun: false })).rejects.toThrow();
  });

  it('comes from an "idioma" or "language" CSV column', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'chattigo-lang-')), 'agentes.csv');
    await writeFile(file, 'usuario,nombre,idioma\nkim,Kim Lee,en\nana,Ana Pérez,\n');
    const { batch } = await readImportFiles([file]);
    expect(batch.accounts).toEqual([
      { username: 'kim', displayName: 'Kim Lee', language: 'en' },
      { username: 'ana', displayName: 'Ana Pérez' },
    ]);
  });

  it('picks the language of password mails; without one they stay bilingual', () => {
    const account = (language: Account['language']): Account => ({
      username: 'kim',
      displayName: 'Kim Lee',
      email: 'kim@example.com',
      role: 'agent',
      active: true,
      passwordHash: null,
      campaigns: [],
      sessionsValidAfter: null,
      language,
    });
    const english = resetMail(account('en'), 'https://x/reset', 30);
    expect(english.subject).not.toContain(' / ');
    expect(english.text).not.toContain('---');
    expect(english.text).toContain('https://x/reset');
    expect(welcomeMail(account('es'), 'https://x/w', 72).text).not.toContain('---');
    expect(resetMail(account(null), 'https://x/reset', 30).subject).toContain(' / ');
  });
});

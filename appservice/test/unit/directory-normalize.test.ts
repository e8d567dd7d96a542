import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsDir } from '../../src/db/migrate.ts';
import { feedProblems, MAX_LISTED_PROBLEMS } from '../../src/features/directory/feed-validation.ts';
import { FOLD_FROM, FOLD_REMOVE, FOLD_TO, foldName, searchWords } from '../../src/features/directory/normalize.ts';
import { workloadStatusMessage } from '../../src/features/directory/presence-out.ts';

describe('name folding', () => {
  it('is written the same in the migration as here', async () => {
    const sql = await readFile(path.join(migrationsDir, '030_directory_presence.sql'), 'utf8');
    const removed = [...FOLD_REMOVE].map((ch) => `\\${ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`).join('');
    const translate = `'${FOLD_FROM}' || U&'${removed}',\n      '${FOLD_TO}')`;
    expect(sql.split(translate).length - 1).toBe(2);
    expect([...FOLD_FROM].length).toBe([...FOLD_TO].length);
  });

  it('ignores case and accents, composed or decomposed', () => {
    expect(foldName('José Pérez')).toBe('jose perez');
    expect(foldName('MARÍA NÚÑEZ')).toBe('maria nunez');
    expect(foldName('Jose\u0301 Nun\u0303ez')).toBe('jose nunez');
    expect(foldName('Çağla Øster')).toBe('cağla oster');
    expect(foldName('日本')).toBe('日本');
  });

  it('splits a search into distinct words', () => {
    expect(searchWords('  jose   PER ')).toEqual(['jose', 'per']);
    expect(searchWords('José jose')).toEqual(['jose']);
    expect(searchWords('per perez')).toEqual(['perez']);
    expect(searchWords('')).toEqual([]);
    expect(searchWords('a b c d e f g h i j')).toHaveLength(8);
  });
});

describe('workload feed validation', () => {
  it('lists the problems of every report, however many', () => {
    const bad = { username: 'X', status: 'busy', chatsInAttention: -1, at: 'ayer' };
    const problems = feedProblems({ reports: Array.from({ length: 30 }, () => bad) });
    expect(problems).toHaveLength(120);
    expect(problems[119]).toEqual({ path: 'reports.29.at', message: 'must be an ISO 8601 date and time' });
    const many = feedProblems({ reports: Array.from({ length: 400 }, () => bad) });
    expect(many).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(many.at(-1)).toEqual({ path: 'reports', message: '600 more problems not listed' });
    expect(feedProblems({ reports: [null] })).toEqual([{ path: 'reports.0', message: expect.any(String) }]);
  });
});

describe('workload status message', () => {
  it('says how many chats the agent is attending, in Spanish', () => {
    expect(workloadStatusMessage({ chatsInAttention: 0, atLimit: false })).toBe('0 chats en atención');
    expect(workloadStatusMessage({ chatsInAttention: 1, atLimit: false })).toBe('1 chat en atención');
    expect(workloadStatusMessage({ chatsInAttention: 3, atLimit: false })).toBe('3 chats en atención');
    expect(workloadStatusMessage({ chatsInAttention: 5, atLimit: true })).toBe('Al límite · 5 chats en atención');
  });
});

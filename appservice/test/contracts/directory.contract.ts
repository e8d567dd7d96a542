import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { FOLD_FROM, FOLD_REMOVE, foldName, searchWords } from '../../src/features/directory/normalize.ts';
import { createDirectoryRepository, type DirectoryRepository, type ListParams } from '../../src/features/directory/repository.ts';
import { report, seedAccounts, seedCampaigns } from '../helpers/directory.ts';

/** The behaviour every store must show for the directory: search, order, workload and presence. */
export function directoryContract(storeName: string, open: () => Promise<{ db: Database; dispose(): Promise<void> }>) {
  describe(`directory repository on ${storeName}`, () => {
    let db: Database;
    let dispose: () => Promise<void>;
    let repo: DirectoryRepository;
    const list = (over: Partial<ListParams> & { q?: string } = {}) =>
      repo.list({ viewer: 'viewer', words: searchWords(over.q ?? ''), status: 'all', limit: 50, offset: 0, ...over });
    const fromTransaction = { refreshHeardAfterMs: 60_000 };
    const names = async (over: Partial<ListParams> & { q?: string } = {}) => (await list(over)).agents.map((a) => a.username);

    beforeAll(async () => {
      ({ db, dispose } = await open());
      await migrate(db);
      repo = createDirectoryRepository(db);
      await seedCampaigns(db, [
        { id: 'ventas', name: 'Ventas' },
        { id: 'soporte', name: 'Soporte', spaceRoomId: '!soporte:chattigo.test' },
        { id: 'cobranza', name: 'Cobranza', spaceRoomId: '!cobranza:chattigo.test' },
      ]);
      await seedAccounts(db, [
        { username: 'viewer', displayName: 'Vera Viewer' },
        { username: 'jperez', displayName: 'José Pérez', campaigns: ['ventas', 'soporte'] },
        { username: 'jpereyra', displayName: 'JOSEFINA PEREYRA', campaigns: ['cobranza'] },
        { username: 'mnunez', displayName: 'María Núñez', role: 'supervisor' },
        { username: 'ana', displayName: 'Ana' },
        { username: 'abeltran', displayName: 'Ana Beltrán', role: 'admin', campaigns: ['soporte'] },
        { username: 'nfd', displayName: 'Ine\u0301s Iban\u0303ez' },
        { username: 'gone', displayName: 'José Gone', active: false },
      ]);
    });
    afterAll(async () => {
      await dispose();
    });

    it('folds names in SQL exactly as normalize.ts does', async () => {
      const sample = `${FOLD_FROM} ${FOLD_REMOVE} Ñandú Øster ÇA 日本 ß`;
      await db.query(`INSERT INTO accounts (username, display_name, active) VALUES ('fold', $1, false)`, [sample]);
      const [row] = await db.query<{ directory_sort: string; directory_search: string }>(
        `SELECT directory_sort, directory_search FROM accounts WHERE username = 'fold'`,
      );
      expect(row?.directory_sort).toBe(foldName(sample));
      expect(row?.directory_search).toBe(`${foldName(sample)} fold`);
    });

    it('lists active accounts other than the caller: active agents first, then by name ignoring accents', async () => {
      expect(await names()).toEqual(['ana', 'abeltran', 'nfd', 'jperez', 'jpereyra', 'mnunez']);
      const page = await list();
      expect(page.total).toBe(6);
      expect(page.agents.find((a) => a.username === 'jperez')).toEqual({
        username: 'jperez',
        displayName: 'José Pérez',
        role: 'agent',
        active: false,
        chatsInAttention: 0,
        capacity: null,
        atLimit: false,
        campaigns: [
          { id: 'soporte', name: 'Soporte' },
          { id: 'ventas', name: 'Ventas' },
        ],
      });
    });

    it('searches ignoring case and accents, by parts of words, every word required', async () => {
      expect(await names({ q: 'jose' })).toEqual(['jperez', 'jpereyra']);
      expect(await names({ q: 'JOSÉ' })).toEqual(['jperez', 'jpereyra']);
      expect(await names({ q: 'jose per' })).toEqual(['jperez', 'jpereyra']);
      expect(await names({ q: 'josé pérez' })).toEqual(['jperez']);
      expect(await names({ q: 'pérez josé' })).toEqual(['jperez']);
      expect(await names({ q: 'nunez' })).toEqual(['mnunez']);
      expect(await names({ q: 'NÚÑ' })).toEqual(['mnunez']);
      expect(await names({ q: 'ines ibanez' })).toEqual(['nfd']);
      expect(await names({ q: 'ltr' })).toEqual(['abeltran']);
      expect(await names({ q: 'jose xyz' })).toEqual([]);
      expect(await names({ q: 'gone' })).toEqual([]);
      expect(await names({ q: '%' })).toEqual([]);
      expect(await names({ q: 'jpereyra' })).toEqual(['jpereyra']);
    });

    it('filters by campaign on the server, with the search and over every page, and lists the campaigns to filter by', async () => {
      expect(await names({ campaign: 'soporte' })).toEqual(['abeltran', 'jperez']);
      expect(await names({ campaign: 'soporte', q: 'jose' })).toEqual(['jperez']);
      expect(await list({ campaign: 'soporte', limit: 1, offset: 1 })).toMatchObject({ total: 2, agents: [{ username: 'jperez' }] });
      expect(await names({ campaign: 'nadie' })).toEqual([]);
      expect(await repo.listedCampaigns('viewer')).toEqual([
        { id: 'cobranza', name: 'Cobranza' },
        { id: 'soporte', name: 'Soporte' },
        { id: 'ventas', name: 'Ventas' },
      ]);
      // A campaign whose only active member is the caller is not offered to them.
      expect(await repo.listedCampaigns('jpereyra')).toEqual([
        { id: 'soporte', name: 'Soporte' },
        { id: 'ventas', name: 'Ventas' },
      ]);
    });

    it('pages through the list and counts every match', async () => {
      const first = await list({ limit: 4 });
      const second = await list({ limit: 4, offset: 4 });
      expect(first.agents.map((a) => a.username)).toEqual(['ana', 'abeltran', 'nfd', 'jperez']);
      expect(second.agents.map((a) => a.username)).toEqual(['jpereyra', 'mnunez']);
      expect([first.total, second.total]).toEqual([6, 6]);
      expect(await list({ limit: 4, offset: 40 })).toEqual({ agents: [], total: 6 });
    });

    it('applies platform reports, ignores older ones and names unknown usernames', async () => {
      const first = await repo.applyReports([report('jperez', 3, '2030-01-01T10:00:00Z'), report('nobody', 1, '2030-01-01T10:00:00Z')]);
      expect(first.unknown).toEqual(['nobody']);
      expect(first.applied).toEqual([
        { username: 'jperez', active: true, chatsInAttention: 3, atLimit: false, reported: true, presenceStatusMsg: null, before: undefined },
      ]);
      const older = await repo.applyReports([report('jperez', 9, '2030-01-01T09:59:59.999Z', 'offline')]);
      expect(older).toEqual({ unknown: [], applied: [] });
      const same = await repo.applyReports([report('jperez', 9, '2030-01-01T10:00:00Z', 'offline')]);
      expect(same.applied).toEqual([]);
      const newer = await repo.applyReports([report('jperez', 4, '2030-01-01T10:00:00.001Z', 'away')]);
      expect(newer.applied).toEqual([
        {
          username: 'jperez',
          active: false,
          chatsInAttention: 4,
          atLimit: false,
          reported: true,
          presenceStatusMsg: null,
          before: { active: true, chatsInAttention: 3, atLimit: false },
        },
      ]);
      expect((await list({ q: 'jose perez' })).agents[0]).toMatchObject({ active: false, chatsInAttention: 4 });
    });

    it('stores Matrix presence and applies the active rule', async () => {
      const cases: [string | null, 'online' | 'away' | 'offline' | null, boolean][] = [
        [null, 'online', true],
        [null, 'away', false],
        [null, 'offline', false],
        ['online', null, true],
        ['unavailable', null, true],
        ['org.matrix.msc3026.busy', 'offline', true],
        ['offline', null, false],
        ['offline', 'online', true],
        ['unavailable', 'offline', true],
        ['something-else', 'away', false],
      ];
      let minute = 0;
      for (const [presence, status, active] of cases) {
        await db.query('DELETE FROM agent_workload WHERE username = $1', ['mnunez']);
        if (status) await repo.applyReports([report('mnunez', 0, `2030-01-01T11:${String(minute++).padStart(2, '0')}:00Z`, status)]);
        if (presence) await repo.applyPresence([{ username: 'mnunez', presence, statusMsg: null }], fromTransaction);
        expect((await list({ q: 'maria nunez' })).agents[0]?.active, `presence ${presence}, platform ${status}`).toBe(active);
      }
    });

    it('reports presence transitions and skips users with no account', async () => {
      const transitions = await repo.applyPresence(
        [
          { username: 'ana', presence: 'online', statusMsg: 'hola' },
          { username: 'stranger', presence: 'online', statusMsg: null },
        ],
        fromTransaction,
      );
      expect(transitions).toEqual([
        { username: 'ana', active: true, chatsInAttention: 0, atLimit: false, reported: false, presenceStatusMsg: 'hola', before: undefined },
      ]);
      const again = await repo.applyPresence([{ username: 'ana', presence: 'offline', statusMsg: null }], fromTransaction);
      expect(again[0]?.before).toEqual({ active: true, chatsInAttention: 0, atLimit: false });
      expect(again[0]?.active).toBe(false);
    });

    it('writes nothing for presence pushed again unchanged, until when it was heard of is old', async () => {
      const heardAt = async () =>
        (await db.query<{ at: string }>(`SELECT presence_at::text AS at FROM agent_workload WHERE username = 'jpereyra'`))[0]?.at;
      const jpereyra = { username: 'jpereyra', presence: 'online', statusMsg: '1 chat en atención' };
      const online = [jpereyra];
      expect(await repo.applyPresence(online, fromTransaction)).toHaveLength(1);
      const first = await heardAt();
      expect(await repo.applyPresence(online, fromTransaction)).toEqual([]);
      expect(await heardAt()).toBe(first);
      // A changed status message is written, with the state before it.
      const cleared = await repo.applyPresence([{ ...jpereyra, statusMsg: null }], fromTransaction);
      expect(cleared).toEqual([
        { username: 'jpereyra', active: true, chatsInAttention: 0, atLimit: false, reported: false, presenceStatusMsg: null, before: { active: true, chatsInAttention: 0, atLimit: false } },
      ]);
      // Heard of longer ago than the refresh age: written again, so the poller does not ask for it.
      await db.query(`UPDATE agent_workload SET presence_at = now() - interval '2 minutes' WHERE username = 'jpereyra'`);
      const old = await heardAt();
      expect(await repo.applyPresence([{ ...jpereyra, statusMsg: null }], fromTransaction)).toHaveLength(1);
      expect(await heardAt()).not.toBe(old);
      // What the poller read is always written.
      expect(await repo.applyPresence([{ ...jpereyra, statusMsg: null }], { refreshHeardAfterMs: 0 })).toHaveLength(1);
      await db.query(`DELETE FROM agent_workload WHERE username = 'jpereyra'`);
    });

    it('filters active and inactive agents', async () => {
      await repo.applyPresence([{ username: 'abeltran', presence: 'online', statusMsg: null }], fromTransaction);
      expect(await names({ status: 'active' })).toEqual(['abeltran']);
      expect(await names({ status: 'inactive' })).toEqual(['ana', 'nfd', 'jperez', 'jpereyra', 'mnunez']);
      expect(await names()).toEqual(['abeltran', 'ana', 'nfd', 'jperez', 'jpereyra', 'mnunez']);
    });

    it('finds live presence not heard of for a while, and campaign spaces', async () => {
      await db.query(`UPDATE agent_workload SET presence_at = now() - interval '1 hour' WHERE username = 'abeltran'`);
      expect(await repo.livePresenceOlderThan(new Date(Date.now() - 60_000), 10)).toEqual(['abeltran']);
      const spaces = await repo.spacesOf(['jperez', 'jpereyra', 'abeltran', 'ana']);
      expect(Object.fromEntries(spaces)).toEqual({
        jperez: ['!soporte:chattigo.test'],
        jpereyra: ['!cobranza:chattigo.test'],
        abeltran: ['!soporte:chattigo.test'],
      });
    });
  });
}

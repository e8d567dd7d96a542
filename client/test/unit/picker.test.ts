import { describe, expect, it } from 'vitest';
import { appendPage, applyWorkload, sharedCampaigns, type Sections } from '../../src/features/picker/directory-state.ts';
import { directoryAgent } from '../helpers/directory.ts';

const at = '2026-11-24T20:00:00Z';
const sections = (): Sections => ({
  active: { agents: [directoryAgent('ana', true, 2), directoryAgent('jose', true, 0)], total: 2 },
  inactive: { agents: [directoryAgent('luis', false)], total: 5 },
  campaigns: [{ id: 'ventas', name: 'Ventas' }],
});

describe('live workload changes in the picker', () => {
  it('writes a new count in place without a reload', () => {
    const before = sections();
    const { sections: after, reload } = applyWorkload(before, [{ username: 'jose', active: true, chatsInAttention: 4, atLimit: false, at }]);
    expect(reload).toBe(false);
    expect(after.active.agents[1]?.chatsInAttention).toBe(4);
    expect(before.active.agents[1]?.chatsInAttention).toBe(0);
    expect(after.inactive).toBe(before.inactive);
  });

  it('asks for a reload when an agent changes section or is not on screen', () => {
    expect(applyWorkload(sections(), [{ username: 'luis', active: true, chatsInAttention: 1, atLimit: false, at }]).reload).toBe(true);
    expect(applyWorkload(sections(), [{ username: 'ana', active: false, chatsInAttention: 0, atLimit: false, at }]).reload).toBe(true);
    expect(applyWorkload(sections(), [{ username: 'nadie', active: false, chatsInAttention: 0, atLimit: false, at }]).reload).toBe(true);
  });

  it('asks for a reload when an agent reaches or leaves their limit (the server orders them after the available ones)', () => {
    expect(applyWorkload(sections(), [{ username: 'ana', active: true, chatsInAttention: 2, atLimit: true, at }]).reload).toBe(true);
  });

  it('returns the same object when nothing changed', () => {
    const before = sections();
    expect(applyWorkload(before, [{ username: 'ana', active: true, chatsInAttention: 2, atLimit: false, at }]).sections).toBe(before);
  });
});

describe('pages and campaigns', () => {
  it('appends a page without listing an agent twice', () => {
    const section = { agents: [directoryAgent('a', true), directoryAgent('b', true)], total: 4 };
    const next = appendPage(section, { agents: [directoryAgent('b', true), directoryAgent('c', true)], total: 4 });
    expect(next.agents.map((a) => a.username)).toEqual(['a', 'b', 'c']);
  });

  it('finds the campaigns two agents share', () => {
    const theirs = [
      { id: 'ventas', name: 'Ventas' },
      { id: 'soporte', name: 'Soporte técnico' },
      { id: 'cobranzas', name: 'Cobranzas' },
    ];
    expect(sharedCampaigns(['soporte', 'ventas'], theirs)).toEqual(theirs.slice(0, 2));
    expect(sharedCampaigns([], theirs)).toEqual([]);
  });
});

describe('directory shapes from the appservice', () => {
  it('accepts a stream event and a page as the appservice sends them', async () => {
    const { Check } = await import('typebox/schema');
    const { DirectoryPageSchema: DirectoryPage, WorkloadEventSchema: WorkloadEvent } = await import('@chattigo/contracts/directory');
    expect(Check(WorkloadEvent, { changes: [{ username: 'ana', active: true, chatsInAttention: 3, atLimit: false, at: '2026-11-24T20:00:00.000Z' }] })).toBe(true);
    expect(Check(WorkloadEvent, { changes: [{ username: 'ana', active: 'yes', chatsInAttention: 3, atLimit: false, at: '2026-11-24T20:00:00.000Z' }] })).toBe(false);
    expect(Check(DirectoryPage, { agents: [directoryAgent('ana', true)], total: 1, limit: 25, offset: 0, campaigns: [{ id: 'ventas', name: 'Ventas' }] })).toBe(true);
  });
});

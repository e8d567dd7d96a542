import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECTORY_CHANNEL, LiveRelay, MAX_RELAYED_CHANGES, type LiveHub } from '../../src/features/directory/live-relay.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { WorkloadChange } from '@chattigo/contracts/directory';
import { waitFor } from '../helpers/wait.ts';
import type { TwoHandles } from './locks.contract.ts';

/** A hub that remembers what it was handed. */
class RecordingHub implements LiveHub {
  readonly changes: WorkloadChange[] = [];
  reloads = 0;
  publish(changes: readonly WorkloadChange[]): void {
    this.changes.push(...changes);
  }
  reload(): void {
    this.reloads++;
  }
}

const change = (username: string, chatsInAttention: number): WorkloadChange => ({
  username,
  active: true,
  chatsInAttention,
  atLimit: false,
  at: '2026-01-01T00:00:00.000Z',
});

/** The directory's live changes reach the hub of every process on the database (live-relay.ts). */
export function liveRelayContract(storeName: string, open: () => Promise<TwoHandles>) {
  describe(`directory live relay on ${storeName}`, () => {
    let handles: TwoHandles;
    let hubs: [RecordingHub, RecordingHub];
    let relays: [LiveRelay, LiveRelay];
    const log = createLogger('silent');

    beforeAll(async () => {
      handles = await open();
      hubs = [new RecordingHub(), new RecordingHub()];
      relays = [new LiveRelay({ db: handles.a, hub: hubs[0], log }), new LiveRelay({ db: handles.b, hub: hubs[1], log })];
      await Promise.all(relays.map((r) => r.start()));
    });
    afterAll(async () => {
      await Promise.all(relays.map((r) => r.stop()));
      await handles.dispose();
    });
    const reset = () => {
      for (const hub of hubs) {
        hub.changes.length = 0;
        hub.reloads = 0;
      }
    };

    it('hands a change published by one process to every process, in order', async () => {
      reset();
      relays[0].publish([change('ana', 1)]);
      relays[0].publish([change('ana', 2), change('beto', 0)]);
      for (const hub of hubs) {
        await waitFor(() => hub.changes.length === 3, 'the relayed changes', 5000);
        expect(hub.changes.map((c) => `${c.username}:${c.chatsInAttention}`)).toEqual(['ana:1', 'ana:2', 'beto:0']);
      }
    });

    it('sends a change set over the NOTIFY payload limit in chunks, whole', async () => {
      reset();
      const many = Array.from({ length: MAX_RELAYED_CHANGES }, (_, i) => change(`agente_con_nombre_largo_${i}`, i % 7));
      relays[1].publish(many);
      // Every hub, its own process's too: one still receiving would count them in the next test.
      for (const hub of hubs) {
        await waitFor(() => hub.changes.length === many.length, 'the relayed changes', 5000);
        expect(hub.changes).toEqual(many);
        expect(hub.reloads).toBe(0);
      }
    });

    it('tells every process to reload instead of sending a larger change set', async () => {
      reset();
      relays[0].publish(Array.from({ length: MAX_RELAYED_CHANGES + 1 }, (_, i) => change(`a${i}`, 1)));
      for (const hub of hubs) await waitFor(() => hub.reloads === 1, 'the relayed changes', 5000);
      expect(hubs.map((h) => h.changes.length)).toEqual([0, 0]);
    });

    it('ignores a notification on the channel that is not a change set', async () => {
      reset();
      await handles.a.query('SELECT pg_notify($1, $2)', [DIRECTORY_CHANNEL, '{"changes":[{"username":1}]}']);
      relays[0].publish([change('ana', 5)]);
      await waitFor(() => hubs[1].changes.length === 1, 'the relayed changes', 5000);
      expect(hubs[1].changes[0]?.chatsInAttention).toBe(5);
    });

    it('delivers to its own process only until it listens', async () => {
      const hub = new RecordingHub();
      new LiveRelay({ db: handles.a, hub, log }).publish([change('solo', 1)]);
      expect(hub.changes).toHaveLength(1);
    });
  });
}

import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { startFaultStack, terminateBackends, type FaultStack } from './helpers/stack.ts';
import { expectClean, openChats, pairs, runScenario } from './helpers/scenario.ts';
import { envNumber, sleep } from './helpers/time.ts';
import { burst, startTraffic, uploadImages } from './helpers/traffic.ts';

/**
 * PostgreSQL going away under traffic: refusing new connections for ~20 s (FAULT_DB_DOWN_MS)
 * with the open ones cut (through the TCP proxy), and the appservice's backends ended with
 * pg_terminate_backend (as a failover or an admin would). The appservice must neither crash nor
 * give up work; it is not restarted for it (no restart policy hides a crash here).
 */
describe('database outage', () => {
  let stack: FaultStack;
  let images: Map<string, string>;
  beforeAll(async () => {
    stack = await startFaultStack('database', 8);
    images = await uploadImages(stack.homeserverUrl, stack.agents);
  });
  beforeEach(async () => {
    // A crash in an earlier scenario was counted there; this one starts from a running appservice.
    if (!stack.appservice.running()) await stack.appservice.start();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refusing connections for ~20 s, open ones cut: nothing lost, no crash', async () => {
    const downMs = envNumber('FAULT_DB_DOWN_MS', 20_000);
    const counts = await runScenario(`database refusing ${Math.round(downMs / 1000)} s`, async (scenario) => {
      await scenario.snapshot(stack.homeserverUrl, stack.secrets.as_token);
      const rooms = await openChats(stack, scenario, pairs(stack.agents, 2));
      const traffic = startTraffic(stack.homeserverUrl, rooms, images, { everyMs: 250 });
      await sleep(2000);
      await burst(stack.homeserverUrl, rooms, images, envNumber('FAULT_BURST', 6));
      await sleep(100);
      stack.proxy.refuse(true);
      stack.proxy.cutAll();
      await sleep(downMs);
      stack.proxy.refuse(false);
      const faultEnd = Date.now();
      await sleep(4000);
      await traffic.stop();
      return scenario.finish(stack, faultEnd);
    });
    expectClean(counts);
  });

  it('pg_terminate_backend of the appservice’s connections under traffic: nothing lost, no crash', async () => {
    const counts = await runScenario('database backends terminated', async (scenario) => {
      await scenario.snapshot(stack.homeserverUrl, stack.secrets.as_token);
      const rooms = await openChats(stack, scenario, pairs(stack.agents, 2, 4));
      const traffic = startTraffic(stack.homeserverUrl, rooms, images, { everyMs: 150 });
      // Every ~25 ms the backends caught inside a statement or a transaction (a connection the
      // appservice has checked out), and every second all of them, for FAULT_TERMINATE_MS.
      let ended = 0;
      const bursts: Promise<number>[] = [];
      const until = Date.now() + envNumber('FAULT_TERMINATE_MS', 6000);
      for (let i = 0; Date.now() < until; i++) {
        if (i % 20 === 0) bursts.push(burst(stack.homeserverUrl, rooms, images, 2));
        ended += await terminateBackends(stack, i % 40 !== 39).catch(() => 0);
        await sleep(25);
      }
      await Promise.all(bursts);
      scenario.notes.push(`${ended} backends terminated`);
      const faultEnd = Date.now();
      await sleep(4000);
      await traffic.stop();
      return scenario.finish(stack, faultEnd);
    });
    expectClean(counts);
  });
});

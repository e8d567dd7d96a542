import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { synapseHealthy } from './helpers/matrix.ts';
import { startFaultStack, type FaultStack } from './helpers/stack.ts';
import { expectClean, openChats, pairs, runScenario } from './helpers/scenario.ts';
import { envNumber, sleep } from './helpers/time.ts';
import { burst, startTraffic, uploadImages } from './helpers/traffic.ts';

/**
 * Synapse stopped (SIGTERM) or killed (SIGKILL) under traffic, down for ~30 s
 * (FAULT_SYNAPSE_DOWN_MS), then started again on the same data. Work the appservice holds when
 * Synapse goes away (a burst sent just before) must wait out the outage, not be given up.
 */
describe('Synapse outage', () => {
  let stack: FaultStack;
  let images: Map<string, string>;
  const downMs = envNumber('FAULT_SYNAPSE_DOWN_MS', 30_000);
  beforeAll(async () => {
    stack = await startFaultStack('synapse', 8);
    images = await uploadImages(stack.homeserverUrl, stack.agents);
  });
  beforeEach(async () => {
    // A Synapse that did not come back in an earlier scenario was counted there.
    if (!(await synapseHealthy(stack.homeserverUrl))) await stack.synapse.start();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  for (const [signal, from] of [
    ['SIGTERM', 0],
    ['SIGKILL', 4],
  ] as const) {
    it(`Synapse ${signal}, down ${downMs / 1000} s, restart: nothing lost or doubled`, async () => {
      const counts = await runScenario(`Synapse ${signal}, down ${Math.round(downMs / 1000)} s`, async (scenario) => {
        await scenario.snapshot(stack.homeserverUrl, stack.secrets.as_token);
        const rooms = await openChats(stack, scenario, pairs(stack.agents, 2, from));
        const traffic = startTraffic(stack.homeserverUrl, rooms, images, { everyMs: 250 });
        await sleep(2000);
        await burst(stack.homeserverUrl, rooms, images, envNumber('FAULT_BURST', 6));
        await stack.synapse.kill(signal);
        await sleep(downMs);
        await stack.synapse.start();
        const faultEnd = Date.now();
        await sleep(4000);
        await traffic.stop();
        return scenario.finish(stack, faultEnd);
      });
      expectClean(counts);
    });
  }
});

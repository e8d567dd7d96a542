import { afterAll, beforeAll, describe, it } from 'vitest';
import { FAULT_CODE, startFaultStack, type FaultStack } from './helpers/stack.ts';
import { sendText, type Agent } from './helpers/matrix.ts';
import { expectClean, openChats, pairs, runScenario, type Scenario } from './helpers/scenario.ts';
import { envNumber, sleep, waitUntil } from './helpers/time.ts';
import { startTraffic, uploadImages } from './helpers/traffic.ts';

/** The appservice killed with SIGKILL (a crash, an OOM kill) and started again at once. */
describe('appservice crash', () => {
  let stack: FaultStack;
  let images: Map<string, string>;
  beforeAll(async () => {
    stack = await startFaultStack('crash', 8);
    images = await uploadImages(stack.homeserverUrl, stack.agents);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const crash = async () => {
    await stack.appservice.kill('SIGKILL');
    await sleep(500);
    await stack.appservice.start();
  };

  it('SIGKILL under traffic, then restart: every command answered once, every refused file redacted', async () => {
    const counts = await runScenario('appservice SIGKILL under traffic', async (scenario) => {
      await scenario.snapshot(stack.homeserverUrl, stack.secrets.as_token);
      const rooms = await openChats(stack, scenario, pairs(stack.agents, 2));
      const traffic = startTraffic(stack.homeserverUrl, rooms, images, { everyMs: 200 });
      for (let i = 0; i < envNumber('FAULT_KILLS', 2); i++) {
        await sleep(3000);
        await crash();
      }
      const faultEnd = Date.now();
      await sleep(3000);
      await traffic.stop();
      return scenario.finish(stack, faultEnd);
    });
    expectClean(counts);
  });

  it('SIGKILL during opens and closes: every close recorded once with its notice, no orphan or half-closed room', async () => {
    const counts = await runScenario('appservice SIGKILL during opens/closes', async (scenario) => {
      await scenario.snapshot(stack.homeserverUrl, stack.secrets.as_token);
      const rounds = envNumber('FAULT_CLOSES', 4);
      const work = pairs(stack.agents, 2, 4).map((pair) => openAndClose(stack, scenario, pair, rounds));
      await sleep(1500);
      await crash();
      await sleep(2500);
      await crash();
      const faultEnd = Date.now();
      await Promise.all(work);
      return scenario.finish(stack, faultEnd);
    });
    expectClean(counts);
  });
});

/** `rounds` times: "Mensaje directo", a command, then a close — by `!cerrar` and by the API in turn. */
async function openAndClose(stack: FaultStack, scenario: Scenario, [a, b]: readonly [Agent, Agent], rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const opened = await stack.api.get(a.username)?.open(b.username);
    if (!opened) continue;
    scenario.watch(opened.roomId, a);
    await sendText(stack.homeserverUrl, b, opened.roomId, '!tipificaciones');
    scenario.closeRequested.add(opened.roomId);
    if (round % 2 === 0) await sendText(stack.homeserverUrl, b, opened.roomId, `!cerrar ${FAULT_CODE}`);
    else await stack.api.get(a.username)?.close(opened.roomId, FAULT_CODE);
    await waitUntil(async () => {
      const { rows } = await stack.pg.query<{ status: string }>('SELECT status FROM chats WHERE room_id = $1', [opened.roomId]);
      return rows[0]?.status === 'closed';
    }, 20_000);
  }
}

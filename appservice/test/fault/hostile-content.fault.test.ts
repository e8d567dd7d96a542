import { afterAll, beforeAll, describe, it } from 'vitest';
import { startFaultStack, type FaultStack } from './helpers/stack.ts';
import { history, sendRaw, sendText } from './helpers/matrix.ts';
import { expectClean, openChats, pairs, runScenario } from './helpers/scenario.ts';
import { envNumber, waitUntil } from './helpers/time.ts';

/**
 * Ordinary m.room.message events that Synapse accepts but a strict stack refuses: a `__proto__`
 * key, `constructor.prototype`, NUL characters. Sent as raw JSON (the SDK would not send them as
 * they are); after each, `!tipificaciones` must be answered within a few seconds
 * (FAULT_HOSTILE_ANSWER_MS). Once one poisons the intake, every later one is unanswered too.
 */
const hostile: readonly (readonly [string, string])[] = [
  ['__proto__ key', '{"msgtype":"m.text","body":"hola","__proto__":{"polluted":"yes"}}'],
  ['constructor.prototype key', '{"msgtype":"m.text","body":"hola","constructor":{"prototype":{"polluted":"yes"}}}'],
  ['NUL in body', JSON.stringify({ msgtype: 'm.text', body: 'a\u0000b' })],
  ['NUL in formatted_body', JSON.stringify({ msgtype: 'm.text', body: 'ab', format: 'org.matrix.custom.html', formatted_body: '<b>a\u0000b</b>' })],
];

describe('hostile contents', () => {
  let stack: FaultStack;
  beforeAll(async () => {
    stack = await startFaultStack('hostile', 2);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers !tipificaciones within a few seconds after each hostile message', async () => {
    const answerMs = envNumber('FAULT_HOSTILE_ANSWER_MS', 5000);
    const counts = await runScenario('hostile contents', async (scenario) => {
      await scenario.snapshot(stack.homeserverUrl, stack.secrets.as_token);
      const [room] = await openChats(stack, scenario, pairs(stack.agents, 1));
      if (!room) throw new Error('no room');
      const [sender, reader] = room.agents;
      let faultEnd = 0;
      for (const [what, body] of hostile) {
        const sentAt = Date.now();
        const id = await sendRaw(stack.homeserverUrl, sender.token, room.roomId, body);
        if (!id) {
          scenario.notes.push(`${what}: refused by Synapse`);
          continue;
        }
        faultEnd ||= sentAt;
        scenario.extraEvents++;
        const command = await sendText(stack.homeserverUrl, sender, room.roomId, '!tipificaciones');
        const answered = await waitUntil(async () => {
          const events = await history(stack.homeserverUrl, reader.token, room.roomId, 2);
          return events.some((e) => e.sender === stack.botUserId && JSON.stringify(e.content['m.relates_to'] ?? {}).includes(command ?? '-'));
        }, answerMs);
        scenario.notes.push(`after ${what}: ${answered ? `answered in ${((Date.now() - sentAt) / 1000).toFixed(1)} s` : `no answer in ${answerMs / 1000} s`}`);
      }
      return scenario.finish(stack, faultEnd, envNumber('FAULT_HOSTILE_SETTLE_MS', 10_000));
    });
    expectClean(counts);
  });
});

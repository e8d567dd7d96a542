import { describe, expect, it } from 'vitest';
import { asksSomething, dueActions, escalationDue, nextDue, reminderDue, slaMsOf, step, type ChatMessage, type Question } from '../../src/features/sla/model.ts';

const members = ['ana', 'beto'] as const;
const SLA = 5 * 60_000;
let n = 0;
const msg = (sender: string, at: number, asks = true): ChatMessage => ({ roomId: '!r:x', eventId: `$e${++n}`, sender, at, asks });

/** Runs messages through the state machine as the room handler does, keeping the open question. */
function run(messages: ChatMessage[], slaMs = SLA): { open: Question | undefined; answered: Question[] } {
  let open: Question | undefined;
  const answered: Question[] = [];
  for (const m of messages) {
    const s = step(open, m, members, slaMs);
    if (s.kind === 'ask') {
      if (s.answered) answered.push(s.answered);
      open = s.question;
    } else if (s.kind === 'answer') {
      answered.push(s.answered);
      open = undefined;
    }
  }
  return { open, answered };
}

describe('SLA questions', () => {
  it('the first message of an agent asks the other agent; more messages of the same agent change nothing', () => {
    const first = msg('ana', 1000);
    const { open } = run([first, msg('ana', 2000), msg('ana', 3000)]);
    expect(open).toMatchObject({ eventId: first.eventId, asker: 'ana', askee: 'beto', askedAt: 1000, slaMs: SLA, reminded: false, escalated: false });
  });

  it("the other agent's reply answers it, and is a question back only when it asks something", () => {
    const ask = msg('ana', 1000);
    const reply = msg('beto', 2000);
    const { open, answered } = run([ask, reply]);
    expect(answered.map((q) => q.eventId)).toEqual([ask.eventId]);
    expect(open).toMatchObject({ eventId: reply.eventId, asker: 'beto', askee: 'ana' });
    const thanks = run([msg('ana', 1000), msg('beto', 2000, false), msg('ana', 3000, false)]);
    expect(thanks.answered).toHaveLength(1);
    expect(thanks.open).toBeUndefined();
  });

  it('a message that asks nothing is no question', () => {
    expect(run([msg('ana', 1000, false), msg('ana', 2000, false)]).open).toBeUndefined();
    expect(asksSomething('¿Me ayudas con un cliente')).toBe(true);
    expect(asksSomething('Can you help?')).toBe(true);
    expect(asksSomething('Gracias, ya lo resolví.')).toBe(false);
  });

  it('ignores messages from anyone else (the bot) and a replay of the asking message', () => {
    const ask = msg('ana', 1000);
    const { open } = run([ask]);
    expect(step(open, { ...msg('bot', 1500) }, members, SLA)).toEqual({ kind: 'none' });
    expect(step(open, { ...ask }, members, SLA)).toEqual({ kind: 'none' });
  });

  it('with the SLA off, asks nothing but an answer still clears an older question', () => {
    expect(run([msg('ana', 1000)], 0).open).toBeUndefined();
    const ask = msg('ana', 1000);
    const { open } = run([ask]);
    expect(step(open, msg('beto', 2000), members, 0)).toEqual({ kind: 'answer', answered: open });
  });
});

describe('SLA due times (fake clock)', () => {
  const q = (over: Partial<Question> = {}): Question => ({
    roomId: '!r:x',
    eventId: '$q',
    asker: 'ana',
    askee: 'beto',
    askedAt: 10_000,
    slaMs: SLA,
    reminded: false,
    escalated: false,
    ...over,
  });

  it('reminds once the SLA has passed and escalates after a second period', () => {
    expect(reminderDue(q())).toBe(10_000 + SLA);
    expect(escalationDue(q())).toBe(10_000 + 2 * SLA);
    expect(dueActions(q(), 10_000 + SLA - 1)).toEqual([]);
    expect(dueActions(q(), 10_000 + SLA)).toEqual(['remind']);
    expect(dueActions(q({ reminded: true }), 10_000 + SLA + 1)).toEqual([]);
    expect(dueActions(q({ reminded: true }), 10_000 + 2 * SLA)).toEqual(['escalate']);
    expect(dueActions(q({ reminded: true, escalated: true }), 10_000 + 10 * SLA)).toEqual([]);
  });

  it('both late (after a restart): the reminder, then the escalation, each once', () => {
    expect(dueActions(q(), 10_000 + 3 * SLA)).toEqual(['remind', 'escalate']);
    expect(nextDue(q())).toBe(10_000 + SLA);
    expect(nextDue(q({ reminded: true }))).toBe(10_000 + 2 * SLA);
    expect(nextDue(q({ reminded: true, escalated: true }))).toBeUndefined();
  });

  it("takes the campaign's SLA in minutes (fractions allowed), else the default; 0 is off", () => {
    expect(slaMsOf(null, 5)).toBe(300_000);
    expect(slaMsOf(2, 5)).toBe(120_000);
    expect(slaMsOf(0.05, 5)).toBe(3000);
    expect(slaMsOf(0, 5)).toBe(0);
    expect(slaMsOf(undefined, 0)).toBe(0);
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller, Command } from '../../src/commands/command.ts';
import { usage } from '../../src/commands/help.ts';
import { CommandRegistry } from '../../src/commands/registry.ts';
import { MAX_COMMAND_LENGTH } from '../../src/commands/tokenize.ts';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import { typificationCommands } from '../../src/features/typifications/commands.ts';
import { createTypificationRepository as typificationsIn } from '../../src/features/typifications/repository.ts';
import { TypificationService } from '../../src/features/typifications/service.ts';
import { createLogger } from '../../src/observability/logger.ts';

/**
 * The parser of the real command table, fed generated input: arbitrary text, and commands that are
 * almost right (words in either language, mangled, with odd arguments, quotes, flags, whitespace
 * and lengths). It must never throw; a failure must always say what is wrong and show the syntax.
 */
describe('command parser properties', () => {
  let db: Database;
  let registry: CommandRegistry;

  beforeAll(async () => {
    db = await openMigratedStore();
    await db.query(`INSERT INTO campaigns (id, name) VALUES ('ventas', 'Ventas')`);
    const log = createLogger('silent');
    registry = new CommandRegistry({ commands: typificationCommands(new TypificationService({ db, log })), log });
  });
  afterAll(async () => {
    await db.close();
  });

  /** Parses and checks every guarantee; throws (failing the property) when one does not hold. */
  function check(input: string): void {
    const result = registry.parser.parse(input);
    if (result.ok) {
      expect(registry.commands).toContain(result.command);
      for (const spec of result.command.args) if (!spec.optional) expect(result.args[spec.key]).not.toBeUndefined();
      const { code, label, catalog } = result.args;
      if (code !== undefined) expect(code).toMatch(/^[A-Z0-9_]{1,32}$/);
      if (label !== undefined) expect(String(label)).toMatch(/^\S(.{0,118}\S)?$/su);
      if (typeof catalog === 'string') expect(catalog).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/);
      return;
    }
    expect(result.candidates.length).toBeGreaterThan(0);
    for (const lang of ['es', 'en'] as const) {
      expect(result.reason[lang].trim().length).toBeGreaterThan(0);
      const message = result.message[lang];
      expect(message.startsWith(result.reason[lang])).toBe(true);
      expect(message).toContain(lang === 'es' ? 'Sintaxis' : 'Syntax');
      expect(result.candidates.some((c: Command) => message.includes(usage(c, lang)))).toBe(true);
    }
  }

  const prefix = fc.constantFrom('', '!', '!', ' !', '!!', '! ', '\n!');
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.string({ unit: fc.constantFrom('"', '\\', ' ', '“', '”', '-', '—', 'a', 'Á', '!', '\t', '\n', '\u00A0'), maxLength: 80 }),
  );

  it('never throws on arbitrary text, and explains every failure (10,000 inputs)', () => {
    fc.assert(
      fc.property(prefix, anyText, (p, text) => check(p + text)),
      { numRuns: 10_000 },
    );
  });

  it('never throws on near-miss commands, and explains every failure (10,000 inputs)', () => {
    const space = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\n', '\u00A0', '   ');
    const escape = (s: string) => s.replace(/["\\\u201C\u201D\u201E]/g, '\\$&');
    const quoted = (max: number) => fc.string({ unit: 'grapheme', maxLength: max }).map((s) => `"${escape(s)}"`);
    const accented = fc.string({ unit: fc.constantFrom('a', 'á', 'é', 'ñ', 'Ü', ' ', 'ç', 'O', '¿', '?', '💬'), minLength: 1, maxLength: 130 });
    const piece = fc.oneof(
      fc.constantFrom('global', 'GLOBAL', 'ventas', 'nadie', 'Ventas', 'campaña', 'x y'),
      fc.stringMatching(/^[A-Za-z0-9_ñÑ-]{0,40}$/),
      quoted(150),
      fc.constantFrom('"sin cerrar', 'a"b', '""', '"\\"', '\\', '“Cliente no contesta”', '"Ñandú  ágil"', 'sin comillas'),
      fc.constantFrom('--todas', '--all', '--TODAS', '--', '--x', '—todas', '–all', '-t', '"--todas"'),
      fc.integer({ min: -5, max: 200 }).map(String),
      fc.string({ unit: 'binary', minLength: 100, maxLength: 2500 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    /** A plausible value for each argument of the table, sometimes out of range. */
    const valueFor: Record<string, fc.Arbitrary<string>> = {
      catalog: fc.constantFrom('ventas', 'global', 'Global', 'soporte', 'VENTAS'),
      code: fc.stringMatching(/^[A-Za-z0-9_]{1,34}$/),
      label: fc.oneof(accented.map((s) => `"${s}"`), quoted(125), fc.stringMatching(/^[a-z]{1,10}$/)),
      description: fc.oneof(accented.map((s) => `"${s}"`), quoted(520)),
      limit: fc.integer({ min: 0, max: 120 }).map(String),
      topic: fc.constantFrom('tipificacion', 'typification', '!tipificacion', 'nada'),
      sub: fc.constantFrom('agregar', 'add', 'listar', 'x'),
    };
    const mangle = (word: string) => fc.constantFrom(word, word, word, word, word, word.toUpperCase(), word.replace('a', 'á'), word.slice(0, -1), `${word}x`);
    const command = fc.constantFrom(...registry.commands).chain((c) =>
      fc.tuple(
        fc.constantFrom(c.words.es, c.words.en, ...(c.aliases?.es ?? []), ...(c.aliases?.en ?? [])).chain((ws) => fc.tuple(...ws.map(mangle))),
        fc.tuple(...c.args.map((a) => valueFor[a.key] ?? piece)),
        fc.constantFrom<string[]>([], ...(c.flags ?? []).flatMap((f) => [[`--${f.names.es}`], [`--${f.names.en}`]])),
      ),
    );
    const edit = fc.tuple(fc.constantFrom('drop', 'insert', 'replace', 'none', 'none'), fc.nat(8), piece);
    const input = fc.tuple(prefix, command, fc.array(edit, { maxLength: 3 }), fc.array(space, { minLength: 12, maxLength: 12 }))
      .map(([p, [words, args, flags], edits, spaces]) => {
        const tokens = [...args, ...flags];
        for (const [op, at, value] of edits) {
          const i = tokens.length === 0 ? 0 : at % (tokens.length + (op === 'insert' ? 1 : 0));
          if (op === 'drop') tokens.splice(i, 1);
          else if (op === 'insert') tokens.splice(i, 0, value);
          else if (op === 'replace') tokens.splice(i, 1, value);
        }
        return `${p}${words.join(' ')}${tokens.map((t, i) => `${spaces[i % spaces.length] ?? ' '}${t}`).join('')}${spaces[11] ?? ''}`;
      });
    fc.assert(
      fc.property(input, (text) => check(text)),
      { numRuns: 10_000 },
    );
  });

  it('refuses input around the length limit with a message and the syntax', () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_COMMAND_LENGTH - 60, max: MAX_COMMAND_LENGTH + 200 }), fc.constantFrom('!tipificacion agregar global X "', '!typification list '), (length, start) => {
        const text = `${start}${'é'.repeat(Math.max(0, length - start.length))}`;
        check(text);
        if (text.length > MAX_COMMAND_LENGTH) expect(registry.parser.parse(text)).toMatchObject({ ok: false, kind: 'too_long' });
      }),
      { numRuns: 300 },
    );
  });

  it('as a non-admin, never changes anything and always gets a reply (1,000 inputs)', async () => {
    const agent: Caller = { userId: '@chattigo_beto:x', username: 'beto', role: 'agent' };
    const before = await typificationsIn(db).listAll({ includeInactive: true });
    const input = fc.oneof(
      fc.tuple(fc.constantFrom('!tipificacion ', '!typification ', '!ayuda ', '!help ', '!'), fc.string({ unit: 'grapheme', maxLength: 100 })).map(([a, b]) => a + b),
      fc.constantFrom('!tipificacion agregar ventas NUEVA "Nueva"', '!typification deactivate global X'),
    );
    await fc.assert(
      fc.asyncProperty(input, async (text) => {
        const outcome = await registry.execute(text, { caller: agent, scope: 'direct', roomId: '!r:x', eventId: '$e' });
        expect(outcome.reply.trim().length).toBeGreaterThan(0);
        expect(['ok', 'invalid', 'forbidden']).toContain(outcome.status);
        if (outcome.commandId?.startsWith('typification.')) expect(outcome.status).toBe('forbidden');
      }),
      { numRuns: 1_000 },
    );
    expect(await typificationsIn(db).listAll({ includeInactive: true })).toEqual(before);
  });
});

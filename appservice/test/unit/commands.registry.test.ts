import { describe, expect, it } from 'vitest';
import { arg, flag, integer, ok, optional, text } from '../../src/commands/args.ts';
import { defineCommand, type Caller, type Command } from '../../src/commands/command.ts';
import { checkTable, CommandRegistry, type Invocation } from '../../src/commands/registry.ts';
import { AppError } from '../../src/errors.ts';
import { message } from '../../src/i18n/index.ts';
import { createLogger } from '../../src/observability/logger.ts';

const calls: unknown[] = [];
const word = (key: 'name') => arg(key, { es: '<nombre>', en: '<name>' }, (t) => ok(t.text));

const sample: Command[] = [
  defineCommand({
    id: 'thing.add',
    words: { es: ['cosa', 'agregar'], en: ['thing', 'add'] },
    args: [word('name'), text('label', { es: '"<etiqueta>"', en: '"<label>"' }, { max: 10 }), optional(integer('n', { es: '<n>', en: '<n>' }, { min: 1, max: 5 }))],
    flags: [flag('all', { es: 'todas', en: 'all' }, { es: 'todas', en: 'all' })],
    roles: ['admin'],
    scopes: ['direct'],
    summary: { es: 'Agrega una cosa.', en: 'Adds a thing.' },
    run: async (ctx, a) => {
      calls.push(a);
      return `${ctx.lang}:${a.name}:${a.label}:${a.n ?? '-'}:${a.all}`;
    },
  }),
  defineCommand({
    id: 'thing.fail',
    words: { es: ['cosa', 'fallar'], en: ['thing', 'fail'] },
    args: [optional(word('name'))],
    roles: ['admin'],
    scopes: ['direct'],
    summary: { es: 'Falla.', en: 'Fails.' },
    run: async (_ctx, a) => {
      if (a.name === 'refuse') throw new AppError(409, 'X_REFUSED', message('session.notAllowed'));
      throw new Error('database on fire');
    },
  }),
  defineCommand({
    id: 'close',
    words: { es: ['cerrar'], en: ['close'] },
    args: [word('name')],
    roles: 'anyone',
    scopes: ['chat'],
    summary: { es: 'Cierra el chat.', en: 'Closes the chat.' },
    run: async (ctx, a) => `cerrado ${a.name} ${ctx.scope}`,
  }),
];

const registry = new CommandRegistry({ commands: sample, log: createLogger('silent') });
const admin: Caller = { userId: '@chattigo_ana:x', username: 'ana', role: 'admin' };
const agent: Caller = { userId: '@chattigo_beto:x', username: 'beto', role: 'agent' };
const at = (caller: Caller, scope: Invocation['scope'] = 'direct'): Invocation => ({ caller, scope, roomId: '!r:x', eventId: '$e' });

describe('command parsing', () => {
  const parser = registry.parser;

  it('yields the command with typed arguments, flags and defaults', () => {
    expect(parser.parse('!cosa agregar a1 "dos  tres" 4 --todas')).toMatchObject({
      ok: true,
      lang: 'es',
      args: { name: 'a1', label: 'dos tres', n: 4, all: true },
    });
    expect(parser.parse('  !thing add a1 b')).toMatchObject({ ok: true, lang: 'en', args: { name: 'a1', label: 'b', n: undefined, all: false } });
  });

  it('compares command words without case or accents, and accepts "! word"', () => {
    expect(parser.parse('!CÓSA AGREGAR a b')).toMatchObject({ ok: true, lang: 'es' });
    expect(parser.parse('! cerrar x')).toMatchObject({ ok: true, lang: 'es', args: { name: 'x' } });
  });

  it('takes an em dash typed by a phone for --', () => {
    expect(parser.parse('!cosa agregar a b —todas')).toMatchObject({ ok: true, args: { all: true } });
    // Quoted, it is a value: here the optional <n>.
    expect(parser.parse('!cosa agregar a b "--todas"')).toMatchObject({ ok: false, kind: 'bad_argument' });
  });

  const failures: [string, string, string, string][] = [
    ['!nada', 'unknown_command', 'No conozco el comando «!nada».', '!cosa agregar <nombre>'],
    ['!cosa', 'missing_subcommand', 'Falta qué hacer después de «!cosa».', '!cosa fallar [<nombre>]'],
    ['!thing explode', 'unknown_subcommand', 'Unknown subcommand "explode".', '!thing add <name>'],
    ['!cosa agregar a', 'missing_argument', 'Falta "<etiqueta>".', 'Sintaxis: !cosa agregar <nombre> "<etiqueta>" [<n>] [--todas]'],
    ['!cosa agregar a Venta 3 cerrada', 'too_many_arguments', 'Sobra texto: «cerrada». Si un texto tiene espacios, escríbalo entre comillas.', 'Sintaxis: !cosa agregar'],
    ['!cosa agregar a "muy largo de verdad"', 'bad_argument', '"<etiqueta>" «muy largo de verdad»: tiene 19 caracteres; el máximo es 10.', 'Sintaxis:'],
    ['!cosa agregar a b 9', 'bad_argument', '<n> «9»: debe ser un número entero entre 1 y 5.', 'Sintaxis:'],
    ['!thing add a b --everything', 'unknown_flag', 'Unknown option "--everything". Options: --all.', 'Syntax: !thing add'],
    ['!cerrar a --x', 'unknown_flag', 'Este comando no tiene opciones.', 'Sintaxis: !cerrar <nombre>'],
    ['!cosa agregar "a b', 'unterminated_quote', 'Falta cerrar unas comillas (").', 'Sintaxis:'],
    [`!thing add ${'x'.repeat(3000)}`, 'too_long', 'The command is too long (3011 characters; the maximum is 2000).', 'Syntax:'],
    ['hola', 'not_a_command', 'Los comandos empiezan con «!».', 'Sintaxis:'],
  ];
  it.each(failures)('%s → %s with the reason and the expected syntax', (input, kind, reason, syntax) => {
    const result = parser.parse(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.kind).toBe(kind);
    expect(result.message[result.lang]).toContain(reason);
    expect(result.message[result.lang]).toContain(syntax);
  });
});

describe('command dispatch', () => {
  it('runs the handler and replies in the language of the command word', async () => {
    expect(await registry.execute('!cosa agregar a b', at(admin))).toEqual({ status: 'ok', lang: 'es', reply: 'es:a:b:-:false', commandId: 'thing.add' });
    expect((await registry.execute('!thing add a b 2', at(admin))).reply).toBe('en:a:b:2:false');
  });

  it("replies in the caller's language from the directory, whichever words they typed", async () => {
    expect(await registry.execute('!cosa agregar a b', at({ ...admin, language: 'en' }))).toMatchObject({ lang: 'en', reply: 'en:a:b:-:false' });
    expect((await registry.execute('!thing add a b 2', at({ ...admin, language: 'es' }))).reply).toBe('es:a:b:2:false');
    expect((await registry.execute('!thing add a b', at({ ...agent, language: 'es' }))).reply).toMatch(/^No permitido: «!cosa agregar»/);
    expect((await registry.execute('!cosa nada', at({ ...admin, language: 'en' }))).reply).toMatch(/^Unknown subcommand "nada"\.\nSyntax:\n {2}!thing add/);
  });

  it('refuses a caller without the role before reading the arguments, and runs nothing', async () => {
    const before = calls.length;
    for (const input of ['!cosa agregar a b', '!cosa agregar', '!cosa', '!cosa agregar "sin cerrar']) {
      const outcome = await registry.execute(input, at(agent));
      expect(outcome).toMatchObject({ status: 'forbidden', lang: 'es' });
      expect(outcome.reply).toMatch(/^No permitido: «!cosa (agregar|fallar)» es solo para administradores\. No se cambió nada\.$/);
    }
    expect((await registry.execute('!thing add a b', at({ ...agent, role: undefined }))).reply).toMatch(/^Not allowed:/);
    expect(calls.length).toBe(before);
  });

  it('refuses a command in the wrong kind of room', async () => {
    expect(await registry.execute('!cerrar x', at(admin, 'direct'))).toMatchObject({
      status: 'wrong_scope',
      reply: '«!cerrar» solo se puede usar en un chat entre agentes.',
    });
    expect((await registry.execute('!close x', at(agent, 'chat'))).reply).toBe('cerrado x chat');
  });

  it('turns a refusal into its message and an internal error into a generic one', async () => {
    expect(await registry.execute('!thing fail refuse', at(admin))).toMatchObject({ status: 'refused', reply: 'You are not allowed to do this.' });
    const failed = await registry.execute('!cosa fallar', at(admin));
    expect(failed.status).toBe('failed');
    expect(failed.reply).toContain('error interno');
    expect(failed.reply).not.toContain('fire');
  });

  it('answers an unknown command with the help for that caller and place', async () => {
    const outcome = await registry.execute('!nada', at(agent));
    expect(outcome.status).toBe('invalid');
    expect(outcome.reply).toContain('No conozco el comando «!nada».');
    expect(outcome.reply).toContain('!ayuda [<comando>] [<subcomando>]');
    expect(outcome.reply).not.toContain('!cosa agregar');
    expect(outcome.reply).toContain('solo para administradores');
  });
});

describe('help', () => {
  it('is generated from the table, in the language asked, for what the caller may do here', async () => {
    const es = (await registry.execute('!ayuda', at(admin))).reply;
    expect(es).toContain('Comandos disponibles aquí:');
    expect(es).toContain('!cosa agregar <nombre> "<etiqueta>" [<n>] [--todas]\n    Agrega una cosa.');
    expect(es).not.toContain('!cerrar');
    const en = (await registry.execute('!help', at(admin))).reply;
    expect(en).toContain('Commands available here:');
    expect(en).toContain('!thing add <name> "<label>" [<n>] [--all]\n    Adds a thing.');
    const chat = (await registry.execute('!help', at(agent, 'chat'))).reply;
    expect(chat).toContain('!close <name>');
    expect(chat).not.toContain('!thing');
  });

  it('details one command or a group, and says when nothing matches', async () => {
    const one = (await registry.execute('!ayuda cosa agregar', at(admin))).reply;
    expect(one).toContain('--todas: todas');
    expect(one).toContain('Solo: administradores');
    expect(one).not.toContain('!cosa fallar');
    const group = (await registry.execute('!help !thing', at(admin))).reply;
    expect(group).toContain('!thing add');
    expect(group).toContain('!thing fail');
    const none = (await registry.execute('!ayuda cosa', at(agent))).reply;
    expect(none).toContain('No hay ningún comando «!cosa» disponible aquí.');
  });
});

describe('the command table check', () => {
  const base = sample[2] as Command;
  it('refuses repeated words, a command that prefixes another, and optional arguments before required ones', () => {
    expect(() => checkTable([base, { ...base, id: 'other' }])).toThrow(/"!cerrar" names both close and other/);
    expect(() => checkTable([base, { ...base, id: 'x', words: { es: ['cerrar', 'ya'], en: ['shut', 'now'] } }])).toThrow(/is both a command and the start/);
    expect(() => checkTable([{ ...base, args: [optional(word('name')), text('label', { es: '', en: '' }, { max: 3 })] }])).toThrow(/required argument follows/);
    expect(() => checkTable([{ ...base, words: { es: ['dos palabras'], en: ['x'] } }])).toThrow(/one or two plain words/);
    expect(() => checkTable([base, base])).toThrow(/declared twice/);
  });
});

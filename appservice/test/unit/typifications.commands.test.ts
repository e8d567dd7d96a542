import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/commands/command.ts';
import { CommandRegistry, type Invocation } from '../../src/commands/registry.ts';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import { typificationCommands } from '../../src/features/typifications/commands.ts';
import { createAuditRepository as auditIn, createTypificationRepository as typificationsIn } from '../../src/features/typifications/repository.ts';
import { TypificationService } from '../../src/features/typifications/service.ts';
import { createLogger } from '../../src/observability/logger.ts';

const admin: Caller = { userId: '@chattigo_ana:x', username: 'ana', role: 'admin' };
const agent: Caller = { userId: '@chattigo_beto:x', username: 'beto', role: 'agent' };

describe('typification commands', () => {
  let db: Database;
  let registry: CommandRegistry;
  let n = 0;
  const run = async (input: string, caller = admin) => {
    const invocation: Invocation = { caller, scope: 'direct', roomId: '!dm:x', eventId: `$e${++n}` };
    return registry.execute(input, invocation);
  };

  beforeAll(async () => {
    db = await openMigratedStore();
    await db.query(`INSERT INTO campaigns (id, name) VALUES ('ventas', 'Ventas')`);
    const log = createLogger('silent');
    registry = new CommandRegistry({ commands: typificationCommands(new TypificationService({ db, log })), log });
  });
  afterAll(async () => {
    await db.close();
  });

  it('adds, in Spanish or English, and says what changed', async () => {
    expect(await run('!tipificacion agregar ventas venta_ok "Venta concretada" "El cliente compró"')).toEqual({
      status: 'ok',
      lang: 'es',
      commandId: 'typification.add',
      reply: 'Agregada en la campaña ventas (Ventas): VENTA_OK «Venta concretada» — El cliente compró. Ya se puede usar para cerrar chats.',
    });
    expect((await run('!typification add global NO_ANSWER "No answer"')).reply).toBe(
      'Added to the global catalog: NO_ANSWER "No answer". It can now be used to close chats.',
    );
    const replace = await run('!tipificación agregar ventas NO_ANSWER “Cliente no contesta”');
    expect(replace.reply).toContain('En esta campaña reemplaza al código global NO_ANSWER «No answer».');
  });

  it('renames, deactivates, reactivates, with the audit recording the command event', async () => {
    expect((await run('!tipificacion renombrar ventas VENTA_OK "Venta cerrada"')).reply).toBe(
      'Actualizada en la campaña ventas (Ventas): VENTA_OK «Venta concretada» → «Venta cerrada».',
    );
    expect((await run('!tipificacion eliminar ventas VENTA_OK')).reply).toBe(
      'Desactivada en la campaña ventas (Ventas): VENTA_OK «Venta cerrada». Ya no se puede usar para cerrar chats; los chats ya cerrados la conservan.',
    );
    expect((await run('!tipificacion desactivar ventas NO_ANSWER')).reply).toContain('En esta campaña vuelve a aplicar el código global NO_ANSWER «No answer».');
    expect((await run('!typification deactivate ventas VENTA_OK')).reply).toMatch(/^No change: VENTA_OK "Venta cerrada" — El cliente compró \(deactivated\)/);
    expect((await run('!typification reactivate ventas VENTA_OK')).reply).toMatch(/^Reactivated in campaign ventas \(Ventas\)/);
    const [entry] = await auditIn(db).recent({ limit: 1 });
    expect(entry).toMatchObject({ actor: 'ana', action: 'reactivate', source: `$e${n}` });
  });

  it('lists, shows usage and the audit', async () => {
    const list = (await run('!tipificacion listar --todas')).reply;
    expect(list).toBe(
      [
        'El catálogo global (1):',
        '  NO_ANSWER «No answer»',
        '',
        'La campaña ventas (Ventas) (2):',
        '  NO_ANSWER «Cliente no contesta» (desactivada)',
        '  VENTA_OK «Venta cerrada» — El cliente compró',
      ].join('\n'),
    );
    const one = (await run('!typification list ventas')).reply;
    expect(one).toContain('Campaign ventas (Ventas) (1):\n  VENTA_OK "Sale closed"'.replace('"Sale closed"', '"Venta cerrada" — El cliente compró'));
    expect(one).toContain('Also uses from the global catalog: NO_ANSWER');
    expect(one).toContain('Active only; --all also shows deactivated ones.');
    const usage = (await run('!tipificacion uso no_answer')).reply;
    expect(usage).toContain('NO_ANSWER está en:\n  el catálogo global: NO_ANSWER «No answer»\n  la campaña ventas (Ventas): NO_ANSWER «Cliente no contesta» (desactivada)');
    expect(usage).toContain('Campañas que pueden cerrar chats con NO_ANSWER: ventas.');
    const audit = (await run('!tipificacion auditoria 2')).reply;
    expect(audit.split('\n')).toHaveLength(3);
    expect(audit).toMatch(/^Últimos 2 cambios \(hora UTC\):\n#\d+ \d{4}-\d\d-\d\d \d\d:\d\d ana reactivó VENTA_OK «Venta cerrada» — la campaña ventas/);
  });

  it('answers malformed commands with the expected syntax', async () => {
    expect((await run('!tipificacion agregar ventas')).reply).toBe(
      'Falta <CÓDIGO>.\nSintaxis: !tipificacion agregar <campaña|global> <CÓDIGO> "<etiqueta>" ["<descripción>"]',
    );
    expect((await run('!typification add ventas X Sale closed')).reply).toBe(
      '"<description>" "closed": the description goes in double quotes. So does a label with spaces: "Sale closed".\n' +
        'Syntax: !typification add <campaign|global> <CODE> "<label>" ["<description>"]',
    );
    expect((await run('!typification add ventas X Sale closed now')).reply).toMatch(/^Unexpected text: "now"\. Put text with spaces in double quotes\./);
    expect((await run('!tipificacion auditoria 1000')).reply).toContain('<n> «1000»: debe ser un número entero entre 1 y 100.');
    expect((await run('!tipificacion agregar ventas X "a" --rapido')).reply).toContain('Este comando no tiene opciones.');
    expect((await run('!tipificacion agregar nadie X "a"')).reply).toContain('No existe la campaña «nadie».');
  });

  it('refuses a non-admin and changes nothing', async () => {
    const before = await typificationsIn(db).listAll({ includeInactive: true });
    const outcome = await run('!tipificacion agregar ventas NUEVA "Nueva"', agent);
    expect(outcome).toMatchObject({ status: 'forbidden', reply: 'No permitido: «!tipificacion agregar» es solo para administradores. No se cambió nada.' });
    expect((await run('!typification deactivate ventas VENTA_OK', { ...admin, role: undefined })).status).toBe('forbidden');
    expect(await typificationsIn(db).listAll({ includeInactive: true })).toEqual(before);
    const help = (await run('!ayuda', agent)).reply;
    expect(help).not.toContain('!tipificacion');
    expect(help).toContain('Hay más comandos, solo para administradores.');
  });

  it('documents every command in the help', async () => {
    const help = (await run('!help')).reply;
    for (const word of ['add', 'rename', 'deactivate', 'reactivate', 'list', 'usage', 'audit']) expect(help).toContain(`!typification ${word}`);
    const detail = (await run('!ayuda tipificacion desactivar')).reply;
    expect(detail).toContain('También: !tipificacion eliminar, !tipificacion quitar');
  });
});

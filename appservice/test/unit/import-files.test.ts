import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, ImportFileError, locate, parseCsv, readImportFiles } from '../../src/features/provisioning/import-files.ts';

describe('CSV parsing', () => {
  it('handles quotes, embedded commas and line breaks, CRLF, a BOM and blank lines', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","he said ""hola""","multi\nline"\r\n\r\n1,,3\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'he said "hola"', 'multi\nline'] },
      { line: 5, cells: ['1', '', '3'] },
    ]);
  });

  it('reports an unclosed quote with its line', () => {
    const error = (text: string) => {
      try {
        parseCsv(text);
      } catch (err) {
        if (err instanceof CsvSyntaxError) return `line ${err.line}: ${err.message}`;
        throw err;
      }
      return 'parsed';
    };
    expect(error('a\n"open\n')).toBe('line 2: a quoted field is not closed');
    // Where the field opens, not where the file ends, past blank lines and the field's own lines.
    expect(error('a\r\n\r\n\r\n"open\r\nmore\r\n')).toBe('line 4: a quoted field is not closed');
    expect(error('a,b\nx,y"z\n')).toBe('line 2: a quote inside an unquoted field; quote the whole field');
    expect(error('a,b\nx,"y"z\n')).toBe('line 2: a closing quote must be followed by a comma or the end of the line');
  });

  it('counts lines right when quoted fields hold CRLF line breaks and blank lines', () => {
    expect(parseCsv('"a"\r\n\r\n"b\r\nc"\r\nd\r\n')).toEqual([
      { line: 1, cells: ['a'] },
      { line: 3, cells: ['b\nc'] },
      { line: 5, cells: ['d'] },
    ]);
    expect(parseCsv('a,b\r1,2\r')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
    ]);
  });
});

describe('import files', () => {
  const dir = () => mkdtemp(path.join(os.tmpdir(), 'chattigo-import-'));

  it('builds one batch from CSV and JSON files, remembering where each row came from', async () => {
    const d = await dir();
    await writeFile(path.join(d, 'campaigns.csv'), 'id,nombre\nventas,Ventas\nsoporte,"Soporte, nivel 1"\n');
    await writeFile(
      path.join(d, 'agents.csv'),
      'usuario,nombre,correo,rol,activo,campañas\njperez,José Pérez,jose@example.com,agent,sí,ventas;soporte\nmgomez,María Gómez,,supervisor,no,\n',
    );
    await writeFile(path.join(d, 'more.json'), JSON.stringify({ accounts: [{ username: 'ana', displayName: 'Ana' }] }));
    const { batch, origins } = await readImportFiles([
      path.join(d, 'campaigns.csv'),
      path.join(d, 'agents.csv'),
      path.join(d, 'more.json'),
    ]);
    expect(batch.campaigns).toEqual([
      { id: 'ventas', name: 'Ventas' },
      { id: 'soporte', name: 'Soporte, nivel 1' },
    ]);
    expect(batch.accounts).toEqual([
      { username: 'jperez', displayName: 'José Pérez', email: 'jose@example.com', role: 'agent', active: true, campaigns: ['ventas', 'soporte'] },
      { username: 'mgomez', displayName: 'María Gómez', role: 'supervisor', active: false },
      { username: 'ana', displayName: 'Ana' },
    ]);
    expect(locate({ path: 'accounts.1.email', message: 'must be an email address' }, origins)).toEqual({
      path: 'agents.csv line 3, email',
      message: 'must be an email address',
    });
    expect(locate({ path: 'accounts.2', message: 'x' }, origins).path).toBe('more.json accounts[0]');
  });

  it('reports unknown columns, short rows and bad JSON with file and line, before anything is sent', async () => {
    const d = await dir();
    await writeFile(path.join(d, 'a.csv'), 'username,nombre,color\njperez,José,azul\nshort\n');
    await writeFile(path.join(d, 'b.json'), '{ not json');
    const error = await readImportFiles([path.join(d, 'a.csv'), path.join(d, 'b.json')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as ImportFileError).problems.map((p) => p.path)).toEqual(['a.csv line 1', 'a.csv line 3', 'b.json']);
  });

  it('names the file and line of a CSV that does not parse', async () => {
    const d = await dir();
    await writeFile(path.join(d, 'agents.csv'), 'username,nombre\njperez,"José\nmgomez,María\n');
    const error = await readImportFiles([path.join(d, 'agents.csv')]).catch((e: unknown) => e);
    expect((error as ImportFileError).problems).toEqual([{ path: 'agents.csv line 2', message: 'a quoted field is not closed' }]);
  });
});

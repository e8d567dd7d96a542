/**
 * Prints docker-compose.yml as scripts/lib/compose-file.ts generates it; `--write` updates the
 * committed file, `--check` fails when it differs.
 *   node scripts/compose.ts [--write | --check]
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@chattigo/synapse';
import { renderComposeFile } from './lib/compose-file.ts';

const { values } = parseArgs({ options: { write: { type: 'boolean', default: false }, check: { type: 'boolean', default: false } } });
const file = path.join(repoRoot, 'docker-compose.yml');
const generated = await renderComposeFile();
if (values.write) {
  await writeFile(file, generated);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
} else if (values.check) {
  if ((await readFile(file, 'utf8')) !== generated) {
    process.stderr.write('docker-compose.yml is out of date: run node scripts/compose.ts --write\n');
    process.exitCode = 1;
  }
} else {
  process.stdout.write(generated);
}

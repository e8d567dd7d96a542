import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import startSynapse from '../../appservice/test/helpers/global-setup.ts';
import { chromiumPath } from './browser.ts';

const clientDir = path.resolve(import.meta.dirname, '..');

/**
 * The end-to-end tests' stack: the built client (built here when missing), Debian's Chromium,
 * and the integration tests' real Synapse and PostgreSQL (appservice/test/helpers/global-setup.ts).
 * Each test file starts its own appservice, serving the built client, on a fresh database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(chromiumPath())) {
    throw new Error(
      `Chromium is not at ${chromiumPath()}. Install Debian's package (apt-get install chromium) or set CHATTIGO_CHROMIUM to its path.`,
    );
  }
  if (!existsSync(path.join(clientDir, 'dist', 'index.html'))) {
    execFileSync('npm', ['run', '--silent', 'build', '--workspace', 'client'], { cwd: path.resolve(clientDir, '..'), stdio: 'inherit' });
  }
  return startSynapse(project);
}

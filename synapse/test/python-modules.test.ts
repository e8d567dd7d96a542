import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultVenv, modulesDir } from '../src/process.ts';

const python = path.join(process.env['SYNAPSE_VENV'] ?? defaultVenv, 'bin', 'python');

/**
 * The Python modules' own unit tests (synapse/python/tests, a fake module API), run with the
 * project's Synapse virtualenv, which `./dev test` installs before the tests.
 */
describe('Synapse modules (Python unit tests)', () => {
  it.skipIf(!existsSync(python))('pass with the pinned Synapse', () => {
    const result = spawnSync(python, ['-m', 'unittest', 'discover', '-s', 'tests'], {
      cwd: modulesDir,
      env: { ...process.env, PYTHONPATH: modulesDir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\nOK\n?$/);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '@chattigo/synapse';
import { waitUntil } from './time.ts';

/**
 * `./dev up` as an operator runs it (`node scripts/up.ts`: SQLite Synapse + embedded PGlite
 * appservice), in a temporary folder (CHATTIGO_LOCAL_DIR) with a config on free ports
 * (CHATTIGO_CONFIG), without building the client. `stop()` is Ctrl-C (SIGINT).
 */
export interface DevUp {
  stop(): Promise<void>;
}

export async function startDevUp(localDir: string, configFile: string, readyTimeoutMs = 180_000): Promise<DevUp> {
  const logFile = path.join(localDir, `up-${Date.now()}.log`);
  const out = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'up.ts')], {
    cwd: repoRoot,
    stdio: ['ignore', out, out],
    env: { ...process.env, CHATTIGO_CONFIG: configFile, CHATTIGO_LOCAL_DIR: localDir, CHATTIGO_SKIP_CLIENT_BUILD: '1' },
  });
  closeSync(out);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  // SIGINT, not SIGKILL: ./dev up then stops its Synapse too instead of leaving it behind.
  const killOnExit = () => child.kill('SIGINT');
  process.on('exit', killOnExit);
  const stop = async () => {
    if (!exited) child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exit;
    clearTimeout(timer);
    process.off('exit', killOnExit);
  };
  // Started: ./dev up prints its banner ("Press Ctrl-C to stop") once the demo data is in.
  const started = await waitUntil(async () => exited || (await readFile(logFile, 'utf8')).includes('Press Ctrl-C to stop'), readyTimeoutMs, 300);
  if (!started || exited) {
    await stop();
    throw new Error(`./dev up did not start (see ${logFile}):\n${(await readFile(logFile, 'utf8')).split('\n').slice(-15).join('\n')}`);
  }
  return { stop };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { repoRoot } from '@chattigo/synapse';
import { sleep } from './time.ts';

const cli = path.join(repoRoot, 'appservice', 'src', 'cli.ts');

/** The appservice as its own process (`cli.ts serve`), so a test can SIGKILL it and start it again. */
export interface AppserviceProcess {
  url: string;
  logFile: string;
  /** Starts it and resolves when `/health/live` answers. */
  start(): Promise<void>;
  /** Sends `signal` and waits for the exit (SIGKILL after 15 s). */
  kill(signal: NodeJS.Signals): Promise<void>;
  running(): boolean;
}

/** Writes `config` (the YAML the operator would write) to `configFile` and returns the process. */
export async function appserviceProcess(config: Record<string, unknown>, configFile: string, port: number): Promise<AppserviceProcess> {
  await writeFile(configFile, stringify(config), { mode: 0o600 });
  const logFile = path.join(path.dirname(configFile), 'appservice.log');
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exit: Promise<void> = Promise.resolve();
  let alive = false;

  const kill = async (signal: NodeJS.Signals) => {
    if (!child || !alive) return;
    const current = child;
    current.kill(signal);
    const timer = setTimeout(() => current.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  };
  const killOnExit = () => child?.kill('SIGKILL');
  process.on('exit', killOnExit);

  return {
    url,
    logFile,
    running: () => alive,
    kill,
    async start() {
      if (alive) throw new Error('the appservice is already running');
      const out = openSync(logFile, 'a');
      child = spawn(process.execPath, [cli, 'serve', '--config', configFile], { cwd: repoRoot, stdio: ['ignore', out, out] });
      closeSync(out);
      alive = true;
      const current = child;
      exit = new Promise((resolve) =>
        current.on('exit', () => {
          alive = false;
          resolve();
        }),
      );
      for (let i = 0; i < 300; i++) {
        if (!alive) throw new Error(`the appservice exited during start-up; see ${logFile}`);
        const live = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(1000) }).then(
          (r) => r.ok,
          () => false,
        );
        if (live) return;
        await sleep(100);
      }
      await kill('SIGKILL');
      throw new Error(`the appservice did not answer on ${url} in 30 s; see ${logFile}`);
    },
  };
}

import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface ChildOptions {
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr go here. */
  logFile: string;
  /** Resolves true once the process serves; polled every 200 ms. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

export interface RunningChild {
  name: string;
  pid: number;
  logFile: string;
  /** SIGTERM, then SIGKILL after 15 s; resolves when it has exited. */
  stop(): Promise<void>;
  /** Sends a signal without waiting (fault tests). */
  kill(signal: NodeJS.Signals): void;
  exited(): boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function tail(file: string, lines = 20): Promise<string> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').slice(-lines).join('\n');
}

/**
 * Starts a long-running local process of the stack (Redis, nginx, a Synapse worker) and resolves
 * when `ready` says it serves. It is killed when this process exits; a process that exits during
 * start-up fails with the end of its log.
 */
export async function startChild(options: ChildOptions): Promise<RunningChild> {
  const out = openSync(options.logFile, 'a');
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', out, out] });
  closeSync(out);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', () => {
      exited = true;
      process.off('exit', killOnExit);
      resolve();
    });
    child.on('error', () => {
      exited = true;
      resolve();
    });
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (exited) throw new Error(`${options.name} exited during start-up; end of ${options.logFile}:\n${await tail(options.logFile)}`);
    if (await options.ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not become ready in time; see ${options.logFile}`);
    }
    await sleep(200);
  }
  return {
    name: options.name,
    pid: child.pid ?? -1,
    logFile: options.logFile,
    exited: () => exited,
    kill: (signal) => void child.kill(signal),
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Whether an HTTP GET of `url` answers 2xx within a second. */
export async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    (r) => r.ok,
    () => false,
  );
}

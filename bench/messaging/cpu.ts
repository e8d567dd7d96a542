import { readdir, readFile, readlink } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux x86-64). */
const TICKS = 100;

export interface ProcessGroup {
  name: string;
  pids: number[];
}

/** CPU seconds (user + system) a process has used so far, or 0 when it is gone. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11] ?? 0);
  const stime = Number(fields[12] ?? 0);
  return (utime + stime) / TICKS;
}

export async function groupCpuSeconds(group: ProcessGroup): Promise<number> {
  let total = 0;
  for (const pid of group.pids) total += await cpuSeconds(pid);
  return total;
}

async function pids(): Promise<number[]> {
  return (await readdir('/proc')).filter((d) => /^\d+$/.test(d)).map(Number);
}

/** Processes whose command line contains every one of `needles`. */
export async function processesMatching(...needles: string[]): Promise<number[]> {
  const found: number[] = [];
  for (const pid of await pids()) {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\u0000', ' ');
    if (needles.every((n) => cmdline.includes(n)) && pid !== process.pid) found.push(pid);
  }
  return found;
}

/** The process listening on a loopback TCP port (through /proc/net/tcp and each process's fds). */
export async function processListeningOn(port: number): Promise<number | undefined> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (!local || cols[3] !== '0A') continue; // 0A = LISTEN
      if (parseInt(local.split(':')[1] ?? '', 16) === port && cols[9]) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const pid of await pids()) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return pid;
    }
  }
  return undefined;
}

/**
 * The config file of the Synapse answering at `url` (its `-c` argument), which its workers share,
 * so that other Synapses on the machine (tests) are not counted. Undefined when a proxy answers.
 */
export async function synapseConfigOf(url: string): Promise<string | undefined> {
  const pid = await processListeningOn(Number(new URL(url).port || 80));
  if (pid === undefined) return undefined;
  const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\u0000');
  if (!args.some((a) => a.startsWith('synapse.app.'))) return undefined;
  const config = args[args.indexOf('-c') + 1];
  return config && args.includes('-c') ? config : undefined;
}

/** The processes and their children (nginx's workers do the work its master only supervises). */
export async function withChildren(parents: readonly number[]): Promise<number[]> {
  const all = new Set(parents);
  for (const pid of parents) {
    const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
    for (const child of children.trim().split(/\s+/).filter(Boolean)) all.add(Number(child));
  }
  return [...all];
}

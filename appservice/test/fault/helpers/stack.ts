import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startSynapse, type RunningSynapse } from '@chattigo/synapse';
import { parseConfig } from '../../../src/config/load.ts';
import { loadSecrets, type Secrets } from '../../../src/config/secrets.ts';
import { hashPassword } from '../../../src/features/accounts/passwords.ts';
import { loginClient } from '../../helpers/matrix-clients.ts';
import { freePort } from '../../helpers/ports.ts';
import { assertPostgresReachable, createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';
import { synapseOptions as wireSynapse } from '../../helpers/synapse-wiring.ts';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.ts';
import { AgentApi } from './api.ts';
import { appserviceProcess, type AppserviceProcess } from './appservice-process.ts';
import type { Agent } from './matrix.ts';
import { waitUntil } from './time.ts';

export const FAULT_CODE = 'FAULT_OK';
/** The application_name of the tests' own connections, which pg_terminate_backend spares. */
const CHECKER = 'chattigo-fault-checker';
const PASSWORD = 'clave de prueba de fallas';

/** A Synapse that can be killed and started again on the same data folder and port. */
export interface RestartableSynapse {
  url: string;
  kill(signal: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

/**
 * One file's whole system as real processes: Synapse (SQLite, its own folder), the appservice
 * (`cli.ts serve`) on its own PostgreSQL database reached through a TCP proxy, a campaign with
 * a closing code, and agents logged in as stock Matrix clients.
 */
export interface FaultStack {
  workDir: string;
  serverName: string;
  homeserverUrl: string;
  botUserId: string;
  secrets: Secrets;
  synapse: RestartableSynapse;
  appservice: AppserviceProcess;
  proxy: TcpProxy;
  database: TestDatabase;
  /** Straight to PostgreSQL (not through the proxy), for the checks and pg_terminate_backend. */
  pg: pg.Pool;
  agents: Agent[];
  api: Map<string, AgentApi>;
  stop(): Promise<void>;
}

export async function startFaultStack(name: string, agentCount: number): Promise<FaultStack> {
  await assertPostgresReachable();
  const workDir = await mkdtemp(path.join(os.tmpdir(), `chattigo-fault-${name}-`));
  const [synapsePort, appservicePort] = [await freePort(), await freePort()];
  const serverName = 'fault.test';
  const homeserverUrl = `http://127.0.0.1:${synapsePort}`;
  const appserviceUrl = `http://127.0.0.1:${appservicePort}`;
  const secretsDir = path.join(workDir, 'secrets');
  const secrets = await loadSecrets(secretsDir, { generate: true });
  const database = await createTestDatabase('chattigo_fault');
  const proxy = await startTcpProxy([{ host: '127.0.0.1', port: Number(new URL(database.url).port || 5432) }]);
  const throughProxy = new URL(database.url);
  throughProxy.hostname = '127.0.0.1';
  throughProxy.port = String(proxy.port);

  const raw = {
    server: { host: '127.0.0.1', port: appservicePort, publicUrl: appserviceUrl },
    matrix: { homeserverUrl, serverName, appserviceUrl },
    database: { url: throughProxy.toString() },
    secrets: { dir: secretsDir },
    client: { distDir: path.join(workDir, 'no-client-build') },
    log: { level: process.env['CHATTIGO_FAULT_LOG'] ?? 'info' },
    mail: { outboxDir: path.join(workDir, 'mail') },
  };
  const config = parseConfig(raw, workDir);
  // Agents log in again after every fault, and send in bursts: generous login and message limits.
  const synapseOptions = await wireSynapse({
    workDir,
    config,
    secrets,
    port: synapsePort,
    accountLogins: { per_second: 50, burst_count: 1000 },
    overrides: { rc_message: { per_second: 100, burst_count: 500 } },
  });
  let running: RunningSynapse = await startSynapse(synapseOptions);
  const synapse: RestartableSynapse = {
    url: homeserverUrl,
    kill: (signal) => running.kill(signal),
    async start() {
      running = await startSynapse(synapseOptions);
    },
  };
  const appservice = await appserviceProcess(raw, path.join(workDir, 'config.yaml'), appservicePort);
  await appservice.start();
  const pool = new pg.Pool({ connectionString: database.url, max: 2, application_name: CHECKER });
  pool.on('error', () => undefined);
  const stack: FaultStack = {
    workDir,
    serverName,
    homeserverUrl,
    botUserId: `@${config.matrix.botLocalpart}:${serverName}`,
    secrets,
    synapse,
    appservice,
    proxy,
    database,
    pg: pool,
    agents: [],
    api: new Map(),
    async stop() {
      await appservice.kill('SIGTERM');
      await running.stop();
      await proxy.close();
      await pool.end().catch(() => undefined);
      await database.drop().catch(() => undefined);
      if (!process.env['CHATTIGO_KEEP_TEST_DIR']) await rm(workDir, { recursive: true, force: true });
    },
  };
  try {
    const { agents, api } = await provisionAgents({ appserviceUrl: appservice.url, homeserverUrl, secrets }, name, agentCount);
    stack.agents.push(...agents);
    for (const [username, agentApi] of api) stack.api.set(username, agentApi);
  } catch (err) {
    await stack.stop();
    throw new Error(`${(err as Error).message}; see ${appservice.logFile}`, { cause: err });
  }
  return stack;
}

/** Where the directory is loaded and agents log in: an appservice and its homeserver. */
export interface AgentsTarget {
  appserviceUrl: string;
  homeserverUrl: string;
  secrets: Pick<Secrets, 'provisioning_token'>;
}

/**
 * Accounts with a password and a campaign with a closing code, through the provisioning API, once
 * the appservice is ready; then logs everyone in (Matrix, and an API session).
 */
export async function provisionAgents(target: AgentsTarget, name: string, agentCount: number): Promise<{ agents: Agent[]; api: Map<string, AgentApi> }> {
  const ready = await waitUntil(
    async () => (await fetch(`${target.appserviceUrl}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok,
    60_000,
  );
  if (!ready) throw new Error(`the appservice at ${target.appserviceUrl} never became ready`);
  const campaign = `fault-${name}`;
  const usernames = Array.from({ length: agentCount }, (_, i) => `agente${i + 1}`);
  const passwordHash = await hashPassword(PASSWORD);
  const response = await fetch(`${target.appserviceUrl}/api/v1/provisioning/directory`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${target.secrets.provisioning_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      campaigns: [{ id: campaign, name: `Fallas ${name}` }],
      accounts: usernames.map((username, i) => ({ username, displayName: `Agente ${i + 1}`, campaigns: [campaign], passwordHash })),
      typifications: [{ campaign, code: FAULT_CODE, label: 'Cerrado en la prueba de fallas' }],
    }),
    signal: AbortSignal.timeout(120_000),
  });
  if (!response.ok) throw new Error(`directory import failed: ${response.status} ${await response.text()}`);
  const agents: Agent[] = [];
  const api = new Map<string, AgentApi>();
  for (const username of usernames) {
    const client = await loginClient(target.homeserverUrl, username, PASSWORD);
    const agent: Agent = { username, userId: client.getUserId() ?? '', token: client.getAccessToken() ?? '' };
    const agentApi = new AgentApi(target.appserviceUrl, agent);
    await agentApi.login();
    agents.push(agent);
    api.set(username, agentApi);
  }
  return { agents, api };
}

/**
 * Ends the appservice's PostgreSQL backends (never the tests' own); with `busyOnly`, only those
 * running a statement or inside a transaction — a connection the appservice has checked out.
 */
export async function terminateBackends(stack: FaultStack, busyOnly = false): Promise<number> {
  const rows = await stack.pg.query<{ ended: boolean }>(
    `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
      WHERE datname = current_database() AND application_name <> $1 AND backend_type = 'client backend'
        ${busyOnly ? "AND state IN ('active', 'idle in transaction')" : ''}`,
    [CHECKER],
  );
  return rows.rows.filter((r) => r.ended).length;
}

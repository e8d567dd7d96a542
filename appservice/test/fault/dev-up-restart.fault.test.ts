import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { stringify } from 'yaml';
import { loadSecrets } from '../../src/config/secrets.ts';
import { openEmbedded } from '../../src/db/embedded.ts';
import { loginClient } from '../helpers/matrix-clients.ts';
import { freePort } from '../helpers/ports.ts';
import { AgentApi } from './helpers/api.ts';
import { judge, observeMatrix } from './helpers/checks.ts';
import { startDevUp, type DevUp } from './helpers/dev-up.ts';
import { sendText, type Agent } from './helpers/matrix.ts';
import { databaseSide, expectClean, runScenario, settle } from './helpers/scenario.ts';
import { envNumber, sleep } from './helpers/time.ts';
import { sendRefusedFile, uploadImages } from './helpers/traffic.ts';

/**
 * The whole local stack as `./dev up` runs it, stopped with Ctrl-C and started again. Synapse on
 * SQLite then numbers its appservice transactions from 1 again: the bot must still answer.
 * The embedded database can only be read once the stack is stopped, so the journal and the chat
 * rows are counted after a last stop.
 */
describe('./dev up restart', () => {
  let dir = '';
  let up: DevUp | undefined;
  afterAll(async () => {
    await up?.stop();
    if (dir && !process.env['CHATTIGO_KEEP_TEST_DIR']) await rm(dir, { recursive: true, force: true });
  });

  it('Ctrl-C and ./dev up again: the bot answers at once, nothing lost or doubled', async () => {
    const counts = await runScenario('./dev up restart (Ctrl-C, up again)', async (scenario) => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'chattigo-fault-devup-'));
      const [synapsePort, appservicePort] = [await freePort(), await freePort()];
      const serverName = 'chattigo.localhost';
      const url = `http://127.0.0.1:${appservicePort}`;
      const hs = `http://127.0.0.1:${synapsePort}`;
      const configFile = path.join(dir, 'config.yaml');
      await writeFile(
        configFile,
        stringify({
          server: { host: '127.0.0.1', port: appservicePort, publicUrl: url },
          matrix: { homeserverUrl: hs, serverName, appserviceUrl: url },
          database: { embeddedDir: path.join(dir, 'pglite') },
          secrets: { dir: path.join(dir, 'secrets') },
          client: { distDir: path.join(dir, 'no-client-build') },
          mail: { outboxDir: path.join(dir, 'mail') },
          log: { level: 'info' },
        }),
      );
      up = await startDevUp(dir, configFile);
      const secrets = await loadSecrets(path.join(dir, 'secrets'));
      const botUserId = `@chattigo:${serverName}`;
      const agents: Agent[] = [];
      for (const username of ['jperez', 'jmartinez']) {
        const client = await loginClient(hs, username, 'chattigo-demo');
        agents.push({ username, userId: client.getUserId() ?? '', token: client.getAccessToken() ?? '' });
      }
      const [jose, josefina] = agents as [Agent, Agent];
      const images = await uploadImages(hs, agents);
      const api = new AgentApi(url, jose);
      await api.login();
      await scenario.snapshot(hs, secrets.as_token);
      const opened = await api.open(josefina.username);
      if (!opened) throw new Error('could not open a chat');
      const roomId = opened.roomId;
      scenario.watch(roomId, jose);

      const traffic = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const agent = i % 2 === 0 ? jose : josefina;
          await sendText(hs, agent, roomId, '!tipificaciones');
          await sendRefusedFile(hs, agent, roomId, images.get(agent.userId) ?? '');
          await sleep(300);
        }
      };
      const matrixLost = async (faultEnd: number) =>
        judge(await observeMatrix(hs, secrets.as_token, scenario.watched()), { chats: [], journalPending: 0 }, scenario.watched(), botUserId, faultEnd);
      const rounds = envNumber('FAULT_DEVUP_COMMANDS', 4);
      await traffic(rounds);
      // Before the restart the bot answers (otherwise this scenario proves nothing about the restart).
      const before = await settle(() => matrixLost(0), (c) => c.lost === 0, 20_000);
      if (before.lost > 0) scenario.notes.push(`${before.lost} already lost before the restart`);

      await up.stop();
      up = await startDevUp(dir, configFile);
      const faultEnd = Date.now();
      await traffic(rounds);
      scenario.closeRequested.add(roomId);
      await sendText(hs, josefina, roomId, '!cerrar VENTA_CERRADA');
      await settle(() => matrixLost(faultEnd), (c) => c.lost === 0, envNumber('FAULT_SETTLE_MS', 45_000));

      const matrix = await observeMatrix(hs, secrets.as_token, scenario.watched());
      await scenario.noteDuplicateTransactions(url);
      await up.stop();
      up = undefined;
      const db = await openEmbedded(path.join(dir, 'pglite'));
      try {
        const side = await databaseSide(<T extends object>(sql: string) => db.query<T>(sql));
        return scenario.record(judge(matrix, side, scenario.watched(), botUserId, faultEnd));
      } finally {
        await db.close();
      }
    });
    expectClean(counts);
  });
});

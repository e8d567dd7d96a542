import { describe, expect, it } from 'vitest';
import { PRODUCTION_WORKERS, renderNginxConfig, ROUTES, sharedWorkerConfig, workerConfig } from '../src/topology.ts';

const ports = { mainReplication: 9093, mainClient: 8080, workers: { persister1: 9101, sync1: 9102, client1: 9103 } };

describe('production topology', () => {
  it('makes the persister the events writer, in the instance map with main, over Redis', () => {
    const shared = sharedWorkerConfig({ ports, redis: { host: '127.0.0.1', port: 6390 }, host: '127.0.0.1', workers: PRODUCTION_WORKERS });
    expect(shared.stream_writers).toEqual({ events: ['persister1'] });
    expect(shared.instance_map).toEqual({ main: { host: '127.0.0.1', port: 9093 }, persister1: { host: '127.0.0.1', port: 9101 } });
    expect(shared.redis).toEqual({ enabled: true, host: '127.0.0.1', port: 6390 });
    expect(shared.listeners.map((l) => l.resources[0]?.names)).toEqual([['client'], ['replication']]);
  });

  it('gives each worker one listener: client for the routed ones, replication for the persister', () => {
    const [persister, sync] = PRODUCTION_WORKERS;
    if (!persister || !sync) throw new Error('workers missing');
    expect(workerConfig(persister, { port: 9101, host: '127.0.0.1', logConfig: '/l' }).worker_listeners[0]?.resources).toEqual([{ names: ['replication'] }]);
    expect(workerConfig(sync, { port: 9102, host: '127.0.0.1', logConfig: '/l' })).toMatchObject({
      worker_app: 'synapse.app.generic_worker',
      worker_name: 'sync1',
      worker_listeners: [{ port: 9102, resources: [{ names: ['client'] }] }],
    });
  });

  it('routes /sync to the sync workers, client requests to the client workers, the rest to main', () => {
    const conf = renderNginxConfig({
      listen: { host: '127.0.0.1', port: 8008 },
      main: { host: '127.0.0.1', port: 8080 },
      workers: PRODUCTION_WORKERS.filter((w) => w.serves).map((w) => ({ ...w, address: { host: '127.0.0.1', port: ports.workers[w.name as keyof typeof ports.workers] } })),
      prefix: '/tmp/x',
      maxBodySize: '26m',
    });
    expect(conf).toContain('upstream synapse_sync {\n    server 127.0.0.1:9102;');
    expect(conf).toContain('upstream synapse_client {\n    server 127.0.0.1:9103;');
    expect(conf).toContain(`location ~ ${ROUTES.sync[0]} {\n      proxy_pass http://synapse_sync;`);
    expect(conf).toContain('location / {\n      proxy_pass http://synapse_main;');
    expect(conf).not.toContain('user root');
    // A route must be a valid regular expression, and /sync must not fall to the client group.
    for (const pattern of [...ROUTES.sync, ...ROUTES.client]) expect(() => new RegExp(pattern)).not.toThrow();
    expect(ROUTES.client.some((p) => new RegExp(p).test('/_matrix/client/v3/sync'))).toBe(false);
    expect(ROUTES.client.some((p) => new RegExp(p).test('/_matrix/client/v3/rooms/!a:x/send/m.room.message/t1'))).toBe(true);
    expect([...ROUTES.sync, ...ROUTES.client].some((p) => new RegExp(p).test('/_matrix/client/v3/rooms/!a:x/typing/@u:x'))).toBe(false);
  });
});

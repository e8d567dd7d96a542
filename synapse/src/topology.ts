/**
 * The production topology of Synapse, as data: a main process, generic workers for `/sync` and for
 * client requests, an event persister, Redis for replication and a reverse proxy that routes
 * endpoints to them (per Synapse's worker documentation). The same description renders the
 * processes' configs here and the services of docker-compose's `production` profile.
 */

/** A Synapse worker process (synapse.app.generic_worker). */
export interface WorkerSpec {
  name: string;
  /** What the proxy sends it: a route group of ROUTES, or nothing (an event persister). */
  serves: RouteGroup | null;
  /** Streams it writes (`events` makes it an event persister). */
  writes: readonly StreamName[];
}

export type RouteGroup = 'sync' | 'client';
export type StreamName = 'events' | 'typing' | 'to_device' | 'account_data' | 'receipts' | 'presence';

/**
 * Endpoints a generic worker can serve, by group (Synapse's workers documentation, "Available
 * worker applications": synchronisation requests, client API requests, event sending). Anything
 * else — typing, receipts, presence, media, the Admin API, the appservice ping — goes to main.
 */
export const ROUTES: Record<RouteGroup, readonly string[]> = {
  sync: [
    '^/_matrix/client/(r0|v3)/sync$',
    '^/_matrix/client/(api/v1|r0|v3)/events$',
    '^/_matrix/client/(api/v1|r0|v3)/initialSync$',
    '^/_matrix/client/(api/v1|r0|v3)/rooms/[^/]+/initialSync$',
  ],
  client: [
    '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/(messages|context|members|joined_members|event|relations|threads|timestamp_to_event)',
    '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/[^/]+/state$',
    '^/_matrix/client/v1/rooms/.*/hierarchy$',
    '^/_matrix/client/(r0|v3|unstable)/joined_rooms$',
    '^/_matrix/client/(r0|v3|unstable)/account/whoami$',
    '^/_matrix/client/versions$',
    '^/_matrix/client/(r0|v3|unstable)/capabilities$',
    '^/_matrix/client/(api/v1|r0|v3|unstable)/login$',
    '^/_matrix/client/(api/v1|r0|v3|unstable)/profile/',
    '^/_matrix/client/(api/v1|r0|v3|unstable)/createRoom$',
    '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/redact',
    '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/send',
    '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/state/',
    '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/(join|invite|leave|ban|unban|kick)$',
    '^/_matrix/client/(api/v1|r0|v3|unstable)/join/',
  ],
};

/** The default production topology: one of each worker kind. */
export const PRODUCTION_WORKERS: readonly WorkerSpec[] = [
  { name: 'persister1', serves: null, writes: ['events'] },
  { name: 'sync1', serves: 'sync', writes: [] },
  { name: 'client1', serves: 'client', writes: [] },
];

export interface Address {
  host: string;
  port: number;
}

export interface TopologyPorts {
  /** Main's replication listener (workers call it over HTTP). */
  mainReplication: number;
  /** Main's client listener (the proxy's default upstream). */
  mainClient: number;
  /** Per worker: its HTTP listener (client API or replication). */
  workers: Record<string, number>;
}

/**
 * The keys the shared homeserver.yaml gains in the topology (merged over the single-process config).
 * Every process binds `host`; the others reach it at `addressOf(name)` (`main` or a worker's name),
 * `host` by default (local processes); in docker-compose, its service's name.
 */
export function sharedWorkerConfig(options: {
  ports: TopologyPorts;
  redis: Address;
  host: string;
  workers: readonly WorkerSpec[];
  addressOf?: (process: string) => string;
}) {
  const { ports, redis, host, workers } = options;
  const addressOf = options.addressOf ?? (() => host);
  const writersOf = (stream: StreamName) => workers.filter((w) => w.writes.includes(stream)).map((w) => w.name);
  const streamWriters = Object.fromEntries(
    (['events', 'typing', 'to_device', 'account_data', 'receipts', 'presence'] as const)
      .map((s) => [s, writersOf(s)] as const)
      .filter(([, names]) => names.length > 0),
  );
  return {
    listeners: [
      {
        port: ports.mainClient,
        bind_addresses: [host],
        type: 'http',
        tls: false,
        // Behind the project's reverse proxy, which sets X-Forwarded-For.
        x_forwarded: true,
        resources: [{ names: ['client'], compress: false }],
      },
      { port: ports.mainReplication, bind_addresses: [host], type: 'http', tls: false, resources: [{ names: ['replication'] }] },
    ],
    redis: { enabled: true, host: redis.host, port: redis.port },
    instance_map: {
      main: { host: addressOf('main'), port: ports.mainReplication },
      // Stream writers are called over HTTP: they must be in the map.
      ...Object.fromEntries(
        workers.filter((w) => w.writes.length > 0).map((w) => [w.name, { host: addressOf(w.name), port: ports.workers[w.name] }]),
      ),
    },
    stream_writers: streamWriters,
  };
}

/** One worker's own config file (given to it after the shared homeserver.yaml). */
export function workerConfig(worker: WorkerSpec, options: { port: number; host: string; logConfig: string }) {
  return {
    worker_app: 'synapse.app.generic_worker',
    worker_name: worker.name,
    worker_log_config: options.logConfig,
    worker_listeners: [
      {
        type: 'http',
        port: options.port,
        bind_addresses: [options.host],
        x_forwarded: true,
        resources: [{ names: worker.serves ? ['client'] : ['replication'] }],
      },
    ],
  };
}

/** nginx's config: the routes of each worker group to its upstream, everything else to main. */
export function renderNginxConfig(options: {
  listen: Address;
  main: Address;
  workers: readonly (WorkerSpec & { address: Address })[];
  /** Folder for nginx's pid file, logs and temporary files. */
  prefix: string;
  maxBodySize: string;
  /** nginx started as root hands its workers to `nobody` unless told otherwise. */
  asRoot?: boolean;
}): string {
  const groups = (['sync', 'client'] as const).filter((g) => options.workers.some((w) => w.serves === g));
  const upstream = (name: string, addresses: readonly Address[]) =>
    `  upstream ${name} {\n${addresses.map((a) => `    server ${a.host}:${a.port};`).join('\n')}\n    keepalive 32;\n  }`;
  const location = (pattern: string, target: string) =>
    `    location ~ ${pattern} {\n      proxy_pass http://${target};\n    }`;
  return `# Generated by Chattigo (synapse/src/topology.ts); edit the topology, not this file.
daemon off;
${options.asRoot ? 'user root;\n' : ''}worker_processes 1;
pid ${options.prefix}/nginx.pid;
error_log ${options.prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${options.prefix}/body;
  proxy_temp_path ${options.prefix}/proxy;
  fastcgi_temp_path ${options.prefix}/fastcgi;
  uwsgi_temp_path ${options.prefix}/uwsgi;
  scgi_temp_path ${options.prefix}/scgi;
  client_max_body_size ${options.maxBodySize};
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $host;
  proxy_set_header X-Forwarded-For $remote_addr;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_read_timeout 120s;
  proxy_buffering off;
${upstream('synapse_main', [options.main])}
${groups.map((g) => upstream(`synapse_${g}`, options.workers.filter((w) => w.serves === g).map((w) => w.address))).join('\n')}
  server {
    listen ${options.listen.host}:${options.listen.port};
${groups.flatMap((g) => ROUTES[g].map((p) => location(p, `synapse_${g}`))).join('\n')}
    location / {
      proxy_pass http://synapse_main;
    }
  }
}
`;
}

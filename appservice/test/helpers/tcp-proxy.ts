import net from 'node:net';

export interface Address {
  host: string;
  port: number;
}

/**
 * A TCP proxy on loopback: between the appservice and PostgreSQL, so a test can make the database
 * refuse new connections and cut the ones that are open without touching the server itself; or
 * in front of several appservice processes, where Synapse's registration points (each new
 * connection goes to the next target, and to the one after it when that one does not answer).
 */
export interface TcpProxy {
  port: number;
  /** While refusing, new connections are closed at once (as a database that is down). */
  refuse(on: boolean): void;
  /** Cuts every open connection (as a network failure or a database restart). */
  cutAll(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targets: readonly Address[], port = 0): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let refusing = false;
  let next = 0;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    client.pause();
    client.on('error', () => client.destroy());
    open.add(client);
    const connect = (attempt: number) => {
      const target = targets[next++ % targets.length];
      if (!target) return void client.destroy();
      const upstream = net.connect(target.port, target.host);
      let connected = false;
      const end = () => {
        client.destroy();
        upstream.destroy();
        open.delete(client);
        open.delete(upstream);
      };
      upstream.once('connect', () => {
        if (client.destroyed) return end();
        connected = true;
        open.add(upstream);
        client.on('error', end).on('close', end);
        upstream.on('close', end);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        if (connected) return end();
        upstream.destroy();
        if (attempt + 1 < targets.length && !client.destroyed) connect(attempt + 1);
        else end();
      });
    };
    connect(0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the proxy has no port');
  return {
    port: address.port,
    refuse(on) {
      refusing = on;
    },
    cutAll() {
      const n = [...open].length / 2;
      for (const socket of open) socket.destroy();
      open.clear();
      return n;
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

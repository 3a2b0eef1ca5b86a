import { once } from 'node:events';
import net from 'node:net';

export interface TcpProxyOptions {
  /** Slows what clients send to about this many bytes per second (a slow link to the provincial server). */
  bytesPerSecond?: number;
  /** Cuts each of the first `connections` connections after `afterBytes` bytes from the client (a flaky link). */
  cut?: { connections: number; afterBytes: number };
}

export interface TcpProxy {
  /** `http://127.0.0.1:PORT`: talk to the target through here. */
  url: string;
  connections(): number;
  /** Bytes the clients sent through the proxy, all connections together. */
  bytesFromClients(): number;
  /**
   * The target goes away, as a stopped server does: every open connection is cut and new
   * ones are refused (the port is closed) until `start`.
   */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A loopback TCP proxy in front of `target` (an http URL), for tests of slow and broken connections. */
export async function startTcpProxy(target: URL, options: TcpProxyOptions = {}): Promise<TcpProxy> {
  let connections = 0;
  let total = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections += 1;
    const upstream = net.connect(Number(target.port), target.hostname);
    const cut = options.cut !== undefined && connections <= options.cut.connections ? options.cut.afterBytes : Infinity;
    let forwarded = 0;
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      forwarded += chunk.length;
      total += chunk.length;
      upstream.write(chunk);
      if (forwarded >= cut) {
        client.destroy();
        upstream.destroy();
        return;
      }
      if (options.bytesPerSecond !== undefined) {
        client.pause();
        setTimeout(() => client.resume(), (chunk.length / options.bytesPerSecond) * 1000);
      }
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    bytesFromClients: () => total,
    stop: close,
    start: async () => {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    close,
  };
}

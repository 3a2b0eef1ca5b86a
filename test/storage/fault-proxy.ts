import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy saw. */
export interface SeenRequest {
  method: string;
  /** Path and query, e.g. `/bucket/key?partNumber=2&uploadId=...`. */
  url: string;
}

/**
 * What the proxy does with a request: forward it (`pass`), drop the connection (`reset`),
 * never answer (`hang`, until the proxy closes), answer itself (the request body is read
 * first, so the client always gets the answer), or forward it but cut the response body
 * after some bytes.
 */
export type ProxyDecision =
  | 'pass'
  | 'reset'
  | 'hang'
  | { status: number; body?: string }
  | { cutResponseAfterBytes: number };

export type ProxyRule = (request: SeenRequest, index: number) => ProxyDecision;

export interface FaultProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: SeenRequest[];
  setRule(rule: ProxyRule): void;
  close(): Promise<void>;
}

/** An S3 error body as S3 and MinIO send it. */
export function s3ErrorXml(code: string, message = code): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>proxy</RequestId></Error>`;
}

/**
 * An HTTP proxy on loopback in front of the S3 test server, to record requests and inject
 * faults. It passes the Host header through unchanged, so V4 signatures stay valid.
 */
export async function startFaultProxy(target: string, initialRule: ProxyRule = () => 'pass'): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: SeenRequest[] = [];
  let rule = initialRule;
  const server = http.createServer((req, res) => {
    const seen: SeenRequest = { method: req.method ?? 'GET', url: req.url ?? '/' };
    const index = requests.push(seen) - 1;
    const decision = rule(seen, index);
    if (decision === 'reset') {
      req.socket.destroy();
      return;
    }
    if (decision === 'hang') {
      req.resume();
      return;
    }
    if (typeof decision === 'object' && 'status' in decision) {
      req.resume();
      req.on('end', () => {
        res.writeHead(decision.status, { 'content-type': 'application/xml', 'x-amz-request-id': 'proxy' });
        res.end(decision.body ?? '');
      });
      return;
    }
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        if (typeof decision === 'object') {
          let sent = 0;
          upstreamResponse.on('data', (chunk: Buffer) => {
            const room = decision.cutResponseAfterBytes - sent;
            if (room <= 0) return;
            res.write(chunk.subarray(0, room));
            sent += Math.min(room, chunk.length);
            if (sent >= decision.cutResponseAfterBytes) {
              upstreamResponse.destroy();
              setTimeout(() => res.socket?.destroy(), 20);
            }
          });
          upstreamResponse.on('end', () => res.end());
        } else {
          upstreamResponse.pipe(res);
        }
      },
    );
    forward.on('error', () => res.socket?.destroy());
    req.pipe(forward);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setRule: (next) => {
      rule = next;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A loopback port where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

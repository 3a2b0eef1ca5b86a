import { Redis } from 'ioredis';
import { UpstreamError } from '../storage/index.ts';

/**
 * The queue's backing service as health checks and start-up see it: BullMQ on Redis
 * when `REDIS_URL` is set, otherwise the in-process runner, which needs no service.
 */
export interface QueueConnection {
  readonly adapter: 'bullmq' | 'in-process';
  describe(): string;
  /** Resolves when the queue backend answers; rejects with an UpstreamError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function openQueueConnection(redisUrl: string | undefined): QueueConnection {
  return redisUrl === undefined ? inProcessConnection() : redisConnection(redisUrl);
}

function inProcessConnection(): QueueConnection {
  return {
    adapter: 'in-process',
    describe: () => 'jobs run inside this process',
    ping: async () => {},
    close: async () => {},
  };
}

function redisConnection(redisUrl: string): QueueConnection {
  const url = new URL(redisUrl);
  const location = `redis ${url.hostname}:${url.port || '6379'}`;
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // ioredis rejects with a generic "Connection is closed"; the socket's own reason
  // (ECONNREFUSED, ENOTFOUND, NOAUTH…) arrives as an event, so keep it for the message.
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  return {
    adapter: 'bullmq',
    describe: () => location,
    async ping() {
      try {
        if (client.status === 'wait') await client.connect();
        await client.ping();
      } catch (error) {
        const reason = (lastError ?? (error as Error)).message;
        throw new UpstreamError(`Redis at ${url.hostname}:${url.port || '6379'} did not answer (${reason}): check that it is running and reachable`, {
          cause: error,
        });
      }
    },
    async close() {
      client.disconnect();
    },
  };
}

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { Redis } from 'ioredis';
import { ensureDebianPackages, hasCommand } from './system-packages.ts';

export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** Whether a Redis server answers PING at `url` (one quick try, no retries). */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Makes sure a Redis server answers on 127.0.0.1:6379: starts it, installing it first if needed. */
export async function ensureRedis(log: (line: string) => void): Promise<string> {
  if (await redisAnswers(TEST_REDIS_URL)) return TEST_REDIS_URL;
  if (!hasCommand('redis-server')) ensureDebianPackages(['redis-server'], log);
  log('starting redis-server on 127.0.0.1:6379');
  const dir = existsSync('/var/lib/redis') ? '/var/lib/redis' : os.tmpdir();
  execFileSync('redis-server', [
    '--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379',
    '--save', '', '--appendonly', 'no', '--dir', dir,
  ]);
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await redisAnswers(TEST_REDIS_URL)) return TEST_REDIS_URL;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('redis-server was started but does not answer on 127.0.0.1:6379');
}

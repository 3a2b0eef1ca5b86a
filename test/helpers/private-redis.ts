import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { redisAnswers } from '../../scripts/test-services/ensure-redis.ts';
import { freePort } from './running-app.ts';

export interface PrivateRedisOptions {
  /**
   * `true` (default): as production must run Redis for BullMQ, an append-only file fsynced on
   * every write, so a restart loses nothing. `false`: no persistence, Redis comes back empty.
   */
  persistent?: boolean;
}

/** A `redis-server` of one test, which it may stop and start without disturbing other tests. */
export interface PrivateRedis {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  /**
   * Stops the server and waits until it has: by default as systemd would (SIGTERM: Redis
   * writes out what it holds and exits); `SIGKILL` for a crash.
   */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port and folder, and waits until it answers. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

/**
 * Starts `redis-server` (installed by the test runner) on a free loopback port with its own
 * temporary folder, configured for BullMQ (`maxmemory-policy noeviction`).
 */
export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'private-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const persistence = options.persistent === false
    ? ['--appendonly', 'no', '--save', '']
    : ['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--daemonize', 'no', '--maxmemory-policy', 'noeviction', ...persistence];
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    const started = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [started.stdout, started.stderr]) stream?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
    child = started;
    const deadline = Date.now() + 10_000;
    while (!(await redisAnswers(url))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        started.kill('SIGKILL');
        throw new Error(`redis-server on port ${port} did not start: ${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill(signal);
    await exited;
  };

  await start();
  return {
    url,
    stop,
    start,
    close: async () => {
      await stop('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

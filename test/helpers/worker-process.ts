import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { spawnLoggedScript } from './server-process.ts';

export interface WorkerProcess {
  child: ChildProcess;
  /** Every log line so far, parsed from pino's JSON. */
  logs: Record<string, unknown>[];
  /** Resolves once the worker has joined the queue (its `worker running` line); rejects if it exits or times out first. */
  ready: Promise<void>;
  /** Sends a signal (SIGTERM by default) and resolves with the exit code, or the signal that ended the process. */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

/**
 * Spawns `scripts/worker.ts` (`npm run worker`) with `env` (plus PATH) and returns at once:
 * a caller that must watch the worker from its first job on need not wait for `ready`.
 */
export function spawnWorkerProcess(env: Record<string, string>, timeoutMs = 120_000): WorkerProcess {
  const { child, logs, closed } = spawnLoggedScript('scripts/worker.ts', env);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

  const ready = (async () => {
    const deadline = Date.now() + timeoutMs;
    while (!logs.some((entry) => entry.msg === 'worker running')) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker exited before it was running: ${JSON.stringify(logs)}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`worker did not start within ${timeoutMs} ms: ${JSON.stringify(logs)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  ready.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  return {
    child,
    logs,
    ready,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code, endedBy] = await exited;
      await closed;
      return code ?? endedBy;
    },
  };
}

/** Starts `scripts/worker.ts` and waits until it has joined the queue. */
export async function startWorkerProcess(env: Record<string, string>, timeoutMs = 120_000): Promise<WorkerProcess> {
  const worker = spawnWorkerProcess(env, timeoutMs);
  await worker.ready;
  return worker;
}

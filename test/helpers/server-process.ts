import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT` once the server is listening. */
  url: string;
  /** Every log line so far, parsed from pino's JSON. */
  logs: Record<string, unknown>[];
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ExitedProcess {
  code: number | null;
  logs: Record<string, unknown>[];
}

/** Spawns one of the product's scripts with `env` (plus PATH) and collects its log lines, parsed from pino's JSON. */
export function spawnLoggedScript(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push({ msg: line, unparsed: true });
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => logs.push({ stderr: chunk.toString() }));
  return { child, logs, closed: once(lines, 'close') };
}

const spawnStart = (env: Record<string, string>) => spawnLoggedScript('scripts/start.ts', { HOST: '127.0.0.1', PORT: '0', ...env });

/** Starts `scripts/start.ts` on an ephemeral loopback port and waits until it listens. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 120_000): Promise<ServerProcess> {
  const { child, logs, closed } = spawnStart(env);
  const exited = once(child, 'exit');
  const deadline = Date.now() + timeoutMs;
  while (!logs.some((entry) => entry.msg === 'listening')) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${JSON.stringify(logs)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start within ${timeoutMs} ms: ${JSON.stringify(logs)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const port = logs.find((entry) => entry.msg === 'listening')!.port as number;
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    logs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      const [code] = (await exited) as [number | null];
      await closed;
      return code;
    },
  };
}

/** Runs `scripts/start.ts` expecting it to fail at start; resolves with its exit code and logs. */
export async function runFailingStart(env: Record<string, string>, timeoutMs = 120_000): Promise<ExitedProcess> {
  const { child, logs, closed } = spawnStart(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  await closed;
  return { code, logs };
}

import { spawn } from 'node:child_process';
import { ConfigurationError, UpstreamError } from '../../storage/index.ts';

export type PostgresTool = 'pg_dump' | 'pg_restore';

/** Kept of a failing tool's error output for the message. */
const STDERR_LIMIT = 4000;

/**
 * Throws `ConfigurationError` saying what to install when `tool` is not on PATH. Run before
 * anything is written, so a missing tool never leaves half a backup or restore behind.
 */
export async function assertToolInstalled(tool: PostgresTool): Promise<void> {
  await run(tool, ['--version'], {});
}

/**
 * Runs `pg_dump` or `pg_restore` (no shell) against `databaseUrl`, or against no database
 * (`pg_restore --list`); resolves with what it printed. The password travels in PGPASSWORD,
 * never on the command line where `ps` shows it. Throws `UpstreamError` with the tool's own
 * error output when it fails.
 */
export async function runPostgresTool(tool: PostgresTool, args: readonly string[], databaseUrl?: string): Promise<string> {
  if (databaseUrl === undefined) return run(tool, args, {});
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return run(tool, [...args, '--no-password', `--dbname=${url.toString()}`], password === '' ? {} : { PGPASSWORD: password });
}

function run(tool: PostgresTool, args: readonly string[], extraEnv: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    // The tools read libpq's own variables (PGSSLMODE, PGPASSFILE, HOME for ~/.pgpass): pass the environment on.
    const child = spawn(tool, args, { env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_LIMIT);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new ConfigurationError(
              `${tool} is not installed (or not on PATH): install the PostgreSQL client tools of your server's major version or newer, e.g. \`apt-get install postgresql-client\` on Debian/Ubuntu`,
              { cause: error },
            )
          : new UpstreamError(`cannot run ${tool}: ${error.message}`, { cause: error, retryable: false }),
      );
    });
    child.once('close', (code) => {
      if (code === 0) resolve(stdout);
      else {
        reject(
          new UpstreamError(
            `${tool} failed (exit ${code}): ${stderr.trim() || 'no error output'}. Check DATABASE_URL and that the server is running; on "server version mismatch", install the client tools of the server's major version.`,
            { retryable: false, details: { tool, exitCode: code } },
          ),
        );
      }
    });
  });
}

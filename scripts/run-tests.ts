/**
 * `npm test`: makes sure the real services the tests use are there (Redis, PostgreSQL,
 * s3rver), runs the type check, the linter and every ava test, and ends with the line
 * `tests: N passed, N failed`. Arguments are passed to ava and skip the static checks:
 * `npm test -- test/storage`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ensurePostgres } from './test-services/ensure-postgres.ts';
import { ensureRedis } from './test-services/ensure-redis.ts';
import { startS3rver } from './test-services/start-s3rver.ts';
import { ensureDebianPackages } from './test-services/system-packages.ts';

interface Outcome {
  name: string;
  passed: number;
  failed: number;
}

const log = (line: string) => console.log(`[npm test] ${line}`);

async function exitCode(child: ChildProcess): Promise<number | null> {
  const [code] = (await once(child, 'close')) as [number | null];
  return code;
}

/** Runs a command, echoing its output; a non-zero exit is one failed check. */
async function runCheck(name: string, command: string, args: string[]): Promise<Outcome> {
  log(`${name}: ${command} ${args.join(' ')}`);
  const code = await exitCode(spawn(command, args, { stdio: 'inherit' }));
  log(`${name}: ${code === 0 ? 'ok' : `failed (exit ${code})`}`);
  return { name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 };
}

/** Runs ava with TAP output, echoing it and counting `ok` / `not ok` lines. */
async function runAva(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  const child = spawn('node_modules/.bin/ava', ['--tap', ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let passed = 0;
  let failed = 0;
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    console.log(line);
    if (/^ok \d+/.test(line)) {
      if (/#\s*(skip|todo)/i.test(line)) failed++;
      else passed++;
    } else if (/^not ok\b/.test(line)) failed++;
  });
  const code = await exitCode(child);
  if (code !== 0 && failed === 0) {
    log(`ava exited with code ${code} without a failed test line; counting it as a failure`);
    failed = 1;
  }
  return { name: 'ava', passed, failed };
}

async function main(): Promise<number> {
  const avaArgs = process.argv.slice(2);
  // pdftotext checks the searchable PDFs; DejaVu draws the generated Vietnamese test pages;
  // Debian's Chromium runs the browser tests (playwright-core never downloads a browser);
  // HTTP::OAI is the outside harvester of the OAI-PMH tests; the CJK fonts draw the Nôm glyph templates and test columns.
  ensureDebianPackages(
    ['poppler-utils', 'fonts-dejavu-core', 'chromium', 'libhttp-oai-perl', 'fonts-hanazono', 'fonts-babelstone-han', 'fonts-cns11643-sung'],
    log,
  );
  const redisUrl = await ensureRedis(log);
  const databaseUrl = await ensurePostgres(log);
  // A real MinIO can stand in for s3rver: set TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY, TEST_S3_SECRET_KEY.
  const externalS3 = process.env.TEST_S3_ENDPOINT;
  const s3 = externalS3 ? { endpoint: externalS3, stop: async () => {} } : await startS3rver();
  log(`services: redis ${redisUrl}, postgresql ${databaseUrl}, s3rver ${s3.endpoint}`);

  const outcomes: Outcome[] = [];
  try {
    if (avaArgs.length === 0) {
      outcomes.push(await runCheck('typecheck', 'node_modules/.bin/tsc', ['--noEmit']));
      outcomes.push(await runCheck('lint', 'node_modules/.bin/eslint', ['--max-warnings=0', '.']));
    }
    const env = {
      ...process.env,
      TEST_S3_ENDPOINT: s3.endpoint,
      TEST_DATABASE_URL: databaseUrl,
      TEST_REDIS_URL: redisUrl,
    };
    outcomes.push(await runAva(avaArgs, env));
  } finally {
    await s3.stop();
  }

  const passed = outcomes.reduce((sum, outcome) => sum + outcome.passed, 0);
  const failed = outcomes.reduce((sum, outcome) => sum + outcome.failed, 0);
  log(outcomes.map((outcome) => `${outcome.name} ${outcome.passed} passed/${outcome.failed} failed`).join(', '));
  console.log(`tests: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(`[npm test] could not run the tests: ${(error as Error).stack ?? String(error)}`);
  console.log('tests: 0 passed, 1 failed');
  return 1;
});

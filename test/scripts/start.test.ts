// Each test starts a server process (tsx + PGlite start-up is CPU-heavy): run them one at a time.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import pg from 'pg';
import type { HealthReport } from '../../repository/index.ts';
import { startS3rver } from '../../scripts/test-services/start-s3rver.ts';
import { runFailingStart, startServerProcess } from '../helpers/server-process.ts';
import { testServices } from '../helpers/test-services.ts';

const tempDirs: string[] = [];
async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'start-test-'));
  tempDirs.push(dir);
  return dir;
}
test.after.always(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function getHealth(url: string): Promise<{ status: number; body: HealthReport }> {
  const response = await fetch(`${url}/health`);
  return { status: response.status, body: (await response.json()) as HealthReport };
}

function fatalMessages(logs: Record<string, unknown>[]): string[] {
  return logs.filter((entry) => entry.level === 60).map((entry) => String(entry.msg));
}

test.serial('embedded defaults: /health names filesystem, PGlite and in-process, all answering; SIGTERM stops cleanly', async (t) => {
  const dataDir = await tempDataDir();
  const server = await startServerProcess({ DATA_DIR: dataDir });
  try {
    const { status, body } = await getHealth(server.url);
    t.is(status, 200);
    t.is(body.status, 'ok');
    t.like(body.checks, {
      storage: { adapter: 'filesystem', ok: true },
      database: { adapter: 'pglite', ok: true },
      queue: { adapter: 'in-process', ok: true },
    });
    t.true(body.checks.storage!.location.includes(path.join(dataDir, 'objects')));
    t.true((await readdir(dataDir)).includes('db'));

    const missing = await fetch(`${server.url}/no/such/route`);
    t.is(missing.status, 404);
    t.like(await missing.json(), { error: { code: 'NOT_FOUND' } });
  } finally {
    t.is(await server.stop('SIGTERM'), 0);
  }
  t.true(server.logs.some((entry) => entry.msg === 'stopped'));
});

test.serial('production adapters: /health names s3, postgres and bullmq, all answering', async (t) => {
  const services = testServices();
  const schema = `start_test_${process.pid}`;
  const admin = new pg.Client({ connectionString: services.databaseUrl });
  await admin.connect();
  await admin.query(`create schema if not exists ${schema}`);
  const server = await startServerProcess({
    DATA_DIR: await tempDataDir(),
    DATABASE_URL: services.databaseUrl,
    DATABASE_SCHEMA: schema,
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: schema,
    S3_ENDPOINT: services.s3Endpoint,
    S3_ACCESS_KEY: services.s3AccessKey,
    S3_SECRET_KEY: services.s3SecretKey,
    S3_BUCKET: `start-test-${process.pid}`,
  });
  try {
    const { status, body } = await getHealth(server.url);
    t.is(status, 200);
    t.like(body.checks, {
      storage: { adapter: 's3', ok: true },
      database: { adapter: 'postgres', ok: true },
      queue: { adapter: 'bullmq', ok: true },
    });
    const tables = await admin.query(`select table_name from information_schema.tables where table_schema = $1`, [schema]);
    t.true(tables.rows.some((row: { table_name: string }) => row.table_name === 'items'), 'migrations ran in the schema');
  } finally {
    t.is(await server.stop(), 0);
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
});

test.serial('/health answers 503 and names storage when S3 goes away at run time', async (t) => {
  const s3 = await startS3rver();
  const server = await startServerProcess({
    DATA_DIR: await tempDataDir(),
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: 'S3RVER',
    S3_SECRET_KEY: 'S3RVER',
  });
  try {
    t.is((await getHealth(server.url)).status, 200);
    await s3.stop();
    const { status, body } = await getHealth(server.url);
    t.is(status, 503);
    t.is(body.status, 'unavailable');
    t.false(body.checks.storage!.ok);
    t.true(body.checks.database!.ok);
  } finally {
    t.is(await server.stop(), 0);
  }
});

test.serial('a bad variable: one fatal line naming it, exit 1', async (t) => {
  const { code, logs } = await runFailingStart({ PORT: 'ba nghìn' });
  t.is(code, 1);
  const fatal = fatalMessages(logs);
  t.is(fatal.length, 1);
  t.regex(fatal[0]!, /PORT must be a port number/);
});

test.serial('a DATABASE_URL that is not PostgreSQL is refused at start', async (t) => {
  const { code, logs } = await runFailingStart({ DATA_DIR: await tempDataDir(), DATABASE_URL: 'mysql://root@127.0.0.1/test' });
  t.is(code, 1);
  t.regex(fatalMessages(logs).join('\n'), /DATABASE_URL must be a PostgreSQL URL/);
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

test.serial('an unreachable database stops the start with a message naming it', async (t) => {
  const port = await closedPort();
  const { code, logs } = await runFailingStart({
    DATA_DIR: await tempDataDir(),
    DATABASE_URL: `postgres://postgres:secret@127.0.0.1:${port}/test`,
  });
  t.is(code, 1);
  const message = fatalMessages(logs).join('\n');
  t.regex(message, new RegExp(`127\\.0\\.0\\.1:${port}`));
  t.notRegex(message, /secret/, 'the password never reaches the log');
});

test.serial('an unreachable S3 endpoint stops the start with a message naming it', async (t) => {
  const port = await closedPort();
  const { code, logs } = await runFailingStart({
    DATA_DIR: await tempDataDir(),
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_ACCESS_KEY: 'k',
    S3_SECRET_KEY: 'secret-key',
  });
  t.is(code, 1);
  const message = fatalMessages(logs).join('\n');
  t.regex(message, new RegExp(`127\\.0\\.0\\.1:${port}`));
  t.notRegex(message, /secret-key/);
});

test.serial('an unreachable Redis stops the start with a message naming it', async (t) => {
  const port = await closedPort();
  const { code, logs } = await runFailingStart({ DATA_DIR: await tempDataDir(), REDIS_URL: `redis://127.0.0.1:${port}` });
  t.is(code, 1);
  t.regex(fatalMessages(logs).join('\n'), new RegExp(`Redis at 127\\.0\\.0\\.1:${port} did not answer`));
});

test.serial('a port in use: one clear line, exit 1', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as net.AddressInfo;
  try {
    const { code, logs } = await runFailingStart({ DATA_DIR: await tempDataDir(), PORT: String(port) });
    t.is(code, 1);
    const fatal = fatalMessages(logs);
    t.is(fatal.length, 1);
    t.regex(fatal[0]!, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
  } finally {
    blocker.close();
  }
});

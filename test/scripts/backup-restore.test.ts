// Each scenario digitises a document (~20 s) and runs the scripts as child processes: one at a time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import test, { type ExecutionContext } from 'ava';
import pg from 'pg';
import type { BackupManifest } from '../../scripts/backup/backup-manifest.ts';
import { digitisedItem } from '../helpers/digitised-item.ts';
import { startAppOnFreePort } from '../helpers/running-app.ts';
import { testServices } from '../helpers/test-services.ts';

interface ScriptRun {
  code: number | null;
  logs: Record<string, unknown>[];
}

/** Runs `scripts/<script>.ts` as `npm run <script>` would, with only the given environment. */
async function runScript(script: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<ScriptRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const lines = createInterface({ input: child.stdout });
  const closed = once(lines, 'close');
  lines.on('line', (line) => logs.push(JSON.parse(line) as Record<string, unknown>));
  child.stderr.on('data', (chunk: Buffer) => logs.push({ stderr: chunk.toString() }));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  await closed;
  return { code, logs };
}

const entry = (run: ScriptRun, msg: RegExp) => run.logs.find((log) => typeof log.msg === 'string' && msg.test(log.msg));

const tempDirs: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  tempDirs.push(dir);
  return dir;
}
test.after.always(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function backupFolder(run: ScriptRun): Promise<{ folder: string; manifest: BackupManifest }> {
  const folder = entry(run, /^backup started$/)?.folder as string;
  return { folder, manifest: JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8')) as BackupManifest };
}

/** A new server on the restored setup serves the document: its record says digitised and its IIIF manifest is there. */
async function assertServed(t: ExecutionContext, env: Record<string, string>, itemId: string): Promise<void> {
  const app = await startAppOnFreePort('backup-check', env);
  try {
    const item = await fetch(`${app.baseUrl}/api/items/${itemId}`);
    t.is(item.status, 200);
    t.like(await item.json(), { id: itemId, status: 'digitised' });
    const manifest = await fetch(`${app.baseUrl}/iiif/manifest/${itemId}`);
    t.is(manifest.status, 200);
    t.like(await manifest.json(), { type: 'Manifest' });
  } finally {
    await app.close();
  }
}

function assertAuditPassed(t: ExecutionContext, restore: ScriptRun, manifest: BackupManifest): void {
  t.is(restore.code, 0, JSON.stringify(restore.logs.filter((log) => Number(log.level) >= 50)));
  t.like(entry(restore, /^restore finished/), {
    objectsRestored: manifest.objects.count,
    recorded: manifest.objects.recorded,
    audited: manifest.objects.recorded,
    failures: 0,
  });
}

/** What the first test made, for the next ones (digitising once is most of the time). */
let embedded: { itemId: string; backup: ScriptRun; restoredDir: string } | undefined;

test.serial('embedded: refused while the server runs; after it stops, the backup restores into a fresh DATA_DIR that serves the item', async (t) => {
  t.timeout(100_000);
  const app = await startAppOnFreePort('backup-source');
  tempDirs.push(app.config.dataDir);
  const target = await tempDir('backups');
  const env = { DATA_DIR: app.config.dataDir };
  let itemId: string;
  let refused: ScriptRun;
  try {
    ({ itemId } = await digitisedItem(app.baseUrl, 'thu-vien-dak-nong'));
    refused = await runScript('backup', [target], env);
  } finally {
    await app.application.close();
  }
  t.is(refused.code, 1);
  t.regex(String(entry(refused, /^backup failed/)?.msg), /stop the server/);
  t.deepEqual(await readdir(target), [], 'a refused backup writes nothing');

  const started = performance.now();
  const backup = await runScript('backup', [target], env);
  t.log(`backup: ${Math.round(performance.now() - started)} ms`);
  t.is(backup.code, 0, JSON.stringify(backup.logs.filter((log) => Number(log.level) >= 40)));
  const { folder, manifest } = await backupFolder(backup);
  t.like(manifest, { setup: { database: 'embedded', store: 'filesystem' }, objects: { unrecorded: 0, missing: 0, mismatched: 0 } });
  t.true(manifest.objects.count > 0);
  t.true(manifest.objects.records >= 3, 'the records of the library, the collection and the item are backed up too');
  t.is(manifest.objects.count, manifest.objects.recorded + manifest.objects.records);
  t.deepEqual((await readdir(folder)).sort(), ['database.tar.gz', 'manifest.json', 'objects', 'objects.jsonl']);
  t.log(`backup: ${manifest.objects.count} objects, ${manifest.objects.bytes} bytes, database ${manifest.database.size} bytes`);

  const restoredDir = await tempDir('restored');
  const restore = await runScript('restore', [folder], { DATA_DIR: restoredDir });
  assertAuditPassed(t, restore, manifest);
  embedded = { itemId, backup, restoredDir };
  t.log(`restore: ${String(entry(restore, /^restore finished/)?.seconds)} s`);

  const again = await runScript('restore', [folder], { DATA_DIR: restoredDir });
  t.is(again.code, 1);
  t.regex(String(entry(again, /^restore failed/)?.msg), /already holds .*--force/);

  await assertServed(t, { DATA_DIR: restoredDir }, itemId);
});

test.serial('a backup with a changed byte, or without manifest, is refused before anything is changed', async (t) => {
  t.timeout(60_000);
  if (embedded === undefined) return t.fail('needs the backup of the first test');
  const { folder } = await backupFolder(embedded.backup);
  const damaged = path.join(await tempDir('damaged'), 'backup');
  await cp(folder, damaged, { recursive: true });
  const [first] = (await readFile(path.join(damaged, 'objects.jsonl'), 'utf8')).split('\n');
  const { key } = JSON.parse(first!) as { key: string };
  const file = path.join(damaged, 'objects', key);
  const bytes = await readFile(file);
  bytes[bytes.length >> 1]! ^= 0xff;
  await writeFile(file, bytes);

  const target = await tempDir('untouched');
  const refused = await runScript('restore', [damaged], { DATA_DIR: target });
  t.is(refused.code, 1);
  const message = String(entry(refused, /^restore failed/)?.msg);
  t.regex(message, /is damaged, nothing was changed/);
  t.true(message.includes(`objects/${key} has sha256`), message);
  t.deepEqual(await readdir(target), []);

  await rm(path.join(damaged, 'manifest.json'));
  const unfinished = await runScript('restore', [damaged], { DATA_DIR: target });
  t.is(unfinished.code, 1);
  t.regex(String(entry(unfinished, /^restore failed/)?.msg), /not a finished backup/);
  t.deepEqual(await readdir(target), []);
});

test.serial('the embedded backup restores into an S3 store as well', async (t) => {
  t.timeout(60_000);
  if (embedded === undefined) return t.fail('needs the backup of the first test');
  const services = testServices();
  const env = {
    DATA_DIR: await tempDir('restored-s3'),
    S3_ENDPOINT: services.s3Endpoint,
    S3_ACCESS_KEY: services.s3AccessKey,
    S3_SECRET_KEY: services.s3SecretKey,
    S3_BUCKET: `restore-test-${process.pid}`,
  };
  const { folder, manifest } = await backupFolder(embedded.backup);
  assertAuditPassed(t, await runScript('restore', [folder], env), manifest);
  await assertServed(t, env, embedded.itemId);
});

test.serial('an object missing from the store: the backup and the audit after its restore both fail naming it', async (t) => {
  t.timeout(60_000);
  if (embedded === undefined) return t.fail('needs the restored setup of the first test');
  // The restored setup of the first test stands in for an installation that lost an object.
  const key = `packages/${embedded.itemId}/manifest.json`;
  await rm(path.join(embedded.restoredDir, 'objects', key));
  const backup = await runScript('backup', [await tempDir('backups')], { DATA_DIR: embedded.restoredDir });
  t.is(backup.code, 1);
  t.like(entry(backup, /^backup finished, but/), { missing: 1, mismatched: 0 });
  const { folder, manifest } = await backupFolder(backup);
  t.deepEqual(manifest.objects.problemExamples, [{ key, problem: 'missing' }]);

  const restore = await runScript('restore', [folder], { DATA_DIR: await tempDir('restored') });
  t.is(restore.code, 1);
  t.like(entry(restore, /^restore finished, but/), { audited: manifest.objects.recorded, failures: 1, failureExamples: [{ key, outcome: 'missing' }] });
});

test.serial('server: PostgreSQL and S3 backed up, restored into the (dropped) schema with a filesystem store', async (t) => {
  t.timeout(100_000);
  const services = testServices();
  const schema = `backup_test_${process.pid}`;
  const database = { DATABASE_URL: services.databaseUrl, DATABASE_SCHEMA: schema };
  const s3 = { S3_ENDPOINT: services.s3Endpoint, S3_ACCESS_KEY: services.s3AccessKey, S3_SECRET_KEY: services.s3SecretKey, S3_BUCKET: schema.replaceAll('_', '-') };
  const dropSchema = async () => {
    const admin = new pg.Client({ connectionString: services.databaseUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  };
  try {
    const app = await startAppOnFreePort('backup-server', { ...database, ...s3 });
    tempDirs.push(app.config.dataDir);
    let itemId: string;
    try {
      ({ itemId } = await digitisedItem(app.baseUrl, 'thu-vien-lam-dong'));
    } finally {
      await app.application.close();
    }
    const backup = await runScript('backup', [await tempDir('backups')], { DATA_DIR: app.config.dataDir, ...database, ...s3 });
    t.is(backup.code, 0, JSON.stringify(backup.logs.filter((log) => Number(log.level) >= 40)));
    const { folder, manifest } = await backupFolder(backup);
    t.like(manifest, { setup: { database: 'server', store: 's3' }, database: { kind: 'pg-dump-custom', schema }, objects: { unrecorded: 0, missing: 0, mismatched: 0 } });
    t.log(`backup: ${String(entry(backup, /^backup finished$/)?.seconds)} s, ${manifest.objects.count} objects, pg_dump ${manifest.database.size} bytes`);

    await dropSchema();
    const restoredDir = await tempDir('restored');
    const restore = await runScript('restore', [folder], { DATA_DIR: restoredDir, ...database });
    assertAuditPassed(t, restore, manifest);
    t.log(`restore: ${String(entry(restore, /^restore finished/)?.seconds)} s`);
    await assertServed(t, { DATA_DIR: restoredDir, ...database }, itemId);
  } finally {
    await dropSchema();
  }
});

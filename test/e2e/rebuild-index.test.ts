import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import pg from 'pg';
import { pino } from 'pino';
import {
  canonicalRows,
  CATALOGUE_TABLES,
  compareCatalogues,
  IN_MEMORY,
  itemRecordSchema,
  migrateToLatest,
  PgliteDatabase,
  PostgresDatabase,
  rebuildIndex,
  RecordWriter,
  type Database,
} from '../../repository/index.ts';
import { readJsonObject, recordKey, type ObjectStore } from '../../storage/index.ts';
import { digitisedItem } from '../helpers/digitised-item.ts';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, startAppOnFreePort } from '../helpers/running-app.ts';
import { testServices } from '../helpers/test-services.ts';

const run = promisify(execFile);
const silent = pino({ level: 'silent' });

/** A Nôm title: an Extension B character (beyond the BMP) and a Private Use Area one, which must survive the round trip. */
const NOM_TITLE = 'Truyện 𡨸 Nôm \u{F0000} bản khắc';

/**
 * A catalogue with history: a digitised item whose description then changes (a version of its
 * own: the records are brought up to date in between), a registered one with a Nôm title, a
 * collection whose holdings changed. Ends with every record up to date.
 */
async function buildCatalogue(baseUrl: string, slug: string, services: { database: Database; store: ObjectStore }): Promise<string> {
  const records = new RecordWriter({ ...services, logger: silent });
  const { itemId } = await digitisedItem(baseUrl, slug);
  const item = (await (await fetch(`${baseUrl}/api/items/${itemId}`, { headers: ADMIN_HEADERS })).json()) as { collectionId: string };
  await postJson(`${baseUrl}/api/items`, { collectionId: item.collectionId, identifier: 'HN-02', title: NOM_TITLE, language: 'vi', script: 'Hani' });
  await records.flush();
  for (const [url, body] of [
    [`${baseUrl}/api/items/${itemId}`, { dublinCore: { title: [{ value: 'Địa chí Đắk Nông' }], subject: [{ value: 'Lịch sử địa phương' }] } }],
    [`${baseUrl}/api/collections/${item.collectionId}`, { holdingsCount: 240, targetPercent: 75 }],
  ] as const) {
    const response = await fetch(url, { method: 'PATCH', headers: { ...ADMIN_HEADERS, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status !== 200) throw new Error(`PATCH ${url}: ${response.status} ${await response.text()}`);
  }
  await records.flush();
  return itemId;
}

/** Rebuilds into `target` from `store` alone and checks the two catalogues are identical, row for row. */
async function assertRebuildIdentical(t: ExecutionContext, live: Database, store: ObjectStore, target: Database): Promise<void> {
  await migrateToLatest(target, silent);
  const report = await rebuildIndex({ database: target, store, logger: silent });
  t.deepEqual(report.problems, []);
  t.like(report, { libraries: 1, collections: 1, items: 2 });
  t.true(report.pages >= 1 && report.texts === report.pages && report.objects > report.pages, JSON.stringify(report));
  t.deepEqual(await compareCatalogues(live, target), [], 'the rebuilt catalogue is the same, row for row');
  for (const { table } of CATALOGUE_TABLES) {
    const rows: string[] = [];
    for await (const line of canonicalRows(target, table)) rows.push(line);
    t.true(rows.length > 0, `${table} was rebuilt`);
  }
  const [itemsRow] = await target.db.selectFrom('items').select('title').where('identifier', '=', 'HN-02').execute();
  t.is([...itemsRow!.title].length, [...NOM_TITLE].length, 'the Nôm title keeps every code point');
  t.is(itemsRow!.title, NOM_TITLE);
}

/**
 * The record of the digitised item: its files as the ledger has them, and a version history
 * whose last step is the description change (same files as the version before it).
 */
async function assertItemRecord(t: ExecutionContext, live: Database, store: ObjectStore, itemId: string): Promise<void> {
  const record = itemRecordSchema.parse(await readJsonObject(store, recordKey('item', itemId)));
  const ledger = await live.db.selectFrom('stored_objects').select(['key', 'sha256', 'size']).where('item_id', '=', itemId).execute();
  const byKey = (a: { key: unknown }, b: { key: unknown }) => String(a.key).localeCompare(String(b.key));
  t.deepEqual(record.files.map((file) => ({ key: file.key, sha256: file.sha256, size: file.size })).sort(byKey), ledger.sort(byKey));
  t.true(record.files.some((file) => file.kind === 'master'), 'the master is listed');
  const names = Object.keys(record.versions);
  t.deepEqual(names, names.map((_, index) => `v${index + 1}`), 'versions are numbered from v1 without gaps');
  t.true(names.length >= 2);
  t.is(record.head, names.at(-1) ?? null);
  t.regex(record.versions.v1!.message, /^created with \d+ files?$/);
  const [before, last] = names.slice(-2).map((name) => record.versions[name]!);
  t.is(last!.message, 'description changed');
  t.deepEqual(last!.state, before!.state, 'the files did not change with the description');
  t.deepEqual(Object.values(last!.state).flat().sort(), ledger.map((file) => file.key).sort(), 'the head version holds every file');
}

test('embedded (PGlite, filesystem): the records in the store rebuild an identical catalogue; the CLI check passes, and fails when a record is lost', async (t) => {
  t.timeout(300_000);
  const app = await startAppOnFreePort('e2e-rebuild-embedded', { FIXITY_INTERVAL_MINUTES: '0' });
  let closed = false;
  try {
    const { database, store } = app.application.services;
    const digitised = await buildCatalogue(app.baseUrl, 'rebuild-embedded', app.application.services);
    await assertItemRecord(t, database, store, digitised);
    const target = await PgliteDatabase.open(IN_MEMORY, { logger: silent });
    try {
      await assertRebuildIdentical(t, database, store, target);
    } finally {
      await target.close();
    }

    await app.application.close();
    closed = true;
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: app.config.dataDir, LOG_LEVEL: 'info' };
    const checked = await run(process.execPath, ['--import', 'tsx', 'scripts/rebuild-index.ts', '--check'], { env });
    t.regex(checked.stdout, /check passed/);

    await rm(`${app.config.dataDir}/objects/${recordKey('item', digitised)}`);
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/rebuild-index.ts', '--check'], { env }).catch((error: { code: number; stdout: string }) => error);
    t.is((failed as { code?: number }).code, 1);
    t.regex(failed.stdout, /table items differs from its records/);
  } finally {
    if (!closed) await app.application.close();
    await app.close();
  }
});

test('services (PostgreSQL, S3 on s3rver): the records rebuild an identical catalogue in a new PostgreSQL schema', async (t) => {
  t.timeout(300_000);
  const services = testServices();
  const unique = `e2e_rebuild_${process.pid}_${Date.now().toString(36)}`;
  const app = await startAppOnFreePort('e2e-rebuild-services', {
    FIXITY_INTERVAL_MINUTES: '0',
    DATABASE_URL: services.databaseUrl,
    DATABASE_SCHEMA: unique,
    S3_ENDPOINT: services.s3Endpoint,
    S3_ACCESS_KEY: services.s3AccessKey,
    S3_SECRET_KEY: services.s3SecretKey,
    S3_BUCKET: unique.replaceAll('_', '-'),
  });
  const target = await PostgresDatabase.open(services.databaseUrl, { schema: `${unique}_rebuilt`, logger: silent });
  try {
    const { database, store } = app.application.services;
    t.is(database.adapter, 'postgres');
    t.is(store.adapter, 's3');
    const digitised = await buildCatalogue(app.baseUrl, 'rebuild-services', app.application.services);
    await assertItemRecord(t, database, store, digitised);
    await assertRebuildIdentical(t, database, store, target);
    await t.throwsAsync(rebuildIndex({ database: target, store, logger: silent }), { message: /already holds a catalogue/ }, 'a second rebuild into the same database is refused');
  } finally {
    await target.close();
    await app.close();
    const admin = new pg.Client({ connectionString: services.databaseUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${unique} cascade`);
    await admin.query(`drop schema if exists ${unique}_rebuilt cascade`);
    await admin.end();
  }
});

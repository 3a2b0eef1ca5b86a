import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { sql } from 'kysely';
import { pino } from 'pino';
import {
  IN_MEMORY,
  LibraryRepository,
  migrateToLatest,
  openDatabase,
  PgliteDatabase,
} from '../../repository/index.ts';
import { UpstreamError } from '../../storage/index.ts';
import { runRepositoryContract, uniqueSlug } from './repository.contract.ts';
import { EXPECTED_MIGRATIONS } from '../helpers/migrations.ts';

// Dates must not depend on the process time zone: run in one east of UTC.
process.env.TZ = 'Asia/Ho_Chi_Minh';

runRepositoryContract(test, {
  open: () => PgliteDatabase.open(IN_MEMORY),
  dispose: (database) => database.close(),
});

test('openDatabase without a URL keeps an embedded database under dataDir/db across restarts', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'thu-vien-so-db-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const logger = pino({ level: 'silent' });
  const slug = uniqueSlug('persist');

  const first = await openDatabase({ dataDir, logger });
  try {
    t.is(first.adapter, 'pglite');
    t.true(first.describe().includes(join(dataDir, 'db')), first.describe());
    t.deepEqual(await migrateToLatest(first), EXPECTED_MIGRATIONS);
    await new LibraryRepository(first.db).create({ slug, name: 'Thư viện Lâm Đồng', province: 'Lâm Đồng', kind: 'provincial' });
  } finally {
    await first.close();
  }
  t.true((await readdir(join(dataDir, 'db'))).length > 0);

  const second = await openDatabase({ dataDir, logger, databaseUrl: '' });
  try {
    t.deepEqual(await migrateToLatest(second), []);
    t.is((await new LibraryRepository(second.db).getBySlug(slug)).name, 'Thư viện Lâm Đồng');
  } finally {
    await second.close();
  }
});

test('a schema other than public holds the tables and the migration records', async (t) => {
  const database = await PgliteDatabase.open(IN_MEMORY, { schema: 'tenant_a' });
  t.teardown(() => database.close());
  t.is(database.schema, 'tenant_a');
  t.deepEqual(await migrateToLatest(database), EXPECTED_MIGRATIONS);
  const tables = await sql<{ schema: string; name: string }>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_name in ('libraries', 'kysely_migration') order by table_name`.execute(database.db);
  t.deepEqual(tables.rows, [
    { schema: 'tenant_a', name: 'kysely_migration' },
    { schema: 'tenant_a', name: 'libraries' },
  ]);
  t.deepEqual(await migrateToLatest(database), []);
});

test('a data directory that cannot be created is an UpstreamError naming it', async (t) => {
  const parent = await mkdtemp(join(tmpdir(), 'thu-vien-so-file-'));
  t.teardown(() => rm(parent, { recursive: true, force: true }));
  const file = join(parent, 'not-a-directory');
  await writeFile(file, 'x');
  const error = await t.throwsAsync(openDatabase({ dataDir: file, logger: pino({ level: 'silent' }) }), {
    instanceOf: UpstreamError,
  });
  t.true(error.message.includes(join(file, 'db')), error.message);
});

test('close is idempotent and later queries fail', async (t) => {
  const database = await PgliteDatabase.open(IN_MEMORY);
  await database.close();
  await t.notThrowsAsync(database.close());
  await t.throwsAsync(database.ping(), { instanceOf: UpstreamError });
});

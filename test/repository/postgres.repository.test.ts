import { randomBytes } from 'node:crypto';
import test from 'ava';
import { sql } from 'kysely';
import { pino } from 'pino';
import {
  appliedMigrations,
  migrateToLatest,
  openDatabase,
  PostgresDatabase,
  type Database,
} from '../../repository/index.ts';
import { ConfigurationError, UpstreamError } from '../../storage/index.ts';
import { testServices } from '../helpers/test-services.ts';
import { runRepositoryContract } from './repository.contract.ts';
import { EXPECTED_MIGRATIONS } from '../helpers/migrations.ts';

// Dates must not depend on the process time zone: run in one east of UTC.
process.env.TZ = 'Asia/Ho_Chi_Minh';

const { databaseUrl } = testServices();
const logger = pino({ level: 'silent' });

/** A schema name no other test file or earlier run uses. */
function uniqueSchema(): string {
  return `test_repository_${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function dropSchemaAndClose(database: Database): Promise<void> {
  try {
    await sql`drop schema if exists ${sql.id(database.schema)} cascade`.execute(database.db);
  } finally {
    await database.close();
  }
}

runRepositoryContract(test, {
  open: () => PostgresDatabase.open(databaseUrl, { schema: uniqueSchema(), logger }),
  dispose: dropSchemaAndClose,
});

test('tables go to the requested schema, extensions stay in public', async (t) => {
  const database = await openDatabase({ databaseUrl, dataDir: '/nonexistent', schema: uniqueSchema(), logger });
  t.teardown(() => dropSchemaAndClose(database));
  t.is(database.adapter, 'postgres');
  t.regex(database.describe(), new RegExp(`schema ${database.schema}`));
  await migrateToLatest(database);
  const tables = await sql<{ schema: string }>`
    select table_schema as schema from information_schema.tables
    where table_name = 'libraries' and table_schema = ${database.schema}`.execute(database.db);
  t.is(tables.rows.length, 1);
  const extensions = await sql<{ name: string; schema: string }>`
    select e.extname as name, n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname in ('unaccent', 'pg_trgm') order by e.extname`.execute(database.db);
  t.deepEqual(extensions.rows, [
    { name: 'pg_trgm', schema: 'public' },
    { name: 'unaccent', schema: 'public' },
  ]);
});

test('migrators started at once, in two schemas and twice in one, each migrate exactly once', async (t) => {
  const schemas = [uniqueSchema(), uniqueSchema()];
  const databases = await Promise.all(
    [schemas[0], schemas[1], schemas[1]].map((schema) => PostgresDatabase.open(databaseUrl, { schema, logger })),
  );
  t.teardown(async () => {
    await dropSchemaAndClose(databases[0]!);
    await dropSchemaAndClose(databases[1]!);
    await databases[2]!.close();
  });
  const applied = await Promise.all(databases.map((database) => migrateToLatest(database)));
  t.deepEqual(applied[0], EXPECTED_MIGRATIONS);
  // The two migrators of the shared schema: one did the work, the other found it done.
  t.deepEqual([...applied[1]!, ...applied[2]!], EXPECTED_MIGRATIONS);
  for (const database of databases) t.deepEqual(await appliedMigrations(database), EXPECTED_MIGRATIONS);
});

test('the migrator finds its tables while another schema of the database is being dropped', async (t) => {
  // The Migrator asks the introspector which tables exist. Other test files (other tenants)
  // drop their schemas meanwhile; here the drop lands between the snapshot the catalogue is
  // read with and the rest of the query, every time rather than once in a while.
  const database = await PostgresDatabase.open(databaseUrl, { schema: uniqueSchema(), logger });
  const doomed = await PostgresDatabase.open(databaseUrl, { schema: uniqueSchema(), logger });
  t.teardown(async () => {
    await dropSchemaAndClose(database);
    await dropSchemaAndClose(doomed);
  });
  await migrateToLatest(database);
  await sql`create table doomed_table (id serial primary key)`.execute(doomed.db);
  const tables = await database.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`select 1`.execute(trx); // takes the snapshot: `doomed` exists in it
      await sql`drop schema ${sql.id(doomed.schema)} cascade`.execute(doomed.db);
      return trx.introspection.getTables({ withInternalKyselyTables: true });
    });
  t.true(tables.some((table) => table.name === 'kysely_migration' && table.schema === database.schema));
  t.deepEqual(tables.filter((table) => table.schema !== database.schema), []);
});

test('an unreachable server is an UpstreamError naming the host, never the password', async (t) => {
  const error = await t.throwsAsync(
    openDatabase({ databaseUrl: 'postgres://postgres:s3cr3t-pw@127.0.0.1:1/test', dataDir: '/nonexistent', logger }),
    { instanceOf: UpstreamError },
  );
  t.regex(error.message, /127\.0\.0\.1:1/);
  t.false(error.message.includes('s3cr3t-pw'));
  t.true(error.retryable);
});

test('a URL that is not postgres:// is a ConfigurationError saying so', async (t) => {
  for (const url of ['mysql://root:hunter2@127.0.0.1:3306/test', 'redis://127.0.0.1:6379', 'just-a-host:5432']) {
    const error = await t.throwsAsync(openDatabase({ databaseUrl: url, dataDir: '/nonexistent', logger }), {
      instanceOf: ConfigurationError,
    });
    t.regex(error.message, /postgres:\/\//, url);
    t.false(error.message.includes('hunter2'));
  }
  await t.throwsAsync(PostgresDatabase.open(databaseUrl, { schema: 'Bad-Schema"; drop' }), { instanceOf: ConfigurationError });
});

test('close is idempotent and later queries fail', async (t) => {
  const database = await PostgresDatabase.open(databaseUrl, { logger });
  t.is(database.schema, 'public');
  await database.close();
  await t.notThrowsAsync(database.close());
  await t.throwsAsync(database.ping(), { instanceOf: UpstreamError });
});

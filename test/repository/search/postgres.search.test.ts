import { randomBytes } from 'node:crypto';
import test from 'ava';
import { sql } from 'kysely';
import { pino } from 'pino';
import { PostgresDatabase, type Database } from '../../../repository/index.ts';
import { testServices } from '../../helpers/test-services.ts';
import { runSearchContract } from './search.contract.ts';

const { databaseUrl } = testServices();
const logger = pino({ level: 'silent' });

async function dropSchemaAndClose(database: Database): Promise<void> {
  try {
    await sql`drop schema if exists ${sql.id(database.schema)} cascade`.execute(database.db);
  } finally {
    await database.close();
  }
}

runSearchContract(test, {
  open: () => PostgresDatabase.open(databaseUrl, { schema: `test_search_${process.pid}_${randomBytes(4).toString('hex')}`, logger }),
  dispose: dropSchemaAndClose,
});

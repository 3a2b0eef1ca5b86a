import { randomBytes } from 'node:crypto';
import test from 'ava';
import { sql } from 'kysely';
import { pino } from 'pino';
import { PostgresDatabase, type Database } from '../../../repository/index.ts';
import { testServices } from '../../helpers/test-services.ts';
import { runStatsContract } from './stats.contract.ts';

// Days must not depend on the process time zone: run in one far from Vietnam's.
process.env.TZ = 'America/Los_Angeles';

const { databaseUrl } = testServices();

runStatsContract(test, {
  open: () =>
    PostgresDatabase.open(databaseUrl, { schema: `test_stats_${process.pid}_${randomBytes(4).toString('hex')}`, logger: pino({ level: 'silent' }) }),
  dispose: async (database: Database) => {
    try {
      await sql`drop schema if exists ${sql.id(database.schema)} cascade`.execute(database.db);
    } finally {
      await database.close();
    }
  },
});

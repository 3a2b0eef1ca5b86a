import test from 'ava';
import { IN_MEMORY, PgliteDatabase } from '../../../repository/index.ts';
import { runStatsContract } from './stats.contract.ts';

// Days must not depend on the process time zone: run in one far from Vietnam's.
process.env.TZ = 'America/Los_Angeles';

runStatsContract(test, {
  open: () => PgliteDatabase.open(IN_MEMORY),
  dispose: (database) => database.close(),
});

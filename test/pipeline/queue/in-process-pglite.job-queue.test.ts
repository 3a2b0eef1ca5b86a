import test from 'ava';
import { sql } from 'kysely';
import { pino } from 'pino';
import { InProcessJobQueue } from '../../../pipeline/index.ts';
import { IN_MEMORY, migrateToLatest, PgliteDatabase, type Database } from '../../../repository/index.ts';
import { runJobQueueContract, TEST_JOB_NAMES, TEST_TIMINGS, type TestJobs } from './job-queue.contract.ts';

const logger = pino({ level: 'silent' });
const LEASE_MS = 2 * TEST_TIMINGS.leaseMs;
let database: Database;

test.before(async () => {
  database = await PgliteDatabase.open(IN_MEMORY);
  await migrateToLatest(database);
});
test.after.always(async () => {
  await database?.close();
});

function open(queueName: string) {
  return Promise.resolve(
    new InProcessJobQueue<TestJobs>({
      database,
      queueName,
      ...TEST_TIMINGS,
      // PGlite is one session on the event loop: with every test of the file polling at once a
      // renewal can wait behind hundreds of queries, so the lease gets more room here.
      leaseMs: LEASE_MS,
      pollIntervalMs: 100,
      sweepIntervalMs: 300,
      jobNames: TEST_JOB_NAMES,
      logger,
    }),
  );
}

runJobQueueContract(test, {
  leaseMs: LEASE_MS,
  open,
  async abandonJob(queueName, { payload, jobId }) {
    const queue = await open(queueName);
    await queue.add('work', payload, { jobId });
    await queue.close();
    // What a worker that died mid-run leaves behind: the claim, with a lease nobody renews.
    await sql`update jobs set status = 'active', attempts = 1, lease_token = 'dead-worker',
      lease_until = now() - interval '1 second' where id = ${jobId}`.execute(database.db);
  },
});

test('the adapter says it runs jobs in-process on the embedded database', async (t) => {
  const queue = await open('describe');
  t.teardown(() => queue.close());
  t.is(queue.adapter, 'in-process');
  t.regex(queue.describe(), /PGlite/);
});

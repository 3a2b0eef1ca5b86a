import { randomBytes } from 'node:crypto';
import test from 'ava';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { pino } from 'pino';
import { InProcessJobQueue, openJobQueue } from '../../../pipeline/index.ts';
import { migrateToLatest, PostgresDatabase, type Database } from '../../../repository/index.ts';
import { testServices } from '../../helpers/test-services.ts';
import { delay, waitFor } from './helpers/wait-for.ts';
import { runJobQueueContract, TEST_JOB_NAMES, TEST_TIMINGS, type TestJobs } from './job-queue.contract.ts';

const { databaseUrl, redisUrl } = testServices();
const logger = pino({ level: 'silent' });
const schema = `test_job_queue_${process.pid}_${randomBytes(4).toString('hex')}`;
let database: Database;

test.before(async () => {
  database = await PostgresDatabase.open(databaseUrl, { schema, logger });
  await migrateToLatest(database);
});
test.after.always(async () => {
  if (database === undefined) return;
  try {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
  } finally {
    await database.close();
  }
});

function open(queueName: string, on: Database = database) {
  return Promise.resolve(
    new InProcessJobQueue<TestJobs>({
      database: on,
      queueName,
      ...TEST_TIMINGS,
      pollIntervalMs: 50,
      sweepIntervalMs: 200,
      jobNames: TEST_JOB_NAMES,
      logger,
    }),
  );
}

runJobQueueContract(test, {
  leaseMs: TEST_TIMINGS.leaseMs,
  open,
  async abandonJob(queueName, { payload, jobId }) {
    const queue = await open(queueName);
    await queue.add('work', payload, { jobId });
    await queue.close();
    await sql`update jobs set status = 'active', attempts = 1, lease_token = 'dead-worker',
      lease_until = now() - interval '1 second' where id = ${jobId}`.execute(database.db);
  },
});

test('openJobQueue without a Redis URL picks the in-process runner on the given database', async (t) => {
  const queue = await openJobQueue<TestJobs>({ redisUrl: '', database, logger, queueName: 'factory' });
  t.teardown(() => queue.close());
  t.is(queue.adapter, 'in-process');
  t.regex(queue.describe(), new RegExp(`PostgreSQL .*schema ${schema}`));
});

test('openJobQueue with a Redis URL picks BullMQ (the database is left alone)', async (t) => {
  const prefix = `test-queue-${process.pid}-${randomBytes(4).toString('hex')}`;
  const queue = await openJobQueue<TestJobs>({ redisUrl, database, logger, queueName: 'factory', bullmq: { prefix } });
  t.teardown(async () => {
    await queue.close();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  t.is(queue.adapter, 'bullmq');
  t.is(queue.describe().endsWith(`, queue ${prefix}:factory`), true, queue.describe());
  await queue.ping();
  t.like(await queue.counts(), { waiting: 0, active: 0 });
});

test('two processes sharing the server run each job once (claims skip locked rows)', async (t) => {
  // A second pool stands for a second process: its claims race ours on the same rows.
  const second = await PostgresDatabase.open(databaseUrl, { schema, logger });
  t.teardown(() => second.close());
  const queueName = `shared-${randomBytes(3).toString('hex')}`;
  const queues = [await open(queueName), await open(queueName, second)];
  t.teardown(() => Promise.all(queues.map((queue) => queue.close())));
  const runs = new Map<string, number>();
  for (let i = 0; i < 40; i += 1) await queues[0]!.add('work', { key: `page-${i}` });
  for (const queue of queues) {
    await queue.startWorker(
      {
        work: async ({ key }) => {
          runs.set(key, (runs.get(key) ?? 0) + 1);
          await delay(5);
        },
        parent: async () => {},
        child: async () => {},
      },
      { concurrency: 4 },
    );
  }
  await waitFor('all jobs to complete', async () => (await queues[0]!.counts()).completed === 40);
  t.is(runs.size, 40);
  t.true([...runs.values()].every((count) => count === 1), JSON.stringify([...runs]));
});

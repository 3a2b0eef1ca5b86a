import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import test from 'ava';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { BullmqJobQueue } from '../../../pipeline/index.ts';
import { UpstreamError } from '../../../storage/index.ts';
import { testServices } from '../../helpers/test-services.ts';
import { waitFor } from './helpers/wait-for.ts';
import { runJobQueueContract, TEST_JOB_NAMES, TEST_TIMINGS, type TestJobs } from './job-queue.contract.ts';

const { redisUrl } = testServices();
const logger = pino({ level: 'silent' });
/** Every key this file writes starts with it; deleted afterwards. */
const prefix = `test-queue-${process.pid}-${randomBytes(4).toString('hex')}`;
const STALLED_MS = 300;
const childScript = fileURLToPath(new URL('./helpers/bullmq-worker.child.ts', import.meta.url));

test.after.always(async () => {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
});

function open(queueName: string) {
  return Promise.resolve(
    new BullmqJobQueue<TestJobs>({
      redisUrl,
      prefix,
      queueName,
      ...TEST_TIMINGS,
      stalledIntervalMs: STALLED_MS,
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
    try {
      await queue.add('work', payload, { jobId });
    } finally {
      await queue.close();
    }
    // A real worker process takes the job and is killed with SIGKILL in the middle of it.
    const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
      env: {
        ...process.env,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        QUEUE_NAME: queueName,
        LEASE_MS: String(TEST_TIMINGS.leaseMs),
        STALLED_MS: String(STALLED_MS),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    try {
      const lines = createInterface({ input: child.stdout! });
      await waitFor(
        'the child worker to start the job',
        () =>
          new Promise<boolean>((resolve) => {
            lines.once('line', (line) => resolve(line === `running ${jobId}`));
            child.once('exit', () => resolve(false));
          }),
        30_000,
      );
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  },
});

test('describe names the server and queue, never the password', async (t) => {
  const queue = await open('describe');
  t.teardown(() => queue.close());
  t.is(queue.adapter, 'bullmq');
  const url = new URL(redisUrl);
  t.is(queue.describe(), `Redis at ${url.hostname}:${url.port || '6379'}, queue ${prefix}:describe`);
  const withPassword = new BullmqJobQueue<TestJobs>({ redisUrl: 'redis://:s3cr3t-pw@127.0.0.1:1/2', logger });
  t.teardown(() => withPassword.close());
  t.is(withPassword.describe(), 'Redis at 127.0.0.1:1 (database 2), queue thuvien:pipeline');
});

test('an unreachable Redis: ping fails with an UpstreamError naming host and port', async (t) => {
  const queue = new BullmqJobQueue<TestJobs>({ redisUrl: 'redis://127.0.0.1:1', prefix, logger });
  t.teardown(() => queue.close());
  const error = await t.throwsAsync(queue.ping(), { instanceOf: UpstreamError });
  t.regex(error.message, /Redis at 127\.0\.0\.1:1 did not answer/);
  const refused = await t.throwsAsync(queue.add('work', { key: 'x' }), { instanceOf: UpstreamError });
  t.regex(refused.message, /Redis at 127\.0\.0\.1:1 did not answer \(.*ECONNREFUSED.*\): check that it is running and reachable/);
});

/**
 * A worker process that takes one job and hangs in it until it is killed: the "dead worker"
 * of the crash-recovery test. Run as `node --import tsx bullmq-worker.child.ts` with
 * REDIS_URL, QUEUE_PREFIX, QUEUE_NAME, LEASE_MS, STALLED_MS in the environment; it prints
 * `running <jobId>` once the job is active, then never finishes it.
 */
import { pino } from 'pino';
import { BullmqJobQueue } from '../../../../pipeline/index.ts';
import type { TestJobs } from '../job-queue.contract.ts';

const { REDIS_URL, QUEUE_PREFIX, QUEUE_NAME, LEASE_MS, STALLED_MS } = process.env;
if (!REDIS_URL || !QUEUE_PREFIX || !QUEUE_NAME || !LEASE_MS || !STALLED_MS) {
  throw new Error('REDIS_URL, QUEUE_PREFIX, QUEUE_NAME, LEASE_MS, STALLED_MS must be set');
}

const queue = new BullmqJobQueue<TestJobs>({
  redisUrl: REDIS_URL,
  prefix: QUEUE_PREFIX,
  queueName: QUEUE_NAME,
  leaseMs: Number(LEASE_MS),
  // The same interval as the test's workers: a stalled check by any worker holds off the others for its interval.
  stalledIntervalMs: Number(STALLED_MS),
  logger: pino({ level: 'silent' }),
});
const hang = () => new Promise<void>(() => {});
await queue.startWorker(
  {
    work: async (_payload, context) => {
      process.stdout.write(`running ${context.jobId}\n`);
      await hang();
    },
    parent: hang,
    child: hang,
  },
  { concurrency: 1 },
);

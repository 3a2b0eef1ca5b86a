import type { Logger } from 'pino';
import type { Database } from '../../repository/index.ts';
import { BullmqJobQueue, type BullmqJobQueueOptions } from './bullmq.job-queue.ts';
import { InProcessJobQueue, type InProcessJobQueueOptions } from './in-process.job-queue.ts';
import type { JobPayloads, JobQueue } from './job-queue.port.ts';

export interface OpenJobQueueOptions {
  /** `REDIS_URL`: set → BullMQ on that Redis; unset or empty → the in-process runner. */
  redisUrl?: string | undefined;
  /** The product's database, migrated: the in-process runner keeps its jobs there. */
  database: Database;
  queueName?: string;
  attempts?: number;
  backoffMs?: number;
  outageBackoffMs?: number;
  leaseMs?: number;
  stopTimeoutMs?: number;
  jobNames?: readonly string[];
  /** Options only one adapter understands. */
  bullmq?: Partial<Omit<BullmqJobQueueOptions, 'redisUrl' | 'logger'>>;
  inProcess?: Partial<Omit<InProcessJobQueueOptions, 'database' | 'logger'>>;
  logger: Logger;
}

/**
 * Picks the adapter from the configuration: BullMQ when a Redis URL is given, the in-process
 * runner over `database` otherwise. Opens no worker: call `startWorker` where jobs should run.
 * Call `ping()` next to fail early on an unreachable Redis.
 */
export async function openJobQueue<M extends JobPayloads<M>>(options: OpenJobQueueOptions): Promise<JobQueue<M>> {
  const { redisUrl, database, bullmq, inProcess, logger, ...shared } = options;
  const common = Object.fromEntries(Object.entries(shared).filter(([, value]) => value !== undefined));
  if (redisUrl !== undefined && redisUrl.trim() !== '') {
    return new BullmqJobQueue<M>({ ...common, ...bullmq, redisUrl: redisUrl.trim(), logger });
  }
  return new InProcessJobQueue<M>({ ...common, ...inProcess, database, logger });
}

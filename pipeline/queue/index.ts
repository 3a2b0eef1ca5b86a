/**
 * The job queue: the port the pipeline programs against and its two adapters, BullMQ on Redis
 * (production, any number of workers) and the in-process runner over the product's database
 * (the embedded default).
 */
export type {
  AddJobOptions,
  FailedJob,
  FlowJob,
  JobContext,
  JobCounts,
  JobHandler,
  JobHandlers,
  JobPayloads,
  JobQueue,
  JobState,
  StartWorkerOptions,
} from './job-queue.port.ts';
export { JOB_STATES } from './job-queue.port.ts';
export { openJobQueue, type OpenJobQueueOptions } from './open-job-queue.ts';
export { BullmqJobQueue, type BullmqJobQueueOptions } from './bullmq.job-queue.ts';
export { InProcessJobQueue, type InProcessJobQueueOptions } from './in-process.job-queue.ts';
export { QUEUE_DEFAULTS, checkJobId } from './job-rules.ts';

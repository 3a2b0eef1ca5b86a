import path from 'node:path';
import type { Logger } from 'pino';
import { openJobQueue, PIPELINE_JOB_NAMES, type JobQueue, type PipelineJobs } from '../../pipeline/index.ts';
import { migrateToLatest, openDatabase, type Database } from '../../repository/index.ts';
import { FsObjectStore, MinioObjectStore, removeOrphanedScratch, type ObjectStore } from '../../storage/index.ts';
import type { Config } from '../config.ts';

/** The adapters one process runs on, chosen from configuration. */
export interface Services {
  store: ObjectStore;
  database: Database;
  /** BullMQ when REDIS_URL is set, else the in-process runner over `database`. No worker runs until `startWorker`. */
  queue: JobQueue<PipelineJobs>;
  close(): Promise<void>;
}

/**
 * Opens storage, database (migrated to the latest version) and the job queue,
 * failing with an AppError that names the unreachable or misconfigured one. Whatever
 * was opened before a failure is closed again.
 */
export async function openServices(config: Config, logger: Logger): Promise<Services> {
  const opened: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    for (const service of opened.reverse()) await service.close();
  };
  try {
    await removeScratchOfEndedProcesses(config, logger);
    const store = await openObjectStore(config);
    opened.push(store);
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      schema: config.databaseSchema,
      dataDir: config.dataDir,
      logger,
    });
    opened.push(database);
    await migrateToLatest(database, logger);
    const queue = await openJobQueue<PipelineJobs>({
      redisUrl: config.redisUrl,
      bullmq: { prefix: config.redisPrefix },
      database,
      jobNames: PIPELINE_JOB_NAMES,
      stopTimeoutMs: config.shutdownTimeoutMs,
      logger,
    });
    opened.push(queue);
    await queue.ping();
    logger.info(
      { storage: store.describe(), database: database.describe(), queue: queue.describe() },
      'services ready',
    );
    return { store, database, queue, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * Removes what processes that died mid-work left in DATA_DIR/tmp (upload and S3 spools, job
 * work folders): up to a whole master each, never reclaimed otherwise. Entries of live
 * processes sharing the folder stay.
 */
async function removeScratchOfEndedProcesses(config: Config, logger: Logger): Promise<void> {
  const folder = path.join(config.dataDir, 'tmp');
  try {
    const removed = await removeOrphanedScratch(folder);
    if (removed > 0) logger.warn({ folder, removed }, 'removed scratch files left by a process that ended mid-work');
  } catch (error) {
    logger.warn({ err: error, folder }, 'could not remove scratch files left by ended processes; they only take space');
  }
}

/** The object store this configuration names: S3 when S3_ENDPOINT is set, else the folder DATA_DIR/objects. */
export async function openObjectStore(config: Config): Promise<ObjectStore> {
  if (config.s3 === undefined) {
    return FsObjectStore.open(path.join(config.dataDir, 'objects'));
  }
  return MinioObjectStore.open({ ...config.s3, tempDir: path.join(config.dataDir, 'tmp') });
}

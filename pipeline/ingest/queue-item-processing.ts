import { ConflictError } from '../../storage/index.ts';
import { createRepositories, type Database, type ItemProcessing, type PageStage } from '../../repository/index.ts';
import { packageJobId, pageJobId, type PipelineJobs } from '../jobs/pipeline-jobs.ts';
import type { JobQueue } from '../queue/job-queue.port.ts';

/** Puts an item's pages and its packaging on the queue as one flow (the packaging waits for the pages). */
export class QueueItemProcessing implements ItemProcessing {
  readonly #database: Database;
  readonly #queue: JobQueue<PipelineJobs>;

  constructor(database: Database, queue: JobQueue<PipelineJobs>) {
    this.#database = database;
    this.#queue = queue;
  }

  async processItem(itemId: string): Promise<{ queuedPages: number }> {
    const repositories = createRepositories(this.#database.db);
    const item = await repositories.items.getById(itemId);
    const pages = (await repositories.pages.listByItem(item.id)).filter((page) => page.status !== 'done');
    const queued = await this.#queue.addFlow(
      { name: 'package-item', payload: { itemId: item.id }, jobId: packageJobId(item.id) },
      pages.map((page) => ({ name: 'process-page' as const, payload: { pageId: page.id }, jobId: pageJobId(page.id) })),
    );
    if (queued) await repositories.items.update(item.id, { status: 'processing' });
    return { queuedPages: queued ? pages.length : 0 };
  }

  async reprocessPage(pageId: string, fromStage: PageStage): Promise<void> {
    const page = await createRepositories(this.#database.db).pages.getById(pageId);
    const queued = await this.#queue.addFlow(
      { name: 'package-item', payload: { itemId: page.itemId }, jobId: packageJobId(page.itemId) },
      [{ name: 'process-page', payload: { pageId: page.id, fromStage }, jobId: pageJobId(page.id) }],
    );
    if (!queued) {
      throw new ConflictError(
        `The document of page ${page.seq} is being processed right now: re-run the page when that run has finished`,
      );
    }
  }
}

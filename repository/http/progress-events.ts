import type { Request, Response } from 'express';
import { pageFailureReason } from '../database/page.repository.ts';
import type { Repositories } from '../database/repositories.ts';

export interface ItemProgress {
  itemId: string;
  status: string;
  pages: { id: string; seq: number; status: string; stages: unknown; error?: string }[];
}

async function snapshot(repositories: Repositories, itemId: string): Promise<ItemProgress> {
  const item = await repositories.items.getById(itemId);
  const pages = await repositories.pages.listByItem(itemId);
  return {
    itemId,
    status: item.status,
    pages: pages.map((page) => ({
      id: page.id,
      seq: page.seq,
      status: page.status,
      stages: page.stages,
      error: pageFailureReason(page) ?? undefined,
    })),
  };
}

/**
 * `GET /api/items/:itemId/events`: Server-Sent Events with the item's progress. The state is
 * read from the database, so it is the same whichever process or machine runs the jobs; an
 * event is sent when it changes (`event: progress`), with a comment every 15 s to keep
 * proxies from closing the stream.
 */
export async function streamItemProgress(
  req: Request,
  res: Response,
  repositories: Repositories,
  options: { pollMs: number; shutdown: AbortSignal },
): Promise<void> {
  const itemId = req.params.itemId as string;
  let last = JSON.stringify(await snapshot(repositories, itemId));
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write(`retry: 3000\nevent: progress\ndata: ${last}\n\n`);
  let ticks = 0;
  const heartbeatEvery = Math.max(1, Math.round(15_000 / options.pollMs));
  const timer = setInterval(() => {
    snapshot(repositories, itemId).then(
      (progress) => {
        const current = JSON.stringify(progress);
        if (current !== last) {
          last = current;
          res.write(`event: progress\ndata: ${current}\n\n`);
        } else if (++ticks % heartbeatEvery === 0) {
          res.write(': keep-alive\n\n');
        }
      },
      (error: unknown) => {
        req.log.warn({ err: error }, 'progress stream stopped');
        res.end();
      },
    );
  }, options.pollMs);
  const end = () => res.end();
  options.shutdown.addEventListener('abort', end, { once: true });
  res.on('close', () => {
    clearInterval(timer);
    options.shutdown.removeEventListener('abort', end);
  });
}

import { Router, type Request } from 'express';
import { z } from 'zod';
import { ChecksumMismatchError, InvalidInputError, isAppError, NotFoundError, packageKey, type ObjectStore } from '../../storage/index.ts';
import { PAGE_STAGES, type Item, type Page, type PageStage } from '../database/domain.types.ts';
import type { Repositories } from '../database/repositories.ts';
import { assertCanChangeLibrary, assertRole, canSeeContent } from '../access/access-decision.ts';
import { seeContent } from '../auth/see-content.ts';
import { viewerOf } from '../auth/request-auth.ts';
import { pageFailureReason } from '../database/page.repository.ts';
import { parseInput } from '../database/validation.ts';
import type { IngestedFile, ItemProcessing, PageIngest } from './ingest.port.ts';
import { receiveMultipartUpload, type UploadLimits } from './multipart-upload.ts';
import { streamItemProgress } from './progress-events.ts';
import type { ResumableUploads } from './resumable-uploads.ts';
import { resourceRoutes } from './resource.routes.ts';
import { sendObject } from './send-object.ts';

export interface ItemRoutesDependencies {
  repositories: Repositories;
  store: ObjectStore;
  ingest: PageIngest;
  processing: ItemProcessing;
  publicBaseUrl: string;
  /** Where uploads are spooled while they are hashed. */
  spoolDir: string;
  uploadLimits: UploadLimits;
  /** Finished tus uploads that `POST /api/items/:itemId/pages` (JSON) turns into pages. */
  resumableUploads: ResumableUploads;
  progressPollMs: number;
  /** Aborted when the server shuts down: open progress streams end so shutdown need not wait for them. */
  shutdown: AbortSignal;
}

const pageOrderSchema = z.strictObject({ pageIds: z.array(z.string().max(64)).max(100_000) });

const commitSchema = z.strictObject({
  uploads: z
    .array(z.strictObject({ id: z.string().max(64), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional() }))
    .min(1)
    .max(500),
});

/** Libraries, collections, items (`/api/...`), uploads of pages, processing, progress, the PDF. */
export function itemRoutes(deps: ItemRoutesDependencies): Router {
  const { repositories, store, publicBaseUrl } = deps;
  const router = Router();

  const adminsOnly = (what: string) => ({
    create: async (req: Request) => assertRole(viewerOf(req), ['admin'], `create ${what}`),
    update: async (req: Request) => assertRole(viewerOf(req), ['admin'], `change ${what}`),
    visible: () => true,
  });
  router.use(
    resourceRoutes({ path: '/api/libraries', repository: repositories.libraries, filters: [], guard: adminsOnly('libraries') }),
    resourceRoutes({ path: '/api/collections', repository: repositories.collections, filters: ['libraryId', 'category'], guard: adminsOnly('collections') }),
    resourceRoutes({
      path: '/api/items',
      repository: repositories.items,
      filters: ['collectionId', 'identifier', 'status'],
      present: async (item) => presentItem(item, await repositories.pages.listByItem(item.id), publicBaseUrl),
      guard: {
        create: async (req, input) => {
          const collection = await repositories.collections.getById(String((input as { collectionId?: unknown }).collectionId ?? ''));
          assertCanChangeLibrary(viewerOf(req), collection.libraryId, 'register documents in this collection');
        },
        update: async (req, item) => assertCanChangeLibrary(viewerOf(req), item.libraryId, 'change this document'),
        // Only documents whose content the viewer may see (staff see all): no titles of confidential ones.
        visible: (req, item) => canSeeContent(item.effectiveAccessLevel, viewerOf(req)),
      },
    }),
  );

  /** The item, when the viewer may change it (operators of its library, administrators). */
  const changeableItem = async (req: Request, itemId: string, what: string) => {
    const item = await repositories.items.getById(itemId);
    assertCanChangeLibrary(viewerOf(req), item.libraryId, what);
    return item;
  };

  /**
   * Pages from files: either the files themselves (`multipart/form-data`, small scans), or
   * finished resumable uploads (`application/json`: `{ uploads: [{ id, sha256? }] }`, in page
   * order). The second form is idempotent: an upload already added answers with the pages it
   * made, found by its sha256.
   */
  router.post('/api/items/:itemId/pages', async (req, res) => {
    const item = await changeableItem(req, req.params.itemId as string, 'add pages to this document');
    if (req.is('application/json')) {
      const { uploads } = parseInput(commitSchema, req.body, 'uploads to add (send { "uploads": [{ "id": "<upload id>", "sha256": "<64 hex digits>" }] })');
      const results: IngestedFile[] = [];
      for (const entry of uploads) results.push(await addUpload(item.id, entry));
      res.status(202).json({ itemId: item.id, files: results, pageIds: [...new Set(results.flatMap((result) => result.pageIds))] });
      return;
    }
    const upload = await receiveMultipartUpload(req, deps.spoolDir, deps.uploadLimits);
    try {
      const results = [];
      for (const file of upload.files) results.push(await deps.ingest.ingest(item.id, file));
      res.status(202).json({
        itemId: item.id,
        files: results,
        pageIds: [...new Set(results.flatMap((result) => result.pageIds))],
      });
    } finally {
      await upload.discard();
    }
  });

  /** One finished upload into pages: hashed, checked against what the client declared, ingested, deleted. */
  const addUpload = async (itemId: string, entry: { id: string; sha256?: string }): Promise<IngestedFile> => {
    let upload;
    try {
      upload = await deps.resumableUploads.completed(entry.id, itemId);
    } catch (error) {
      const earlier = isAppError(error) && error.code === 'NOT_FOUND' && entry.sha256 !== undefined
        ? await repositories.pages.listByMaster(itemId, entry.sha256)
        : [];
      if (earlier.length === 0) throw error;
      return { filename: earlier[0]!.label ?? entry.id, sha256: entry.sha256!, pageIds: earlier.map((page) => page.id), duplicate: true };
    }
    const sha256 = await deps.resumableUploads.sha256(upload);
    const declared = [upload.declaredSha256, entry.sha256].filter((value) => value !== undefined);
    if (declared.some((value) => value !== sha256)) {
      await deps.resumableUploads.remove(entry.id);
      throw new ChecksumMismatchError(
        `File "${upload.file.filename}" arrived damaged: its sha256 is ${sha256}, the client declared ${declared.join(' / ')}. The upload was deleted; send the file again.`,
      );
    }
    let ingested;
    try {
      ingested = await deps.ingest.ingest(itemId, { ...upload.file, sha256 });
    } catch (error) {
      // A file the pipeline never accepts stays useless however often it is retried.
      if (isAppError(error) && error.code === 'INVALID_INPUT') await deps.resumableUploads.remove(entry.id);
      throw error;
    }
    await deps.resumableUploads.remove(entry.id);
    return ingested;
  };

  /**
   * `{ pageIds }` in the new reading order (every page once). A digitised document is packaged
   * again, so its PDF and manifest follow the new order.
   */
  router.put('/api/items/:itemId/page-order', async (req, res) => {
    const item = await changeableItem(req, req.params.itemId as string, 'reorder the pages of this document');
    const { pageIds } = parseInput(pageOrderSchema, req.body, 'page order (send { "pageIds": ["<page id>", …] } in reading order)');
    const pages = await repositories.pages.reorder(item.id, pageIds);
    const repackaging = item.status === 'digitised';
    if (repackaging) await deps.processing.processItem(item.id);
    res.json({ itemId: item.id, pageIds: pages.map((page) => page.id), repackaging });
  });

  router.post('/api/items/:itemId/process', async (req, res) => {
    await changeableItem(req, req.params.itemId as string, 'process this document');
    const { queuedPages } = await deps.processing.processItem(req.params.itemId as string);
    res.status(202).json({ itemId: req.params.itemId, queuedPages });
  });

  router.get('/api/items/:itemId/events', async (req, res) => {
    const item = await repositories.items.getById(req.params.itemId as string);
    if (!canSeeContent(item.effectiveAccessLevel, viewerOf(req))) throw new NotFoundError(`No document ${item.id} here`);
    await streamItemProgress(req, res, repositories, { pollMs: deps.progressPollMs, shutdown: deps.shutdown });
  });

  router.get('/api/items/:itemId/pdf', async (req, res) => {
    const item = await repositories.items.getById(req.params.itemId as string);
    await seeContent(req, item, 'pdf');
    await sendObject(res, store, packageKey(item.id, 'document.pdf'), {
      contentType: 'application/pdf',
      filename: `${item.identifier.replace(/[^\p{L}\p{N}._-]+/gu, '_')}.pdf`,
    });
  });

  /** A page whose item's content the viewer may see. */
  const readablePage = async (req: Request, pageId: string, door: string) => {
    const page = await repositories.pages.getById(pageId);
    await seeContent(req, await repositories.items.getById(page.itemId), door);
    return page;
  };

  router.post('/api/pages/:pageId/reprocess', async (req, res) => {
    const page = await repositories.pages.getById(req.params.pageId as string);
    await changeableItem(req, page.itemId, 're-run pages of this document');
    const from = fromStage(req);
    await deps.processing.reprocessPage(req.params.pageId as string, from);
    res.status(202).json({ pageId: req.params.pageId, from });
  });

  router.get('/api/pages/:pageId/text', async (req, res) => {
    const page = await readablePage(req, req.params.pageId as string, 'text');
    await sendObject(res, store, storedDerivativeKey(page, 'text'), { contentType: 'text/plain; charset=utf-8' });
  });

  router.get('/api/pages/:pageId/hocr', async (req, res) => {
    const page = await readablePage(req, req.params.pageId as string, 'hocr');
    await sendObject(res, store, storedDerivativeKey(page, 'hocr'), { contentType: 'text/vnd.hocr+html; charset=utf-8' });
  });

  router.get('/api/pages/:pageId/thumbnail', async (req, res) => {
    const page = await readablePage(req, req.params.pageId as string, 'thumbnail');
    await sendObject(res, store, storedDerivativeKey(page, 'thumb'), { contentType: 'image/jpeg' });
  });

  return router;
}

function fromStage(req: Request): PageStage {
  const from = req.query.from ?? PAGE_STAGES[0];
  if (typeof from !== 'string' || !(PAGE_STAGES as readonly string[]).includes(from)) {
    throw new InvalidInputError(`Query "from" must be one of ${PAGE_STAGES.join(', ')}`);
  }
  return from as PageStage;
}

/** The key a page's derivative was stored under, or NotFoundError while its stage has not run. */
function storedDerivativeKey(page: Page, kind: string): string {
  const key = page.derivatives[kind];
  if (key === undefined) {
    throw new NotFoundError(`Page ${page.seq} has no ${kind} yet: its processing has not reached that stage`, {
      details: { status: page.status },
    });
  }
  return key;
}

/** The item with its pages in order and links to what exists of each. */
function presentItem(item: Item, pages: Page[], baseUrl: string) {
  const api = `${baseUrl}/api`;
  return {
    ...item,
    links: item.status === 'digitised' ? { pdf: `${api}/items/${item.id}/pdf`, manifest: `${baseUrl}/iiif/manifest/${item.id}` } : {},
    pages: pages.map((page) => ({
      id: page.id,
      seq: page.seq,
      label: page.label,
      status: page.status,
      stages: page.stages,
      failureReason: pageFailureReason(page),
      warnings: page.warnings,
      skewAngle: page.skewAngle,
      ocrConfidence: page.ocrConfidence,
      master: { sha256: page.masterSha256, size: page.masterSize, contentType: page.contentType, page: page.masterPage },
      width: page.width,
      height: page.height,
      dpi: page.dpi,
      imageWidth: page.imageWidth,
      imageHeight: page.imageHeight,
      links: Object.fromEntries(
        (
          [
            ['thumbnail', 'thumb', `${api}/pages/${page.id}/thumbnail`],
            ['text', 'text', `${api}/pages/${page.id}/text`],
            ['hocr', 'hocr', `${api}/pages/${page.id}/hocr`],
          ] as const
        )
          .filter(([, kind]) => page.derivatives[kind] !== undefined)
          .map(([name, , url]) => [name, url]),
      ),
    })),
  };
}

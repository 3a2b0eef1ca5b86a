import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { createRepositories, isVerticalProfile, type Item, type Page, type Repositories } from '../../repository/index.ts';
import type { OcrResult } from '../ocr/index.ts';
import { buildManifest, buildSearchablePdf, type SearchablePdfPage } from '../package/index.ts';
import type { JobContext } from '../queue/job-queue.port.ts';
import { derivativeKey, packageKey } from '../../storage/index.ts';
import type { PipelineDependencies } from './pipeline-dependencies.ts';
import type { PipelineJobs } from './pipeline-jobs.ts';
import { storeOutput } from './store-output.ts';
import { downloadObject, withWorkDir } from './work-dir.ts';

const PRINT_DPI_FALLBACK = 300;

/**
 * Job `package-item`, run once every page job of the item has finished: when all pages are
 * done, the searchable PDF and the IIIF manifest are built and stored and the item becomes
 * `digitised`; when any page failed, the item becomes `failed` (its pages say why) and nothing
 * is packaged until the operator re-runs them.
 */
export async function packageItemJob(
  deps: PipelineDependencies,
  payload: PipelineJobs['package-item'],
  context: JobContext,
): Promise<void> {
  const repositories = createRepositories(deps.database.db);
  const item = await repositories.items.getById(payload.itemId);
  const pages = await repositories.pages.listByItem(item.id);
  const unfinished = pages.filter((page) => page.status !== 'done');
  if (pages.length === 0 || unfinished.length > 0) {
    await repositories.items.update(item.id, { status: pages.length === 0 ? 'registered' : 'failed' });
    context.logger.warn({ itemId: item.id, unfinished: unfinished.map((page) => page.seq) }, 'item not packaged');
    return;
  }

  const started = performance.now();
  await withWorkDir(deps.workRoot, async (dir) => {
    const pdfPages = await fetchPdfPages(deps, item, pages, dir);
    context.signal.throwIfAborted();
    const pdfFile = path.join(dir, 'document.pdf');
    await buildSearchablePdf(
      pdfPages,
      {
        title: item.title,
        author: item.dublinCore.creator.map((creator) => creator.value).join('; ') || undefined,
        subject: item.dublinCore.description[0]?.value,
        keywords: item.dublinCore.subject.map((subject) => subject.value),
        language: item.language,
        creator: 'Thư viện số',
        pageProgression: isVerticalProfile(item.effectiveOcrProfile) ? 'right-to-left' : undefined,
      },
      pdfFile,
    );
    await storeOutput(deps.store, repositories, pdfFile, {
      key: packageKey(item.id, 'document.pdf'),
      contentType: 'application/pdf',
      kind: 'pdf',
      itemId: item.id,
    });

    const manifestFile = path.join(dir, 'manifest.json');
    await writeFile(manifestFile, JSON.stringify(await manifestFor(repositories, deps, item, pages)), 'utf8');
    await storeOutput(deps.store, repositories, manifestFile, {
      key: packageKey(item.id, 'manifest.json'),
      contentType: 'application/ld+json',
      kind: 'manifest',
      itemId: item.id,
    });
  });

  // The first packaging dates the digitisation; a later one (an OCR correction, pages reordered)
  // rebuilds the files without moving the item in the progress statistics.
  await repositories.items.update(item.id, { status: 'digitised' });
  context.logger.info(
    { itemId: item.id, pages: pages.length, durationMs: Math.round(performance.now() - started) },
    'item digitised',
  );
}

/** Downloads each page's print JPEG and OCR boxes; one page at a time is all the PDF writer holds. */
async function fetchPdfPages(deps: PipelineDependencies, item: Item, pages: Page[], dir: string): Promise<SearchablePdfPage[]> {
  const result: SearchablePdfPage[] = [];
  for (const page of pages) {
    const jpegPath = await downloadObject(deps.store, derivativeKey(item.id, page.id, 'print.jpg'), path.join(dir, `${page.seq}.jpg`));
    const ocrPath = await downloadObject(deps.store, derivativeKey(item.id, page.id, 'ocr.json'), path.join(dir, `${page.seq}.json`));
    const ocr = JSON.parse(await readFile(ocrPath, 'utf8')) as OcrResult;
    const { width, height } = await jpegSize(jpegPath);
    // The print JPEG is the deskewed image scaled down; its resolution follows from the scale.
    const scale = page.imageWidth ? width / page.imageWidth : 1;
    const dpi = page.dpi ? Math.max(1, Math.round(page.dpi * scale)) : PRINT_DPI_FALLBACK;
    result.push({ jpegPath, widthPx: width, heightPx: height, dpi, ocr });
  }
  return result;
}

async function jpegSize(file: string): Promise<{ width: number; height: number }> {
  const { width, height } = await sharp(file).metadata();
  return { width, height };
}

async function manifestFor(repositories: Repositories, deps: PipelineDependencies, item: Item, pages: Page[]) {
  const collection = await repositories.collections.getById(item.collectionId);
  const library = await repositories.libraries.getById(collection.libraryId);
  return buildManifest({
    baseUrl: deps.publicBaseUrl,
    item: {
      id: item.id,
      identifier: item.identifier,
      title: item.title,
      dublinCore: item.dublinCore,
      language: item.language,
      accessLevel: item.effectiveAccessLevel,
      ocrProfile: item.effectiveOcrProfile,
    },
    collection: { id: collection.id, title: collection.title },
    library: { id: library.id, name: library.name },
    pages: pages.map((page) => ({
      id: page.id,
      seq: page.seq,
      label: page.label,
      width: page.imageWidth as number,
      height: page.imageHeight as number,
      hasOcr: page.derivatives.hocr !== undefined,
    })),
  });
}

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createRepositories,
  isVerticalProfile,
  PAGE_STAGES,
  type Collection,
  type Item,
  type Page,
  type PageStage,
  type Repositories,
} from '../../repository/index.ts';
import type { JobContext } from '../queue/job-queue.port.ts';
import { buildPrintJpeg, buildPyramid, buildThumbnail } from '../stages/derivatives.stage.ts';
import { deskewPage } from '../stages/deskew.stage.ts';
import { validatePage } from '../stages/validate.stage.ts';
import { derivativeKey, type DerivativeFile } from '../../storage/index.ts';
import type { PipelineDependencies } from './pipeline-dependencies.ts';
import type { PipelineJobs } from './pipeline-jobs.ts';
import { storeOutput } from './store-output.ts';
import { downloadObject, withWorkDir } from './work-dir.ts';

/** What one run of a page's stages shares: the page's context and the local files made so far. */
interface PageRun {
  deps: PipelineDependencies;
  repositories: Repositories;
  page: Page;
  item: Item;
  collection: Collection;
  dir: string;
  context: JobContext;
  master?: string;
  deskewed?: string;
  printJpeg?: string;
}

/**
 * The stages to run: from `fromStage`, or from the first stage not done, whichever is
 * earlier. The deskewed image is not kept between runs, so re-making derivatives re-runs
 * deskew (which is deterministic).
 */
export function stagesToRun(page: Page, fromStage?: PageStage): PageStage[] {
  const firstNotDone = PAGE_STAGES.findIndex((stage) => page.stages[stage]?.status !== 'done');
  const requested = fromStage === undefined ? PAGE_STAGES.length : PAGE_STAGES.indexOf(fromStage);
  let start = Math.min(firstNotDone === -1 ? PAGE_STAGES.length : firstNotDone, requested);
  if (PAGE_STAGES[start] === 'derivatives') start = PAGE_STAGES.indexOf('deskew');
  return PAGE_STAGES.slice(start);
}

/** Job `process-page`: load, run each stage recording its status, store outputs, return. */
export async function processPageJob(
  deps: PipelineDependencies,
  payload: PipelineJobs['process-page'],
  context: JobContext,
): Promise<void> {
  const repositories = createRepositories(deps.database.db);
  const page = await repositories.pages.getById(payload.pageId);
  const item = await repositories.items.getById(page.itemId);
  const collection = await repositories.collections.getById(item.collectionId);
  const stages = stagesToRun(page, payload.fromStage);
  if (stages.length === 0) return;
  if (item.status !== 'processing') await repositories.items.update(item.id, { status: 'processing' });

  await withWorkDir(deps.workRoot, async (dir) => {
    const run: PageRun = { deps, repositories, page, item, collection, dir, context };
    for (const stage of stages) {
      context.signal.throwIfAborted();
      await repositories.pages.setStageStatus(page.id, stage, 'running');
      const started = performance.now();
      try {
        await runStage[stage](run);
      } catch (error) {
        await repositories.pages.setStageStatus(page.id, stage, 'failed', (error as Error).message);
        throw error;
      }
      await repositories.pages.setStageStatus(page.id, stage, 'done');
      context.logger.info({ pageId: page.id, stage, durationMs: Math.round(performance.now() - started) }, 'stage done');
    }
  });
}

async function masterFile(run: PageRun): Promise<string> {
  run.master ??= await downloadObject(
    run.deps.store,
    run.page.masterKey,
    path.join(run.dir, `master${path.extname(run.page.masterKey)}`),
  );
  return run.master;
}

function masterSource(run: PageRun, file: string) {
  return run.page.masterPage === null ? { path: file } : { path: file, page: run.page.masterPage };
}

const THUMBNAIL_SIZE = 400;

/** Index of the smallest level whose long side is at least `size` (level 0 when none is smaller). */
export function smallestLevelAtLeast(levels: readonly { width: number; height: number }[], size: number): number {
  let chosen = 0;
  levels.forEach((level, index) => {
    if (Math.max(level.width, level.height) >= size) chosen = index;
  });
  return chosen;
}

/** Stores a page's derivative under its deterministic key and points the page at it. */
async function storeDerivative(
  run: PageRun,
  local: string,
  output: { file: DerivativeFile; kind: string; contentType: string },
): Promise<void> {
  const { key } = await storeOutput(run.deps.store, run.repositories, local, {
    key: derivativeKey(run.item.id, run.page.id, output.file),
    contentType: output.contentType,
    kind: output.kind,
    itemId: run.item.id,
    pageId: run.page.id,
  });
  await run.repositories.pages.setDerivative(run.page.id, output.kind, key);
}

const runStage: Record<PageStage, (run: PageRun) => Promise<void>> = {
  async validate(run) {
    const result = await validatePage(masterSource(run, await masterFile(run)), {
      minDpi: run.collection.minDpi,
      maxPixels: run.deps.maxPixels,
    });
    await run.repositories.pages.update(run.page.id, {
      width: result.width,
      height: result.height,
      dpi: result.dpi,
      warnings: result.warnings,
    });
  },

  async deskew(run) {
    const out = path.join(run.dir, 'deskewed.tif');
    // OSD reads vertical Hán-Nôm columns as text turned by 90°: never ask it about them.
    const detectOrientation = !isVerticalProfile(run.item.effectiveOcrProfile);
    const result = await deskewPage(masterSource(run, await masterFile(run)), out, {
      detectOrientation,
      orientationDetector: detectOrientation ? await run.deps.orientationDetector() : undefined,
    });
    run.deskewed = out;
    await run.repositories.pages.update(run.page.id, {
      skewAngle: result.angle,
      imageWidth: result.width,
      imageHeight: result.height,
    });
    run.context.logger.info(
      { pageId: run.page.id, angle: result.angle, orientation: result.orientation, confidence: result.confidence },
      'deskewed',
    );
  },

  async derivatives(run) {
    const source = run.deskewed as string;
    const limits = { maxPixels: run.deps.maxPixels };
    const pyramid = path.join(run.dir, 'pyramid.tif');
    const { levels } = await buildPyramid(source, pyramid, limits);
    await storeDerivative(run, pyramid, { file: 'pyramid.tif', kind: 'pyramid', contentType: 'image/tiff' });

    // The thumbnail needs only the smallest pyramid level that is still large enough, not the full page.
    const thumb = path.join(run.dir, 'thumb.jpg');
    await buildThumbnail({ path: pyramid, page: smallestLevelAtLeast(levels, THUMBNAIL_SIZE) }, thumb, { ...limits, maxSize: THUMBNAIL_SIZE });
    await storeDerivative(run, thumb, { file: 'thumb.jpg', kind: 'thumb', contentType: 'image/jpeg' });

    run.printJpeg = path.join(run.dir, 'print.jpg');
    await buildPrintJpeg(source, run.printJpeg, limits);
    await storeDerivative(run, run.printJpeg, { file: 'print.jpg', kind: 'print', contentType: 'image/jpeg' });
  },

  async ocr(run) {
    run.printJpeg ??= await downloadObject(
      run.deps.store,
      derivativeKey(run.item.id, run.page.id, 'print.jpg'),
      path.join(run.dir, 'print.jpg'),
    );
    const engine = await run.deps.ocrEngine();
    const result = await engine.recognize({ path: run.printJpeg }, run.item.effectiveOcrProfile, { signal: run.context.signal });
    const { hocr, ...boxes } = result;
    const outputs = [
      { file: 'text.txt', kind: 'text', contentType: 'text/plain; charset=utf-8', body: result.text },
      { file: 'ocr.hocr', kind: 'hocr', contentType: 'text/vnd.hocr+html; charset=utf-8', body: hocr },
      { file: 'ocr.json', kind: 'ocr', contentType: 'application/json', body: JSON.stringify(boxes) },
    ] as const;
    for (const output of outputs) {
      const local = path.join(run.dir, output.file);
      await writeFile(local, output.body, 'utf8');
      await storeDerivative(run, local, output);
    }
    await run.repositories.pages.update(run.page.id, { ocrConfidence: result.meanConfidence });
    await run.repositories.pages.setText(run.page.id, run.item.id, result.text);
  },
};

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type tesseract from 'tesseract.js';

import type { OcrProfile } from '../../repository/index.ts';
import { AppError, UpstreamError } from '../../storage/index.ts';
import type { GreyRaster } from '../stages/skew-raster.ts';
import { buildHocr } from './build-hocr.ts';
import { cropColumns, findVerticalColumns } from './layout/index.ts';
import type { OcrEngine, OcrImage, OcrRecognizeOptions } from './ocr-engine.port.ts';
import type { OcrBlock } from './ocr-layout.ts';
import type { OcrLogger } from './ocr-logger.ts';
import type { OcrLine, OcrResult } from './ocr-result.ts';
import { parseTesseractBlocks, plainText } from './parse-tesseract-blocks.ts';
import { chooseLayout, PAGE_SEGMENTATION_MODE, prepareTesseractImage, type PreparedImage } from './prepare-tesseract-image.ts';
import { decodeGreyPage, readImageInfo, type ImageInfo } from './read-page-image.ts';
import { parseTesseractColumn, unionBox } from './tesseract-column-line.ts';
import { assembleLanguageData, TESSERACT_DATA_VARIANTS, type TesseractDataVariant } from './tesseract-language-data.ts';
import { tesseractProfile, type TesseractProfile } from './tesseract-profile.ts';
import type { ReadColumnsOptions, VerticalColumnReader } from './vertical-column-reader.port.ts';
import { meanWordConfidence, moveLine } from './vertical-page-result.ts';
import { TesseractWorkerPool, type TesseractWorkerOptions } from './tesseract-worker-pool.ts';

export interface TesseractOcrEngineOptions {
  /** Most Tesseract workers (threads, one page each) at once. Default: the number of CPU cores. */
  poolSize?: number;
  /**
   * Which model set of the `@tesseract.js-data/*` packages to load. Default `4.0.0_best_int`:
   * on the Quốc ngữ samples it reads exactly as `4.0.0` does (the LSTM models are the same), and
   * its files are smaller (chi_tra: 1.6 MB instead of 27 MB), so workers start sooner.
   */
  dataVariant?: TesseractDataVariant;
  /**
   * A folder the engine may write to. It holds the language data folder handed to Tesseract
   * (links to the npm packages' files). Default: a new temporary folder, removed by `close`.
   */
  cacheDir?: string;
  /** A worker that has not loaded its models in this time is abandoned (UpstreamError). Default: 60 s. */
  startTimeoutMs?: number;
  logger?: OcrLogger;
}

const DEFAULT_START_TIMEOUT_MS = 60_000;

/**
 * The `OcrEngine` on Tesseract 5 (tesseract.js 7, WebAssembly, in worker threads), reading
 * language data from the `@tesseract.js-data/*` npm packages only.
 *
 * Profiles: `vie` → `vie`, automatic page segmentation; `han` → `chi_tra`; `vie+han` →
 * `vie+chi_tra`; `han-vert` → `chi_tra_vert`, one word per character (Tesseract's symbols).
 * An image at least three times taller than wide is a single column (turned 90°
 * counter-clockwise, read as one line, PSM 7); any other `han-vert` image is a page, cut into
 * columns by `findVerticalColumns`, each read as such a column on the same worker: one line per
 * column, main columns right to left, each followed by its notes. Every image gets a 12 px
 * white border first. Boxes are mapped back to the input's pixels.
 */
export class TesseractOcrEngine implements OcrEngine, VerticalColumnReader {
  /** What every worker is given: `langPath` is a local folder, `cacheMethod` is `none`. */
  readonly workerOptions: Readonly<TesseractWorkerOptions>;
  readonly dataVariant: TesseractDataVariant;
  readonly #pool: TesseractWorkerPool;
  readonly #logger: OcrLogger | undefined;
  /** A folder made by `create`, to remove on `close`. */
  readonly #ownedFolder: string | undefined;
  #closed: Promise<void> | undefined;

  private constructor(
    pool: TesseractWorkerPool,
    workerOptions: TesseractWorkerOptions,
    dataVariant: TesseractDataVariant,
    logger: OcrLogger | undefined,
    ownedFolder: string | undefined,
  ) {
    this.#pool = pool;
    this.workerOptions = Object.freeze({ ...workerOptions });
    this.dataVariant = dataVariant;
    this.#logger = logger;
    this.#ownedFolder = ownedFolder;
  }

  /**
   * Checks the language data and prepares its folder; no worker starts until the first page.
   *
   * @throws ConfigurationError when a language package or file is missing, or the folder cannot be written.
   * @throws RangeError for a pool size that is not a positive integer or an unknown data variant.
   */
  static async create(options: TesseractOcrEngineOptions = {}): Promise<TesseractOcrEngine> {
    const dataVariant = options.dataVariant ?? '4.0.0_best_int';
    if (!TESSERACT_DATA_VARIANTS.includes(dataVariant)) {
      throw new RangeError(`Unknown Tesseract data variant "${String(dataVariant)}": use ${TESSERACT_DATA_VARIANTS.join(' or ')}.`);
    }
    const size = options.poolSize ?? Math.max(1, os.availableParallelism());
    const ownedFolder = options.cacheDir === undefined ? await mkdtemp(path.join(os.tmpdir(), 'tesseract-data-')) : undefined;
    try {
      const langPath = path.resolve(options.cacheDir ?? ownedFolder!, `tessdata-${dataVariant}`);
      await assembleLanguageData(langPath, dataVariant);
      const workerOptions: TesseractWorkerOptions = { langPath, cacheMethod: 'none', gzip: true };
      const pool = new TesseractWorkerPool({
        size,
        workerOptions,
        startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      });
      return new TesseractOcrEngine(pool, workerOptions, dataVariant, options.logger, ownedFolder);
    } catch (error) {
      if (ownedFolder !== undefined) await rm(ownedFolder, { recursive: true, force: true });
      throw error;
    }
  }

  async recognize(image: OcrImage, profile: OcrProfile, options: OcrRecognizeOptions = {}): Promise<OcrResult> {
    const { signal } = options;
    if (this.#closed !== undefined) {
      throw new UpstreamError('The OCR engine was closed (the worker process is shutting down); the job will be retried.');
    }
    signal?.throwIfAborted();
    const plan = tesseractProfile(profile);
    const languages = plan.languages.join('+');
    const info = await readImageInfo(image); // a bad image fails here, before waiting for a worker
    const layout = chooseLayout(plan.direction, info.width, info.height);
    const startedAt = Date.now();

    const { blocks, version } = await this.#pool.run(languages, signal, async (worker) => {
      const raster = await decodeGreyPage(image, info);
      if (layout === 'vertical-page') return readVerticalPage(worker, raster, info, plan, languages, signal);
      const prepared = prepareTesseractImage(raster, layout, info.dpi);
      const page = await recognizeWithTesseract(worker, prepared, languages);
      if (layout === 'page') return { blocks: parseTesseractBlocks(page.blocks, prepared.transform, plan), version: page.version };
      const line = parseTesseractColumn(page.blocks, prepared.transform, plan);
      return { blocks: line === undefined ? [] : [singleBlock([line])], version: page.version };
    });

    const words = blocks.flatMap((block) => block.paragraphs.flatMap((p) => p.lines.flatMap((line) => line.words)));
    const meanConfidence = meanWordConfidence(words);
    const result: OcrResult = {
      text: plainText(blocks),
      lines: blocks.flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines)),
      meanConfidence,
      hocr: buildHocr({
        blocks,
        width: info.width,
        height: info.height,
        dpi: info.dpi,
        languages,
        direction: plan.direction,
        ocrSystem: version === undefined ? 'tesseract.js 7' : `tesseract.js 7 (Tesseract ${version})`,
      }),
      languages,
      direction: plan.direction,
      imageWidth: info.width,
      imageHeight: info.height,
    };
    this.#logger?.debug?.(
      { profile, languages, layout, ms: Date.now() - startedAt, words: words.length, meanConfidence: Math.round(meanConfidence) },
      'Page recognised',
    );
    return result;
  }

  /** `VerticalColumnReader`: the crops read with `han-vert`'s data, one after the other on one worker. */
  async readColumns(crops: readonly GreyRaster[], options: ReadColumnsOptions): Promise<(OcrLine | undefined)[]> {
    if (this.#closed !== undefined) {
      throw new UpstreamError('The OCR engine was closed (the worker process is shutting down); the job will be retried.');
    }
    const plan = tesseractProfile('han-vert');
    const languages = plan.languages.join('+');
    return this.#pool.run(languages, options.signal, async (worker) => {
      const lines: (OcrLine | undefined)[] = [];
      for (const crop of crops) {
        options.signal?.throwIfAborted();
        const prepared = prepareTesseractImage(crop, 'vertical-column', options.dpi);
        const page = await recognizeWithTesseract(worker, prepared, languages);
        lines.push(parseTesseractColumn(page.blocks, prepared.transform, plan));
      }
      return lines;
    });
  }

  /** Stops all workers and removes the temporary data folder it made. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#pool.close();
      if (this.#ownedFolder !== undefined) await rm(this.#ownedFolder, { recursive: true, force: true });
    })();
    return this.#closed;
  }
}

interface ReadPage {
  blocks: OcrBlock[];
  /** Tesseract's version, when it was asked anything. */
  version: string | undefined;
}

/**
 * Reads a page of vertical columns column by column: each crop is read exactly as a column
 * image on its own would be (`vertical-column`, whatever its shape: a note of one or two
 * characters is not three times taller than wide), and its boxes are moved back onto the page.
 * The lines make one block; a column Tesseract reads nothing in gives no line.
 */
async function readVerticalPage(
  worker: tesseract.Worker,
  raster: GreyRaster,
  info: ImageInfo,
  plan: TesseractProfile,
  languages: string,
  signal: AbortSignal | undefined,
): Promise<ReadPage> {
  const lines: OcrLine[] = [];
  let version: string | undefined;
  for (const crop of cropColumns(raster, (page) => findVerticalColumns(page))) {
    signal?.throwIfAborted();
    const prepared = prepareTesseractImage(crop.raster, 'vertical-column', info.dpi);
    const page = await recognizeWithTesseract(worker, prepared, languages);
    version = page.version;
    const line = parseTesseractColumn(page.blocks, prepared.transform, plan);
    if (line === undefined) continue;
    lines.push({ ...moveLine(line, crop.box), box: crop.box });
  }
  return { blocks: lines.length === 0 ? [] : [singleBlock(lines)], version };
}

/** Lines as one block of one paragraph: their text is then the lines, one per row. */
function singleBlock(lines: OcrLine[]): OcrBlock {
  const box = unionBox(lines.map((line) => line.box));
  return { box, paragraphs: [{ box, lines }] };
}

/** Runs Tesseract on a prepared image; its failures become retryable UpstreamErrors. */
async function recognizeWithTesseract(
  worker: tesseract.Worker,
  prepared: PreparedImage,
  languages: string,
): Promise<tesseract.Page> {
  // Set in full before every image: a worker is reused for pages of other layouts.
  const parameters: Partial<tesseract.WorkerParams> = {
    tessedit_pageseg_mode: PAGE_SEGMENTATION_MODE[prepared.layout] as tesseract.PSM,
    user_defined_dpi: String(prepared.dpi),
  };
  try {
    await worker.setParameters(parameters);
    const { data } = await worker.recognize(prepared.data, {}, { text: false, blocks: true });
    return data;
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new UpstreamError(
      `Tesseract (${languages}) failed on the page: ${String(cause)}. The job will be retried.`,
      { cause, details: { languages } },
    );
  }
}

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type tesseract from 'tesseract.js';

import type { OcrProfile } from '../../repository/index.ts';
import { AppError, UpstreamError } from '../../storage/index.ts';
import { buildHocr } from './build-hocr.ts';
import type { OcrEngine, OcrImage, OcrRecognizeOptions } from './ocr-engine.port.ts';
import type { OcrLogger } from './ocr-logger.ts';
import type { OcrResult } from './ocr-result.ts';
import { parseTesseractBlocks, plainText } from './parse-tesseract-blocks.ts';
import {
  chooseLayout,
  PAGE_SEGMENTATION_MODE,
  prepareTesseractImage,
  readImageInfo,
  type PreparedImage,
} from './prepare-tesseract-image.ts';
import { assembleLanguageData, TESSERACT_DATA_VARIANTS, type TesseractDataVariant } from './tesseract-language-data.ts';
import { tesseractProfile } from './tesseract-profile.ts';
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
 * `vie+chi_tra`; `han-vert` → `chi_tra_vert`, either a whole page (ruling lines removed, one
 * block of vertical text, PSM 5) or, for an image at least three times taller than wide, a
 * single column (turned 90° counter-clockwise, read as one line, PSM 7); columns come out right
 * to left. Every image gets a 12 px white border first. Boxes are mapped back to the input's pixels.
 */
export class TesseractOcrEngine implements OcrEngine {
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

    const { prepared, page } = await this.#pool.run(languages, signal, async (worker) => {
      const ready = await prepareTesseractImage(image, info, layout);
      return { prepared: ready, page: await recognizeWithTesseract(worker, ready, languages) };
    });

    const blocks = parseTesseractBlocks(page.blocks, prepared.transform, plan);
    const words = blocks.flatMap((block) => block.paragraphs.flatMap((p) => p.lines.flatMap((line) => line.words)));
    const meanConfidence =
      words.length === 0 ? 0 : words.reduce((sum, word) => sum + word.confidence, 0) / words.length;
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
        ocrSystem: `tesseract.js 7 (Tesseract ${page.version})`,
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

  /** Stops all workers and removes the temporary data folder it made. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#pool.close();
      if (this.#ownedFolder !== undefined) await rm(this.#ownedFolder, { recursive: true, force: true });
    })();
    return this.#closed;
  }
}

/** Runs Tesseract on a prepared image; its failures become retryable UpstreamErrors. */
async function recognizeWithTesseract(
  worker: tesseract.Worker,
  prepared: PreparedImage,
  languages: string,
): Promise<tesseract.Page> {
  // Set in full before every page: a worker is reused for pages of other layouts.
  const parameters: Partial<tesseract.WorkerParams> = {
    tessedit_pageseg_mode: PAGE_SEGMENTATION_MODE[prepared.layout] as tesseract.PSM,
    user_defined_dpi: String(prepared.dpi),
    textord_tabfind_force_vertical_text: prepared.layout === 'vertical-page' ? '1' : '0',
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

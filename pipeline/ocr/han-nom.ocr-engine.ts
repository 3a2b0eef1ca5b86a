import type { OcrProfile } from '../../repository/index.ts';
import { UpstreamError } from '../../storage/index.ts';
import { chooseColumnReading, type ColumnReadingSource } from './choose-column-reading.ts';
import { cropColumns, findVerticalColumns, type ColumnCrop, type ColumnFinder } from './layout/index.ts';
import type { OcrEngine, OcrImage, OcrRecognizeOptions } from './ocr-engine.port.ts';
import type { OcrLogger } from './ocr-logger.ts';
import type { OcrLine, OcrResult } from './ocr-result.ts';
import { chooseLayout } from './prepare-tesseract-image.ts';
import { decodeGreyPage, readImageInfo } from './read-page-image.ts';
import { moveLine, verticalPageResult } from './vertical-page-result.ts';
import type { VerticalColumnReader } from './vertical-column-reader.port.ts';

type ColumnEngine = OcrEngine & VerticalColumnReader;

export interface HanNomOcrEngineOptions {
  /** Reads `vie`, `han`, `han-vert`, `vie+han`, and the Hán side of `han-nom-vert`. */
  tesseract: ColumnEngine;
  /** Starts the Nôm recogniser; called on first use only (its models take seconds to load). */
  startNom: () => Promise<ColumnEngine>;
  findColumns?: ColumnFinder;
  logger?: OcrLogger;
}

/**
 * The engine the pipeline holds: each profile goes to the engine that reads it — `nom-vert` to
 * the Nôm recogniser, the Tesseract profiles to Tesseract — and `han-nom-vert` (pages mixing
 * Hán and Nôm) is read column by column by both, keeping per column the more confident reading.
 */
export class HanNomOcrEngine implements OcrEngine {
  readonly #options: HanNomOcrEngineOptions;
  #nom: Promise<ColumnEngine> | undefined;
  #closed = false;

  constructor(options: HanNomOcrEngineOptions) {
    this.#options = options;
  }

  async recognize(image: OcrImage, profile: OcrProfile, options: OcrRecognizeOptions = {}): Promise<OcrResult> {
    if (this.#closed) throw new UpstreamError('The OCR engine was closed (the worker process is shutting down); the job will be retried.');
    if (profile === 'nom-vert') return (await this.#startNom()).recognize(image, profile, options);
    if (profile === 'han-nom-vert') return this.#readMixedPage(image, options.signal);
    return this.#options.tesseract.recognize(image, profile, options);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const nom = this.#nom?.catch(() => undefined);
    await Promise.all([this.#options.tesseract.close(), nom?.then((engine) => engine?.close())]);
  }

  #startNom(): Promise<ColumnEngine> {
    // A failed start is forgotten, so the job's retry starts the recogniser again.
    this.#nom ??= this.#options.startNom().catch((error: unknown) => {
      this.#nom = undefined;
      throw error;
    });
    return this.#nom;
  }

  async #readMixedPage(image: OcrImage, signal: AbortSignal | undefined): Promise<OcrResult> {
    signal?.throwIfAborted();
    const info = await readImageInfo(image);
    const page = await decodeGreyPage(image, info);
    const whole: ColumnCrop = { kind: 'main', box: { x: 0, y: 0, width: page.width, height: page.height }, raster: page };
    const crops =
      chooseLayout('vertical-rl', page.width, page.height) === 'vertical-column'
        ? [whole]
        : cropColumns(page, this.#options.findColumns ?? ((raster) => findVerticalColumns(raster)));
    const rasters = crops.map((crop) => crop.raster);
    const nom = await this.#startNom();
    const [hanLines, nomLines] = await Promise.all([
      this.#options.tesseract.readColumns(rasters, { dpi: info.dpi, signal }),
      nom.readColumns(rasters, { dpi: info.dpi, signal }),
    ]);
    const lines: OcrLine[] = [];
    const sources: ColumnReadingSource[] = [];
    crops.forEach((crop, index) => {
      const chosen = chooseColumnReading(hanLines[index], nomLines[index]);
      if (chosen === undefined) return;
      sources.push(chosen.source);
      lines.push({ ...moveLine(chosen.line, crop.box), box: crop.box });
    });
    this.#options.logger?.debug?.(
      { columns: crops.length, han: sources.filter((s) => s === 'han').length, nom: sources.filter((s) => s === 'nom').length },
      'Mixed Hán-Nôm page recognised',
    );
    return verticalPageResult({
      lines,
      width: info.width,
      height: info.height,
      dpi: info.dpi,
      languages: 'chi_tra_vert+nom',
      ocrSystem: 'thu-vien-so han-nom-vert (Tesseract chi_tra_vert or the Nôm recogniser, per column)',
    });
  }
}

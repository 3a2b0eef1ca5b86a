import type { OcrProfile } from '../../../repository/index.ts';
import { InvalidInputError, UpstreamError } from '../../../storage/index.ts';
import { cropRaster, type GreyRaster, type PixelBox } from '../../stages/skew-raster.ts';
import type { ColumnFinder } from '../layout/index.ts';
import type { OcrEngine, OcrImage, OcrRecognizeOptions } from '../ocr-engine.port.ts';
import type { OcrLine, OcrResult, OcrWord } from '../ocr-result.ts';
import { decodeGreyPage, readImageInfo } from '../read-page-image.ts';
import { unionBox } from '../tesseract-column-line.ts';
import { moveLine, verticalPageResult } from '../vertical-page-result.ts';
import type { ReadColumnsOptions, VerticalColumnReader } from '../vertical-column-reader.port.ts';
import type { CorrectedCropSource } from './corrected-crop-source.ts';
import type { NomColumnRecognizer } from './nom-column-recognizer.ts';
import { NomRecognizerThread } from './nom-recognizer-thread.ts';
import type { NomCharacter, NomRecognizeOptions } from './recognize-nom-column.ts';

export const NOM_PROFILE = 'nom-vert' satisfies OcrProfile;

/** A single column crop is at least this many times taller than wide (as for Tesseract's han-vert). */
const COLUMN_ASPECT = 3;

export interface NomOcrEngineOptions {
  /** Where columns are recognised: `NomRecognizerThread` (what `create` uses) or `InThreadNomRecognizer`. */
  recognizer: NomColumnRecognizer;
  /**
   * Finds the columns of a whole page, right to left (pipeline/ocr/layout). Without one the
   * engine reads single column crops only and refuses page-shaped images.
   */
  columnFinder?: ColumnFinder;
  /** The library's corrected crops, added as templates and refreshed when they change. */
  corrections?: CorrectedCropSource;
}

/**
 * The `OcrEngine` for profile `nom-vert`: the template + language-model recogniser of
 * `recognizeNomColumn`, in TypeScript on sharp, no worker process. Each column is one line
 * (direction `vertical-rl`), each character one word carrying its ranked alternatives.
 * Recognition is CPU work of about a second per column, done by the given recognizer: on a
 * worker thread of its own when made by `create`, so a server reading pages in-process keeps
 * answering meanwhile.
 */
export class NomOcrEngine implements OcrEngine, VerticalColumnReader {
  readonly #options: NomOcrEngineOptions;
  /** The version of the corrected crops the recognizer was last given. */
  #correctionsVersion: string | undefined;
  #closed = false;

  constructor(options: NomOcrEngineOptions) {
    this.#options = options;
  }

  /**
   * An engine recognising on a worker thread that loads the data files of `dataDir` (default
   * pipeline/ocr/nom/data) when the first page comes.
   */
  static async create(
    options: Omit<NomOcrEngineOptions, 'recognizer'> & { dataDir?: string; recognize?: NomRecognizeOptions } = {},
  ): Promise<NomOcrEngine> {
    const { dataDir, recognize, ...rest } = options;
    return new NomOcrEngine({
      ...rest,
      recognizer: new NomRecognizerThread({ ...(dataDir === undefined ? {} : { dataDir }), ...(recognize === undefined ? {} : { recognize }) }),
    });
  }

  async recognize(image: OcrImage, profile: OcrProfile, options: OcrRecognizeOptions = {}): Promise<OcrResult> {
    if (this.#closed) throw new UpstreamError('The Nôm OCR engine was closed (the worker is shutting down); the job will be retried.');
    if (profile !== NOM_PROFILE) {
      throw new InvalidInputError(`The Nôm engine reads profile ${NOM_PROFILE} only, not ${profile}; route other profiles to the Tesseract engine.`);
    }
    options.signal?.throwIfAborted();
    const info = await readImageInfo(image);
    const page = await decodeGreyPage(image, info);
    const boxes = this.#columns(page);
    const read = await this.readColumns(
      boxes.map((box) => cropRaster(page, box)),
      { dpi: info.dpi, ...(options.signal === undefined ? {} : { signal: options.signal }) },
    );
    const lines = read.flatMap((line, index) => (line === undefined ? [] : [moveLine(line, boxes[index]!)]));
    return verticalPageResult({
      lines,
      width: page.width,
      height: page.height,
      dpi: info.dpi,
      languages: 'nom',
      ocrSystem: 'thu-vien-so nom-vert (glyph templates + character bigram model)',
    });
  }

  /** `VerticalColumnReader`: each crop read as one column, top to bottom. */
  async readColumns(crops: readonly GreyRaster[], options: ReadColumnsOptions): Promise<(OcrLine | undefined)[]> {
    if (this.#closed) throw new UpstreamError('The Nôm OCR engine was closed (the worker is shutting down); the job will be retried.');
    await this.#refreshCorrections();
    const columns = await this.#options.recognizer.recognizeColumns(crops, options.signal);
    return columns.map(columnLine);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#options.recognizer.close();
  }

  /** Gives the recognizer the current corrected crops when they changed since it was last given them. */
  async #refreshCorrections(): Promise<void> {
    const source = this.#options.corrections;
    if (source === undefined) return;
    const version = await source.version();
    if (version === this.#correctionsVersion) return;
    await this.#options.recognizer.useCorrections(await source.crops());
    this.#correctionsVersion = version;
  }

  #columns(page: GreyRaster): PixelBox[] {
    const whole = { x: 0, y: 0, width: page.width, height: page.height };
    if (page.height >= COLUMN_ASPECT * page.width) return [whole];
    if (!this.#options.columnFinder) {
      throw new InvalidInputError(
        `The image is ${page.width} × ${page.height} px: profile ${NOM_PROFILE} reads one column crop (at least ${COLUMN_ASPECT}× taller than wide) unless the engine is given a column finder for whole pages.`,
      );
    }
    return this.#options.columnFinder(page).map((column) => column.box);
  }
}

/** A column's characters as a line: one word per character, with the recogniser's other readings. */
function columnLine(characters: readonly NomCharacter[]): OcrLine | undefined {
  if (characters.length === 0) return undefined;
  const words: OcrWord[] = characters.map((character) => ({
    text: character.text,
    box: character.box,
    confidence: character.confidence,
    alternatives: character.alternatives.slice(1).map((alternative) => ({
      text: alternative.text,
      confidence: Math.round(100 * alternative.score),
    })),
  }));
  return { text: words.map((word) => word.text).join(''), box: unionBox(words.map((word) => word.box)), words };
}

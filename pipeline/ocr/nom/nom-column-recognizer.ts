import type { GreyRaster } from '../../stages/skew-raster.ts';
import { correctedTemplates, withCorrectedTemplates, type CorrectedCrop } from './corrected-templates.ts';
import type { NomModels } from './load-nom-models.ts';
import { recognizeNomColumn, type NomCharacter, type NomRecognizeOptions } from './recognize-nom-column.ts';

/** Where the Nôm engine's columns are recognised: on the calling thread, or on a worker thread. */
export interface NomColumnRecognizer {
  /** Each crop as one column, top to bottom: its characters with boxes in the crop's pixels. */
  recognizeColumns(crops: readonly GreyRaster[], signal?: AbortSignal): Promise<NomCharacter[][]>;
  /** From now on, the font templates plus these corrected crops (replacing earlier ones). */
  useCorrections(crops: readonly CorrectedCrop[]): Promise<void>;
  close(): Promise<void>;
}

/** The models with the corrected crops added (none: the models as loaded). */
export function modelsWithCorrections(base: NomModels, crops: readonly CorrectedCrop[]): NomModels {
  return crops.length === 0 ? base : withCorrectedTemplates(base, correctedTemplates(crops, base.templates.params));
}

/**
 * Recognition on the calling thread, yielding to the event loop between columns: for tests, the
 * evaluation harness and command-line use, where nothing else waits on the loop.
 */
export class InThreadNomRecognizer implements NomColumnRecognizer {
  readonly #base: NomModels;
  readonly #options: NomRecognizeOptions | undefined;
  #models: NomModels;

  constructor(models: NomModels, options?: NomRecognizeOptions) {
    this.#base = models;
    this.#models = models;
    this.#options = options;
  }

  async recognizeColumns(crops: readonly GreyRaster[], signal?: AbortSignal): Promise<NomCharacter[][]> {
    const columns: NomCharacter[][] = [];
    for (const crop of crops) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      columns.push(recognizeNomColumn(crop, this.#models, this.#options));
    }
    return columns;
  }

  async useCorrections(crops: readonly CorrectedCrop[]): Promise<void> {
    this.#models = modelsWithCorrections(this.#base, crops);
  }

  async close(): Promise<void> {}
}

import type { Logger } from 'pino';
import type { CharacterSampleRepository } from '../../repository/index.ts';
import { isAppError } from '../../storage/index.ts';
import type { CorrectedCropSource } from '../ocr/nom/corrected-crop-source.ts';
import type { CorrectedCrop } from '../ocr/nom/corrected-templates.ts';
import { isHanNomCharacter } from '../ocr/nom/han-nom-character.ts';
import { readGreyImage } from '../ocr/read-page-image.ts';
import { codePoints } from '../text/code-points.ts';

/**
 * The character crops operators corrected, in every library of this server, as the Nôm
 * recogniser's extra templates: a provincial server's libraries share woodblock traditions, and
 * one library's corrections help the next. Each sample's PNG is read from the store once and
 * kept, so a new correction costs one read, not one per sample.
 */
export class CharacterSampleCrops implements CorrectedCropSource {
  readonly #samples: CharacterSampleRepository;
  readonly #logger: Logger;
  #decoded = new Map<string, CorrectedCrop>();

  constructor(samples: CharacterSampleRepository, logger: Logger) {
    this.#samples = samples;
    this.#logger = logger;
  }

  version(): Promise<string> {
    return this.#samples.version();
  }

  async crops(): Promise<CorrectedCrop[]> {
    const current = new Map<string, CorrectedCrop>();
    for await (const sample of this.#samples.samples()) {
      // Boxes of Quốc ngữ pages are words, not one Hán-Nôm character: no template for them.
      const [label, ...rest] = codePoints(sample.label);
      if (label === undefined || rest.length > 0 || !isHanNomCharacter(label)) continue;
      const known = this.#decoded.get(sample.id);
      if (known !== undefined) {
        current.set(sample.id, known);
        continue;
      }
      try {
        current.set(sample.id, { label, image: await readGreyImage(await this.#samples.image(sample)) });
      } catch (error) {
        if (!isAppError(error) || error.retryable) throw error;
        this.#logger.warn({ sampleId: sample.id, key: sample.key, err: error }, 'Character sample unreadable; left out of the Nôm templates (run a fixity audit)');
      }
    }
    this.#decoded = current;
    return [...current.values()];
  }
}

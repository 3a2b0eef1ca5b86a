import { InvalidInputError } from '../../../storage/index.ts';

/** The opening verse of Truyện Kiều (Nôm), the surest sign that a file holds the poem. */
const KIEU_OPENING = '𤾓𢆥𥪞揆𠊛些';

/**
 * Throws when a corpus file looks like Truyện Kiều, by name (kieu, kiều, Kim Vân Kiều…) or by
 * its opening verse: Kiều is the evaluation text of the Nôm recogniser, so neither its
 * vocabulary nor its language model may learn from it.
 */
export function refuseEvaluationText(fileName: string, text: string): void {
  const plainName = fileName.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (/kieu/u.test(plainName) || text.normalize('NFC').includes(KIEU_OPENING)) {
    throw new InvalidInputError(
      `Corpus file ${fileName} looks like Truyện Kiều, the evaluation text of the Nôm recogniser; remove it from the corpus folder so the models stay free of it.`,
      { details: { file: fileName } },
    );
  }
}

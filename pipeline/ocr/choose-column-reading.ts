import type { OcrLine } from './ocr-result.ts';
import { meanWordConfidence } from './vertical-page-result.ts';

/** Which engine's reading of a column the combined profile keeps. */
export type ColumnReadingSource = 'han' | 'nom';

export interface ChosenReading {
  source: ColumnReadingSource;
  line: OcrLine;
}

/**
 * How many points Tesseract's mean character confidence must exceed the Nôm recogniser's by for
 * its reading to be kept. The two scales differ: Tesseract is sure of Hán look-alikes it reads
 * for Nôm (80–96 on degraded rendered Nôm columns it misread by a third or more), while the
 * recogniser's confidence is its share of its candidates' scores. Chosen on 28 degraded columns
 * rendered from the corpus (20 Hán of Đại Việt sử ký toàn thư, 8 Nôm of Lục Vân Tiên, BabelStone
 * Han at 24 px/em, blur, noise, thickening): every margin from 9.5 up to 12.6 keeps the better
 * reading of each column or one as good; 0 kept Tesseract's worse reading of 7 (6 Hán, 1 Nôm).
 * Not chosen on Truyện Kiều.
 */
export const TESSERACT_CONFIDENCE_MARGIN = 10;

/**
 * The reading of a column to keep: the Nôm recogniser's, unless Tesseract is more confident by
 * more than `margin` points (mean character confidence, 0–100). `undefined` when neither read
 * anything.
 */
export function chooseColumnReading(
  han: OcrLine | undefined,
  nom: OcrLine | undefined,
  margin: number = TESSERACT_CONFIDENCE_MARGIN,
): ChosenReading | undefined {
  const hanRead = han !== undefined && han.words.length > 0;
  const nomRead = nom !== undefined && nom.words.length > 0;
  if (!hanRead) return nomRead ? { source: 'nom', line: nom } : undefined;
  if (!nomRead) return { source: 'han', line: han };
  return meanWordConfidence(han.words) > meanWordConfidence(nom.words) + margin ? { source: 'han', line: han } : { source: 'nom', line: nom };
}

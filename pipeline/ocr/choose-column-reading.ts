import type { OcrLine } from './ocr-result.ts';

/** Which engine's reading of a column the combined profile keeps. */
export type ColumnReadingSource = 'han' | 'nom';

export interface ChosenReading {
  source: ColumnReadingSource;
  line: OcrLine;
}

function meanConfidence(line: OcrLine): number {
  return line.words.reduce((sum, word) => sum + word.confidence, 0) / line.words.length;
}

/**
 * The more confident of two readings of one column (mean character confidence, 0–100):
 * Tesseract's Hán model is sure of the Hán it knows and unsure of Nôm, which it has never seen,
 * while the Nôm recogniser's templates cover both. A tie goes to Tesseract, whose Hán is the
 * better read where it is confident. `undefined` when neither read anything.
 */
export function chooseColumnReading(han: OcrLine | undefined, nom: OcrLine | undefined): ChosenReading | undefined {
  const hanRead = han !== undefined && han.words.length > 0;
  const nomRead = nom !== undefined && nom.words.length > 0;
  if (!hanRead) return nomRead ? { source: 'nom', line: nom } : undefined;
  if (!nomRead) return { source: 'han', line: han };
  return meanConfidence(nom) > meanConfidence(han) ? { source: 'nom', line: nom } : { source: 'han', line: han };
}

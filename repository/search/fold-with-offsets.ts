import { foldVietnamese } from '../text/fold-vietnamese.ts';

/**
 * Folds one code point the way the database's `lower(immutable_unaccent(…))` folds
 * Vietnamese (see `foldVietnamese`). A lone combining mark folds to the empty string.
 */
export function foldCodePoint(codePoint: string): string {
  return foldVietnamese(codePoint);
}

/** A text folded per code point, with the way back to the original. */
export interface FoldedText {
  /** The original text split into code points (a non-BMP character is one entry). */
  codePoints: string[];
  /** The folded text: lower case, no marks, đ → d. */
  folded: string;
  /** For each UTF-16 unit of `folded`, the index in `codePoints` it came from. */
  source: number[];
}

/**
 * Folds `text` per code point and keeps, for every unit of the folded text, the code point
 * of the original it came from: a match found in `folded` at units [start, end) covers the
 * original code points `source[start]` … `source[end - 1]`. Pure; never splits a surrogate pair.
 */
export function foldWithOffsets(text: string): FoldedText {
  const codePoints = [...text];
  const source: number[] = [];
  let folded = '';
  codePoints.forEach((codePoint, index) => {
    const part = foldCodePoint(codePoint);
    folded += part;
    for (let unit = 0; unit < part.length; unit += 1) source.push(index);
  });
  return { codePoints, folded, source };
}

/** The folded form of a whole text (`Đắk Nông` → `dak nong`). */
export function foldText(text: string): string {
  return foldWithOffsets(text).folded;
}

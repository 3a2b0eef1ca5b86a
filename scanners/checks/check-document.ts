import path from 'node:path';
import type { PageInspection } from './inspect-page.ts';

/** One thing wrong with a document as a whole. */
export type DocumentProblem =
  | { code: 'no-pages' }
  /** Same sha256: the very same file twice. */
  | { code: 'duplicate'; files: [string, string] }
  /** Near-identical images: most likely the same page scanned twice. */
  | { code: 'near-duplicate'; files: [string, string]; difference: number }
  /** From the numbers in the file names; `missing` lists at most {@link MAX_LISTED_MISSING}, `missingCount` says how many there are. */
  | { code: 'numbering-gap'; missing: number[]; missingCount?: number }
  /** Two or more files with the same number, e.g. 0001.tif and 1.tif. */
  | { code: 'numbering-repeat'; number: number; files: string[] };

/**
 * Two pages whose signatures differ by less than this (1 − their correlation) are
 * near-duplicates.
 *
 * Measured on 14 fixture pages (pages 1 and 2 of vietsample*.tif, deskew-1…8), each also
 * rescanned: re-encoded as JPEG at quality 60, 5 % brighter or darker, shifted by 3 px,
 * cropped 2 % tighter, all of these at once with noise, or rotated 0.5°. Rescans of the same
 * page differed by at most 0.156 (0.194 rotated); any two different pages by at least 0.752
 * (the two pages of vietsample.tif: 0.783). The threshold leaves a factor of 2 over the
 * rotated rescan and of 1.9 under the closest different pages. Mean absolute difference of
 * 64² signatures separated the groups less well (0.53 against 0.785).
 */
export const NEAR_DUPLICATE_DIFFERENCE = 0.4;

/** A gap report lists this many missing numbers and counts the rest. */
export const MAX_LISTED_MISSING = 50;

/**
 * Checks the pages of one document together: no pages, the same file twice, the same page
 * scanned twice, gaps and repeats in the numbering of the file names. `pages` in reading order
 * (natural file-name order); the problems come in that order too.
 */
export function checkDocument(pages: readonly PageInspection[]): DocumentProblem[] {
  if (pages.length === 0) return [{ code: 'no-pages' }];
  return [...exactDuplicates(pages), ...nearDuplicates(pages), ...numberingProblems(pages)];
}

function exactDuplicates(pages: readonly PageInspection[]): DocumentProblem[] {
  const firstWithHash = new Map<string, string>();
  const problems: DocumentProblem[] = [];
  for (const page of pages) {
    const first = firstWithHash.get(page.sha256);
    if (first === undefined) firstWithHash.set(page.sha256, page.name);
    else problems.push({ code: 'duplicate', files: [first, page.name] });
  }
  return problems;
}

/**
 * Every pair of readable, non-blank pages with different bytes (blank pages look alike by
 * nature and are reported as blank). A few hundred pages make tens of thousands of pairs of
 * 1 024-byte signatures: well under a second.
 */
function nearDuplicates(pages: readonly PageInspection[]): DocumentProblem[] {
  const candidates = pages.filter((page) => page.signature !== undefined && page.blank !== true);
  const problems: DocumentProblem[] = [];
  for (let i = 0; i < candidates.length; i += 1) {
    for (let j = i + 1; j < candidates.length; j += 1) {
      const a = candidates[i]!;
      const b = candidates[j]!;
      if (a.sha256 === b.sha256) continue;
      const difference = signatureDifference(a.signature!, b.signature!);
      if (difference < NEAR_DUPLICATE_DIFFERENCE) {
        problems.push({ code: 'near-duplicate', files: [a.name, b.name], difference: Math.round(difference * 1000) / 1000 });
      }
    }
  }
  return problems;
}

/** 1 − the Pearson correlation of two signatures: 0 for the same picture whatever its brightness and contrast, about 1 for unrelated ones. */
function signatureDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  let sumA = 0;
  let sumB = 0;
  let sumAA = 0;
  let sumBB = 0;
  let sumAB = 0;
  for (let index = 0; index < length; index += 1) {
    const x = a[index]!;
    const y = b[index]!;
    sumA += x;
    sumB += y;
    sumAA += x * x;
    sumBB += y * y;
    sumAB += x * y;
  }
  const covariance = sumAB / length - (sumA / length) * (sumB / length);
  const spread = Math.sqrt((sumAA / length - (sumA / length) ** 2) * (sumBB / length - (sumB / length) ** 2));
  return spread === 0 ? 1 : 1 - covariance / spread;
}

/** The last run of digits in the base name: `0001.tif` → 1, `scan_0012_a.tif` → 12, `bia.tif` → none. */
function pageNumber(name: string): number | undefined {
  const runs = path.parse(name).name.match(/\d+/g);
  return runs === null ? undefined : Number(runs[runs.length - 1]);
}

function numberingProblems(pages: readonly PageInspection[]): DocumentProblem[] {
  const filesByNumber = new Map<number, string[]>();
  let unnumbered = 0;
  for (const page of pages) {
    const number = pageNumber(page.name);
    if (number === undefined) unnumbered += 1;
    else filesByNumber.set(number, [...(filesByNumber.get(number) ?? []), page.name]);
  }
  const repeats: DocumentProblem[] = [...filesByNumber]
    .filter(([, files]) => files.length > 1)
    .map(([number, files]) => ({ code: 'numbering-repeat', number, files }));
  const gap = unnumbered === 0 ? numberingGap([...filesByNumber.keys()]) : undefined;
  return gap === undefined ? repeats : [gap, ...repeats];
}

/**
 * Numbers missing between the first page (1, or 0 when a page is numbered 0) and the highest.
 * Walks the sorted numbers rather than the range, so a name ending in a long number (a date,
 * a camera counter) costs nothing.
 */
function numberingGap(numbers: number[]): DocumentProblem | undefined {
  const sorted = [...numbers].sort((a, b) => a - b);
  let expected = sorted[0] === 0 ? 0 : 1;
  let missingCount = 0;
  const missing: number[] = [];
  for (const number of sorted) {
    for (let absent = expected; absent < number && missing.length < MAX_LISTED_MISSING; absent += 1) missing.push(absent);
    missingCount += Math.max(0, number - expected);
    expected = number + 1;
  }
  return missingCount === 0 ? undefined : { code: 'numbering-gap', missing, missingCount };
}

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
 * Two pages whose signatures differ by less than this (mean absolute difference in standard
 * deviations of the normalised signature) are near-duplicates.
 *
 * Measured on 14 fixture pages (vietsample*.tif pages 1 and 2, deskew-1…8): the same page
 * re-encoded as JPEG at quality 60, 5 % brighter or darker, shifted by 3 px, cropped 2 %
 * tighter, or all of these at once with noise, differed by at most 0.23 (0.42 after a
 * 0.5° rotation); any two different pages, including the two pages of vietsample.tif,
 * by at least 0.92. The threshold leaves a factor of 2.4 over the rescans and 0.37 below the
 * closest different pages. Known limit: a tightly cropped page whose ruled frame touches the
 * image edge, shifted so that the frame line leaves the image, differed by 0.70 (deskew-7).
 */
export const NEAR_DUPLICATE_DIFFERENCE = 0.55;

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

/** Every pair of readable, non-blank pages with different bytes (blank pages look alike by nature and are reported as blank). */
function nearDuplicates(pages: readonly PageInspection[]): DocumentProblem[] {
  const candidates = pages.filter((page) => page.signature !== undefined && page.blank !== true);
  const problems: DocumentProblem[] = [];
  for (let i = 0; i < candidates.length; i += 1) {
    for (let j = i + 1; j < candidates.length; j += 1) {
      const a = candidates[i]!;
      const b = candidates[j]!;
      if (a.sha256 === b.sha256) continue;
      const difference = signatureDifference(a.signature!, b.signature!, NEAR_DUPLICATE_DIFFERENCE);
      if (difference < NEAR_DUPLICATE_DIFFERENCE) {
        problems.push({ code: 'near-duplicate', files: [a.name, b.name], difference: Math.round(difference * 1000) / 1000 });
      }
    }
  }
  return problems;
}

/** Spread of one standard deviation in a signature (inspect-page.ts maps ±1 σ to ±32). */
const SIGNATURE_SIGMA = 32;

/**
 * Mean absolute difference of two signatures, in standard deviations. Stops early once it
 * cannot come under `limit` (then returns a value at or above it): most pairs are different
 * pages, and a few hundred pages make tens of thousands of pairs.
 */
function signatureDifference(a: Uint8Array, b: Uint8Array, limit: number): number {
  const length = Math.min(a.length, b.length);
  const budget = limit * SIGNATURE_SIGMA * length;
  let sum = 0;
  for (let index = 0; index < length; index += 1) {
    sum += Math.abs(a[index]! - b[index]!);
    if (sum >= budget) return limit;
  }
  return sum / length / SIGNATURE_SIGMA;
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

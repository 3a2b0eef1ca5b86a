import { InvalidInputError } from '../../storage/index.ts';

/** Identity-H character codes are two bytes; CID 0 is `.notdef`. */
const MAX_CID = 0xffff;

/**
 * Gives each distinct Unicode code point of a document its own CID (1, 2, 3, … in order of
 * first use), so the ToUnicode CMap can map every CID back to exactly one code point,
 * including code points beyond the BMP (Nôm, CJK Extension B) and Private Use Area ones.
 * Deterministic: the same text in the same order gives the same CIDs.
 *
 * @see https://opensource.adobe.com/dc-acrobat-sdk-docs/pdfstandards/PDF32000_2008.pdf §9.7.5.2 (Identity-H), §9.10.3 (ToUnicode)
 */
export class CidMap {
  private readonly cidByCodePoint = new Map<number, number>();
  private readonly ordered: number[] = [];

  /** The CIDs of `text`, one per code point (not per UTF-16 unit). */
  cidsFor(text: string): number[] {
    const cids: number[] = [];
    for (const char of text) {
      const codePoint = char.codePointAt(0) as number;
      let cid = this.cidByCodePoint.get(codePoint);
      if (cid === undefined) {
        if (this.ordered.length >= MAX_CID) {
          throw new InvalidInputError(
            `The document uses more than ${MAX_CID} distinct characters, the most one PDF text font can carry; split the document.`,
          );
        }
        this.ordered.push(codePoint);
        cid = this.ordered.length;
        this.cidByCodePoint.set(codePoint, cid);
      }
      cids.push(cid);
    }
    return cids;
  }

  /** Code points by CID − 1. */
  get codePoints(): readonly number[] {
    return this.ordered;
  }

  /** The highest CID handed out so far (0 when none). */
  get maxCid(): number {
    return this.ordered.length;
  }
}

/** Two-byte big-endian hex of each CID, the string operand of `Tj` under Identity-H. */
export function cidsToHex(cids: readonly number[]): string {
  return cids.map((cid) => cid.toString(16).toUpperCase().padStart(4, '0')).join('');
}

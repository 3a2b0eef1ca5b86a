import type { GreyRaster } from '../../stages/skew-raster.ts';
import { removeRulingLines } from '../remove-ruling-lines.ts';
import { binarizeSauvola } from './binarize-sauvola.ts';
import { connectedComponents } from './connected-components.ts';
import { dropNoise } from './drop-noise.ts';
import { estimateCharacterSize } from './estimate-character-size.ts';
import { groupColumnSlots, type ColumnSlot } from './group-column-slots.ts';
import { otsuThreshold } from './otsu-threshold.ts';
import { splitColumnSlot, type ColumnPiece } from './split-column-slot.ts';
import type { VerticalColumn } from './vertical-column.ts';

export interface FindVerticalColumnsOptions {
  /**
   * Size of a main-text character in page pixels, when known (from the resolution and the
   * edition). Estimated from the page otherwise.
   */
  characterSize?: number;
}

/** Sauvola's window, in character sizes: wide enough to hold paper around every stroke. */
const SAUVOLA_WINDOW = 2;
/** Sauvola's window is never smaller than this (pixels): below it, a thick stroke fills the window. */
const MIN_SAUVOLA_WINDOW = 15;
/** A slot thinner or shorter than these many character sizes is a sliver of a rule or specks, not text. */
const MIN_SLOT_WIDTH = 0.3;
const MIN_SLOT_HEIGHT = 0.5;
/** Slots whose straightened extents across overlap by this share of the narrower one are one column position. */
const SAME_POSITION = 0.5;

/**
 * Finds the columns of a page of vertical Hán-Nôm text (deskewed to within about a degree) and
 * returns them in reading order: column positions right to left; within one, top to bottom;
 * a band of double-line notes as its right sub-column, then its left one.
 *
 * Steps, each tied to the character size S (estimated, see `estimateCharacterSize`): Sauvola
 * binarisation over a 2 S window (uneven paper); ruling lines and the frame removed
 * (`removeRulingLines`); specks and blobs wider than 2.5 S dropped (`dropNoise`); components
 * chained into columns and merged side by side into column slots (`groupColumnSlots`, which
 * also measures the residual skew and refines S); each slot cut into main text and notes
 * (`splitColumnSlot`). A note annotates the last main column read before it.
 *
 * @throws RangeError when the raster's data does not match its size.
 */
export function findVerticalColumns(page: GreyRaster, options: FindVerticalColumnsOptions = {}): VerticalColumn[] {
  const { data, width, height } = page;
  if (data.length !== width * height) throw new RangeError(`Expected ${width * height} grey pixels, got ${data.length}.`);
  const guessed = options.characterSize ?? firstGuess(page);
  if (!(guessed > 0)) return [];

  const window = Math.max(MIN_SAUVOLA_WINDOW, 2 * Math.round((SAUVOLA_WINDOW * guessed) / 2) + 1);
  const ink = binarizeSauvola(page, window);
  const grey = new Uint8Array(ink.length);
  for (let i = 0; i < ink.length; i += 1) grey[i] = ink[i] === 1 ? 0 : 255;
  removeRulingLines(grey, width, height);
  for (let i = 0; i < ink.length; i += 1) ink[i] = grey[i] === 0 ? 1 : 0;

  const map = connectedComponents(ink, width, height);
  const rough = options.characterSize ?? estimateCharacterSize(map.components);
  if (!(rough > 0)) return [];
  const grouping = groupColumnSlots(dropNoise(map.components, rough), rough, height);
  const size = options.characterSize ?? grouping.characterSize;

  const slots = grouping.slots.filter((slot) => slot.u1 - slot.u0 >= MIN_SLOT_WIDTH * size && slot.y1 - slot.y0 >= MIN_SLOT_HEIGHT * size);
  const pieces = orderSlots(slots).flatMap((slot) =>
    splitColumnSlot(slot, map, width, grouping.slope, grouping.yReference, size),
  );
  return annotate(pieces);
}

/** Character size from Otsu's global threshold: good enough to size the Sauvola window. */
function firstGuess(page: GreyRaster): number {
  const threshold = otsuThreshold(page);
  const ink = new Uint8Array(page.data.length);
  for (let i = 0; i < ink.length; i += 1) ink[i] = page.data[i]! <= threshold ? 1 : 0;
  return estimateCharacterSize(connectedComponents(ink, page.width, page.height).components);
}

/** Column positions right to left (straightened, so a residual skew cannot swap them), each top to bottom. */
function orderSlots(slots: readonly ColumnSlot[]): ColumnSlot[] {
  const byRight = [...slots].sort((a, b) => b.u1 + b.u0 - (a.u1 + a.u0));
  const positions: ColumnSlot[][] = [];
  for (const slot of byRight) {
    const position = positions.find((members) => members.some((member) => sameRange(member, slot)));
    if (position === undefined) positions.push([slot]);
    else position.push(slot);
  }
  return positions.flatMap((members) => members.sort((a, b) => a.y0 - b.y0));
}

function sameRange(a: ColumnSlot, b: ColumnSlot): boolean {
  const overlap = Math.min(a.u1, b.u1) - Math.max(a.u0, b.u0);
  return overlap >= SAME_POSITION * Math.min(a.u1 - a.u0, b.u1 - b.u0);
}

/** Each note annotates the last main column before it, or else the first after it. */
function annotate(pieces: readonly ColumnPiece[]): VerticalColumn[] {
  const mains = pieces.flatMap((piece, index) => (piece.kind === 'main' ? [index] : []));
  return pieces.map((piece, index) => {
    if (piece.kind === 'main') return { box: piece.box, kind: 'main' };
    const annotates = mains.findLast((main) => main < index) ?? mains.find((main) => main > index);
    return annotates === undefined ? { box: piece.box, kind: 'note' } : { box: piece.box, kind: 'note', annotates };
  });
}

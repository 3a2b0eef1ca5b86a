import type { PixelBox } from '../../stages/skew-raster.ts';
import type { ComponentMap } from './connected-components.ts';
import { isSpeck } from './drop-noise.ts';
import { straighten, type ColumnSlot } from './group-column-slots.ts';
import type { VerticalColumnKind } from './vertical-column.ts';

/**
 * Heuristics, all relative to the page's character size S (the width of a main column). The
 * upright slot is cut into blocks at blank rows (rows without ink across the slot: the gaps
 * between characters), and each block is classed:
 * - a double note when a column in the middle GUTTER_ZONE of the slot is blank over the whole
 *   block, the ink on each side is at least MIN_SIDE_WIDTH · S wide (not the two strokes of
 *   月), and every run of inked rows on either side is at most
 *   SMALL_CHARACTER · S tall (one small character each; a left–right main character such as
 *   調 also has a gutter, but one of its halves runs the full height); never in a slot
 *   narrower than SPLITTABLE_WIDTH · S;
 * - a single note when its ink is at most NOTE_WIDTH · S wide and its runs are that small too
 *   (a note column standing alone, or a note's last character on one side only);
 * - main text otherwise.
 * Neighbouring blocks of a kind make one band; a single note just below a double one joins it.
 * Specks (dirt, or a character's dots) are left out of the classing: one beside a note
 * character would widen it into main text. They still go to the piece whose rows hold them.
 * Pieces with ink less than MIN_PIECE · S across both ways are dropped (a stray dot).
 */
const SPLITTABLE_WIDTH = 0.75;
const GUTTER_ZONE = [0.3, 0.7] as const;
const SMALL_CHARACTER = 0.7;
const NOTE_WIDTH = 0.65;
const MIN_SIDE_WIDTH = 0.3;
const MIN_PIECE = 0.25;
const FLAT = 0.35;
const MIN_NOTE_BAND = 0.95;

/** One column found in a slot, in the slot's reading order. */
export interface ColumnPiece {
  kind: VerticalColumnKind;
  box: PixelBox;
}

interface Band {
  top: number;
  bottom: number;
  kind: VerticalColumnKind;
  /** For a double note: per row of the band, the upright column between its sub-columns. */
  gutters?: Int32Array;
}

interface Block {
  top: number;
  bottom: number;
  kind: 'main' | 'single' | 'double' | 'flat';
  gutter?: number;
}

/** A slot drawn upright: `ink[row * width + u]`, rows from the slot's top, u from its left. */
interface Straightened {
  ink: Uint8Array;
  width: number;
  height: number;
  /** Column sums from the top: `prefix[row * width + u]` counts ink in rows above `row`. */
  prefix: Int32Array;
  /** Straightened u of raster column 0. */
  origin: number;
}

/**
 * Cuts one column slot into its main text and note columns, top to bottom; a band of notes
 * gives its right sub-column, then its left one (the order of double-line commentary).
 */
export function splitColumnSlot(
  slot: ColumnSlot,
  map: ComponentMap,
  pageWidth: number,
  slope: number,
  yReference: number,
  characterSize: number,
): ColumnPiece[] {
  const upright = drawUpright(slot, map, pageWidth, slope, yReference, characterSize);
  const bands = findBands(upright, characterSize);
  const boxes = bands.map((band) => (band.gutters === undefined ? [emptyBox()] : [emptyBox(), emptyBox()]));
  const bandOfRow = new Int32Array(upright.height);
  bands.forEach((band, index) => bandOfRow.fill(index, band.top, band.bottom));
  // Every ink pixel of the slot goes to the piece whose band and side hold it.
  for (const component of slot.components) {
    for (let y = component.y0; y < component.y1; y += 1) {
      const index = bandOfRow[y - slot.y0]!;
      const gutter = bands[index]!.gutters?.[y - slot.y0];
      for (let x = component.x0; x < component.x1; x += 1) {
        if (map.labels[y * pageWidth + x] !== component.label) continue;
        const u = Math.round(straighten(x, y, slope, yReference)) - upright.origin;
        extend(boxes[index]![gutter !== undefined && u <= gutter ? 1 : 0]!, x, y);
      }
    }
  }
  const pieces: ColumnPiece[] = [];
  bands.forEach((band, index) => {
    for (const box of boxes[index]!) {
      if (box.x1 < box.x0) continue;
      const width = box.x1 - box.x0 + 1;
      const height = box.y1 - box.y0 + 1;
      if (Math.max(width, height) < MIN_PIECE * characterSize) continue;
      pieces.push({ kind: band.kind, box: { x: box.x0, y: box.y0, width, height } });
    }
  });
  return pieces;
}

/** The slot's ink without its specks, drawn upright. */
function drawUpright(
  slot: ColumnSlot,
  map: ComponentMap,
  pageWidth: number,
  slope: number,
  yReference: number,
  characterSize: number,
): Straightened {
  const origin = Math.floor(slot.u0) - 1;
  const width = Math.ceil(slot.u1) - origin + 2;
  const height = slot.y1 - slot.y0;
  const ink = new Uint8Array(width * height);
  for (const component of slot.components) {
    if (isSpeck(component, characterSize)) continue;
    for (let y = component.y0; y < component.y1; y += 1) {
      for (let x = component.x0; x < component.x1; x += 1) {
        if (map.labels[y * pageWidth + x] !== component.label) continue;
        const u = Math.round(straighten(x, y, slope, yReference)) - origin;
        if (u >= 0 && u < width) ink[(y - slot.y0) * width + u] = 1;
      }
    }
  }
  const prefix = new Int32Array((height + 1) * width);
  for (let row = 0; row < height; row += 1) {
    for (let u = 0; u < width; u += 1) prefix[(row + 1) * width + u] = prefix[row * width + u]! + ink[row * width + u]!;
  }
  return { ink, width, height, prefix, origin };
}

/** Splits the slot's rows into main and note bands, top to bottom. */
function findBands(upright: Straightened, size: number): Band[] {
  const blocks = findBlocks(upright).map((block) => classify(upright, block, size));
  resolveContext(blocks, size);
  const bands: Band[] = [];
  for (const block of blocks) {
    const kind = block.kind === 'main' ? 'main' : 'note';
    const last = bands.at(-1);
    const double = block.kind === 'double';
    if (last === undefined || last.kind !== kind || (last.gutters !== undefined) !== double) {
      bands.push({ top: block.top, bottom: block.top, kind, ...(double ? { gutters: new Int32Array(upright.height) } : {}) });
    }
    const band = bands.at(-1)!;
    // The gutter also runs through the blank rows above the block, where specks may lie.
    if (block.gutter !== undefined) band.gutters?.fill(block.gutter, band.bottom, block.bottom);
    band.bottom = block.bottom;
  }
  // Every row gets a band, for the specks left out of the blocks: blank rows go to the band
  // above (rows above the first band to the first), its gutter running on.
  bands.forEach((band, index) => {
    const top = index === 0 ? 0 : band.top;
    const bottom = bands[index + 1]?.top ?? upright.height;
    band.gutters?.fill(band.gutters[band.top]!, top, band.top);
    band.gutters?.fill(band.gutters[band.bottom - 1]!, band.bottom, bottom);
    Object.assign(band, { top, bottom });
  });
  return bands;
}

/**
 * Settles the blocks that cannot be told alone, in place: a flat block takes the kind of the
 * nearer block (by the blank rows between; the one before on a tie); a single note just below a
 * double one is the note's last character on one side (a note ends unevenly, never starts so:
 * above a note, a single is the lower part of a main character, the 月 of 菁); a single note in
 * a slot with main text is a small main character (口); a run of
 * double blocks shorter than MIN_NOTE_BAND · S (under two rows of notes) is a main character
 * whose lower part splits in two (the 八 of 六).
 */
function resolveContext(blocks: Block[], size: number): void {
  const solid = blocks.filter((block) => block.kind !== 'flat');
  for (const [index, block] of blocks.entries()) {
    if (block.kind !== 'flat') continue;
    const before = blocks.slice(0, index).findLast((other) => other.kind !== 'flat');
    const after = blocks.slice(index + 1).find((other) => other.kind !== 'flat');
    const nearer = before === undefined || (after !== undefined && after.top - block.bottom < block.top - before.bottom) ? after : before;
    Object.assign(block, { kind: nearer?.kind ?? 'main', gutter: nearer?.gutter });
  }
  solid.forEach((block, index) => {
    if (block.kind !== 'single') return;
    const double = solid[index - 1]?.kind === 'double' ? solid[index - 1] : undefined;
    if (double !== undefined) Object.assign(block, { kind: 'double', gutter: double.gutter });
    else if (solid.some((other) => other.kind === 'main')) block.kind = 'main';
  });
  let first = 0;
  while (first < blocks.length) {
    let last = first;
    while (last + 1 < blocks.length && blocks[last + 1]!.kind === blocks[first]!.kind) last += 1;
    const run = blocks.slice(first, last + 1);
    if (run[0]!.kind === 'double' && run.at(-1)!.bottom - run[0]!.top < MIN_NOTE_BAND * size) {
      for (const block of run) Object.assign(block, { kind: 'main', gutter: undefined });
    }
    first = last + 1;
  }
}

/** Runs of rows with ink anywhere across the slot; the blank rows between them are dropped. */
function findBlocks(upright: Straightened): Block[] {
  const blocks: Block[] = [];
  let top = -1;
  for (let row = 0; row <= upright.height; row += 1) {
    const ink = row < upright.height && upright.ink.subarray(row * upright.width, (row + 1) * upright.width).includes(1);
    if (ink && top < 0) top = row;
    if (!ink && top >= 0) {
      blocks.push({ top, bottom: row, kind: 'main' });
      top = -1;
    }
  }
  return blocks;
}

function classify(upright: Straightened, block: Block, size: number): Block {
  const { top, bottom } = block;
  if (bottom - top < FLAT * size) return { top, bottom, kind: 'flat' };
  const small = (runs: readonly number[]): boolean => runs.length > 0 && Math.max(...runs) <= SMALL_CHARACTER * size;
  if (upright.width >= SPLITTABLE_WIDTH * size) {
    const zone = [Math.floor(GUTTER_ZONE[0] * upright.width), Math.ceil(GUTTER_ZONE[1] * upright.width)] as const;
    const gutter = gutterIn(upright, top, bottom, zone);
    if (gutter !== undefined) {
      const right = inkRunHeights(upright, top, bottom, gutter + 1, upright.width);
      const left = inkRunHeights(upright, top, bottom, 0, gutter);
      const sums = columnSums(upright, top, bottom);
      const rightWidth = inkWidth(sums.subarray(gutter + 1));
      const leftWidth = inkWidth(sums.subarray(0, gutter));
      const wide = Math.min(rightWidth, leftWidth) >= MIN_SIDE_WIDTH * size;
      if (wide && small(right) && small(left)) return { top, bottom, kind: 'double', gutter };
    }
  }
  const single = inkWidth(columnSums(upright, top, bottom)) <= NOTE_WIDTH * size && small(inkRunHeights(upright, top, bottom, 0, upright.width));
  return { top, bottom, kind: single ? 'single' : 'main' };
}

/** A blank column inside `zone` with ink somewhere in the rows, nearest the zone's middle; undefined if none. */
function gutterIn(upright: Straightened, top: number, bottom: number, zone: readonly [number, number]): number | undefined {
  const column = columnSums(upright, top, bottom);
  if (!column.some((count) => count > 0)) return undefined;
  const middle = (zone[0] + zone[1]) / 2;
  let best: number | undefined;
  for (let u = zone[0]; u < zone[1]; u += 1) {
    if (column[u] === 0 && (best === undefined || Math.abs(u - middle) < Math.abs(best - middle))) best = u;
  }
  return best;
}

/** Columns from the first to the last holding ink; 0 when none does. */
function inkWidth(sums: Int32Array): number {
  const first = sums.findIndex((count) => count > 0);
  return first < 0 ? 0 : sums.findLastIndex((count) => count > 0) - first + 1;
}

function columnSums(upright: Straightened, top: number, bottom: number): Int32Array {
  const { width, prefix } = upright;
  const sums = new Int32Array(width);
  for (let u = 0; u < width; u += 1) sums[u] = prefix[bottom * width + u]! - prefix[top * width + u]!;
  return sums;
}

/** Heights of the runs of rows holding ink between columns `from` and `to` (exclusive). */
function inkRunHeights(upright: Straightened, top: number, bottom: number, from: number, to: number): number[] {
  const runs: number[] = [];
  let run = 0;
  for (let row = top; row < bottom; row += 1) {
    let ink = false;
    for (let u = from; u < to && !ink; u += 1) ink = upright.ink[row * upright.width + u] === 1;
    if (ink) {
      run += 1;
    } else if (run > 0) {
      runs.push(run);
      run = 0;
    }
  }
  if (run > 0) runs.push(run);
  return runs;
}

interface Extent {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function emptyBox(): Extent {
  return { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
}

function extend(box: Extent, x: number, y: number): void {
  box.x0 = Math.min(box.x0, x);
  box.x1 = Math.max(box.x1, x);
  box.y0 = Math.min(box.y0, y);
  box.y1 = Math.max(box.y1, y);
}

import type { InkComponent } from './connected-components.ts';
import { weightedMedian } from './estimate-character-size.ts';

/**
 * Linking: two components belong to one column when their x ranges overlap by at least this
 * share of the narrower one and the vertical gap between them is at most LINK_GAP × the rough
 * character size. Both tests are local (a character's height apart), so a column stays one
 * chain on a page still skewed by a degree or two, where a whole-page projection would smear.
 */
const LINK_OVERLAP = 0.25;
const LINK_GAP = 0.6;
/** Columns at least this many rough character sizes tall measure the skew and the character size. */
const TALL_STRAND = 3;
/** Residual skew larger than this (tan 3°) is not believed: the fit is then off a non-text strand. */
const MAX_SLOPE = Math.tan((3 * Math.PI) / 180);
/**
 * Strands side by side merge into one column slot when together they are at most this many
 * character sizes wide (the two sub-columns of a note, radicals that never touched their
 * neighbours) and either overlap vertically by half the shorter one or lie one above the
 * other at most SLOT_GAP apart.
 */
const SLOT_WIDTH = 1.3;
const SLOT_VERTICAL_OVERLAP = 0.5;
/** Strands one above the other within one column width merge across a gap of up to this many character sizes (一 below 十). */
const SLOT_GAP = 1;

/** The ink of one column position on the page: main text and the notes set inside its width. */
export interface ColumnSlot {
  components: InkComponent[];
  /** Extent across the column, in straightened coordinates (see `straighten`). */
  u0: number;
  u1: number;
  y0: number;
  y1: number;
}

export interface SlotGrouping {
  slots: ColumnSlot[];
  /** Residual skew of the columns: x moves by `slope` pixels per pixel down. */
  slope: number;
  /** The row about which the page is straightened. */
  yReference: number;
  /** Character size measured as the median width of tall slots. */
  characterSize: number;
}

/** x of a point once the residual skew is taken out: columns become upright. */
export function straighten(x: number, y: number, slope: number, yReference: number): number {
  return x - slope * (y - yReference);
}

/**
 * Chains the components into column strands, measures the residual skew and the character
 * size on the tall strands, and merges strands side by side into column slots.
 */
export function groupColumnSlots(components: readonly InkComponent[], roughSize: number, pageHeight: number): SlotGrouping {
  const strands = linkStrands(components, roughSize);
  const yReference = pageHeight / 2;
  const slope = estimateSlope(strands, roughSize);
  const measured = strands.map((strand) => measure(strand, slope, yReference));
  const widths = measured
    .filter((strand) => strand.y1 - strand.y0 >= TALL_STRAND * roughSize)
    .map((strand) => ({ size: strand.u1 - strand.u0, weight: 1 }))
    .sort((a, b) => a.size - b.size);
  const characterSize = weightedMedian(widths) ?? roughSize;
  return { slots: mergeSideBySide(measured, characterSize), slope, yReference, characterSize };
}

function linkStrands(components: readonly InkComponent[], roughSize: number): InkComponent[][] {
  const sorted = [...components].sort((a, b) => a.y0 - b.y0);
  const parent = sorted.map((_, index) => index);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const maxGap = LINK_GAP * roughSize;
  for (let i = 0; i < sorted.length; i += 1) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length && sorted[j]!.y0 <= a.y1 + maxGap; j += 1) {
      const b = sorted[j]!;
      const overlap = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      if (overlap >= Math.max(1, LINK_OVERLAP * Math.min(a.x1 - a.x0, b.x1 - b.x0))) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, InkComponent[]>();
  sorted.forEach((component, index) => {
    const root = find(index);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [component]);
    else group.push(component);
  });
  return [...groups.values()];
}

/** Median over the tall strands (weighted by height) of the least-squares slope of their component centres. */
function estimateSlope(strands: readonly InkComponent[][], roughSize: number): number {
  const votes: { size: number; weight: number }[] = [];
  for (const strand of strands) {
    const y0 = Math.min(...strand.map((c) => c.y0));
    const y1 = Math.max(...strand.map((c) => c.y1));
    if (y1 - y0 < TALL_STRAND * roughSize || strand.length < 3) continue;
    let weight = 0;
    let meanX = 0;
    let meanY = 0;
    for (const c of strand) {
      weight += c.area;
      meanX += c.area * (c.x0 + c.x1) / 2;
      meanY += c.area * (c.y0 + c.y1) / 2;
    }
    meanX /= weight;
    meanY /= weight;
    let covariance = 0;
    let variance = 0;
    for (const c of strand) {
      const dy = (c.y0 + c.y1) / 2 - meanY;
      covariance += c.area * dy * ((c.x0 + c.x1) / 2 - meanX);
      variance += c.area * dy * dy;
    }
    if (variance > 0) votes.push({ size: covariance / variance, weight: y1 - y0 });
  }
  const slope = weightedMedian(votes.sort((a, b) => a.size - b.size)) ?? 0;
  return Math.max(-MAX_SLOPE, Math.min(MAX_SLOPE, slope));
}

function measure(components: InkComponent[], slope: number, yReference: number): ColumnSlot {
  let u0 = Infinity;
  let u1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const c of components) {
    const middle = (c.y0 + c.y1) / 2;
    u0 = Math.min(u0, straighten(c.x0, middle, slope, yReference));
    u1 = Math.max(u1, straighten(c.x1, middle, slope, yReference));
    y0 = Math.min(y0, c.y0);
    y1 = Math.max(y1, c.y1);
  }
  return { components, u0, u1, y0, y1 };
}

/** Merges neighbouring strands, narrowest gap first, while the merged slot stays one column wide. */
function mergeSideBySide(strands: ColumnSlot[], characterSize: number): ColumnSlot[] {
  const slots = [...strands].sort((a, b) => a.u0 - b.u0);
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < slots.length && !merged; i += 1) {
      const a = slots[i]!;
      for (let j = i + 1; j < slots.length && !merged && slots[j]!.u0 - a.u0 <= SLOT_WIDTH * characterSize; j += 1) {
        const b = slots[j]!;
        const width = Math.max(a.u1, b.u1) - Math.min(a.u0, b.u0);
        const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
        if (width > SLOT_WIDTH * characterSize) continue;
        const sideBySide = overlap >= SLOT_VERTICAL_OVERLAP * Math.min(a.y1 - a.y0, b.y1 - b.y0);
        if (!sideBySide && -overlap > SLOT_GAP * characterSize) continue;
        slots[i] = {
          components: [...a.components, ...b.components],
          u0: Math.min(a.u0, b.u0),
          u1: Math.max(a.u1, b.u1),
          y0: Math.min(a.y0, b.y0),
          y1: Math.max(a.y1, b.y1),
        };
        slots.splice(j, 1);
        merged = true;
      }
    }
  }
  return slots;
}

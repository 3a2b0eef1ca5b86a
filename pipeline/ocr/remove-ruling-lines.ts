/** Pixels darker than this count as ink. */
const INK_THRESHOLD = 128;
/** A rule runs along at least this share of the page height (vertical rules) or width (horizontal). */
const MIN_RULE_SHARE = 0.5;
/** Shorter pages cannot tell a rule from a character stroke: nothing is removed. */
const MIN_RULE_LENGTH = 60;
/** A rule may drift one pixel sideways every this many pixels (about 7°: residual skew, wobbly woodblock rules). */
const SHIFT_EVERY = 8;

/**
 * Whitens the long straight rules of a woodblock or manuscript page (its frame and the lines
 * between columns) in an 8-bit greyscale image, in place, and returns how many pixels it
 * whitened. Tesseract's vertical-text layout analysis merges ruled columns into nonsense
 * lines; without the rules it finds each column.
 *
 * A rule is a connected run of ink at least half the page long that stays nearly straight: it
 * may step one pixel sideways every {@link SHIFT_EVERY} pixels. Characters never make such a
 * run: they are far shorter and separated by gaps. The run and one pixel on each side of it
 * (the anti-aliased edge) are whitened.
 */
export function removeRulingLines(pixels: Uint8Array, width: number, height: number): number {
  if (pixels.length !== width * height) {
    throw new RangeError(`Expected ${width * height} greyscale pixels, got ${pixels.length}.`);
  }
  const ink = new Uint8Array(width * height);
  for (let i = 0; i < ink.length; i += 1) ink[i] = pixels[i]! < INK_THRESHOLD ? 1 : 0;

  const vertical = verticalRules(ink, width, height, Math.ceil(height * MIN_RULE_SHARE));
  const horizontal = verticalRules(transpose(ink, width, height), height, width, Math.ceil(width * MIN_RULE_SHARE));
  let whitened = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = y * width + x;
      if ((vertical[i] === 1 || horizontal[x * height + y] === 1) && pixels[i] !== 255) {
        pixels[i] = 255;
        whitened += 1;
      }
    }
  }
  return whitened;
}

/**
 * Marks the pixels on near-vertical ink runs of at least `minLength` rows. Ink is first widened
 * by a pixel on each side (so a run survives a one-pixel sideways step anywhere); then two
 * sweeps give, for every pixel, the longest run reaching it from above and from below, each
 * step going straight down or, on every SHIFT_EVERY-th row, one pixel aside.
 */
function verticalRules(ink: Uint8Array, width: number, height: number, minLength: number): Uint8Array {
  const marks = new Uint8Array(width * height);
  if (minLength < MIN_RULE_LENGTH) return marks;
  const wide = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    for (let x = 0; x < width; x += 1) {
      if (ink[row + x] === 1) {
        wide[row + x] = 1;
        if (x > 0) wide[row + x - 1] = 1;
        if (x + 1 < width) wide[row + x + 1] = 1;
      }
    }
  }
  // Runs are capped at 65 535 rows (Uint16); pages are far shorter.
  const up = new Uint16Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    const mayShift = y % SHIFT_EVERY === 0;
    for (let x = 0; x < width; x += 1) {
      const i = row + x;
      if (wide[i] === 0) continue;
      up[i] = y === 0 ? 1 : Math.min(65_535, longestAbove(up, i - width, x, width, mayShift) + 1);
    }
  }
  const down = new Uint16Array(width * height);
  for (let y = height - 1; y >= 0; y -= 1) {
    const row = y * width;
    const mayShift = (y + 1) % SHIFT_EVERY === 0;
    for (let x = 0; x < width; x += 1) {
      const i = row + x;
      if (wide[i] === 0) continue;
      const run = y === height - 1 ? 1 : Math.min(65_535, longestAbove(down, i + width, x, width, mayShift) + 1);
      down[i] = run;
      if (up[i]! + run - 1 >= minLength) marks[i] = 1;
    }
  }
  return marks;
}

/** The longest run at `i` (the neighbouring row), or at its left and right neighbours when a step aside is allowed. */
function longestAbove(run: Uint16Array, i: number, x: number, width: number, mayShift: boolean): number {
  let best = run[i]!;
  if (mayShift) {
    if (x > 0 && run[i - 1]! > best) best = run[i - 1]!;
    if (x + 1 < width && run[i + 1]! > best) best = run[i + 1]!;
  }
  return best;
}

function transpose(values: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) out[x * height + y] = values[y * width + x]!;
  }
  return out;
}

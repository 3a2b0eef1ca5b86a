/**
 * Compares file names as people number pages: digit runs by value (`9.tif` before `10.tif`,
 * `0002.tif` before `0010.tif`), letters without regard to case; names equal that way fall
 * back to code-point order so the order is total and the same on every machine.
 */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function compareNaturally(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** A copy of `names` in natural order. */
export function sortNaturally(names: readonly string[]): string[] {
  return [...names].sort(compareNaturally);
}

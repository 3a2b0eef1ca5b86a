/** A run of consecutive words, `start`…`end` inclusive (indexes into the page's words). */
export interface WordRun {
  start: number;
  end: number;
}

/**
 * Every run of consecutive words whose keys equal `terms` in order, left to right,
 * non-overlapping. `keys` and `terms` are in search-key form (`searchKey`).
 */
export function findPhrase(keys: readonly string[], terms: readonly string[]): WordRun[] {
  const runs: WordRun[] = [];
  if (terms.length === 0) return runs;
  for (let start = 0; start + terms.length <= keys.length; ) {
    if (terms.every((term, offset) => keys[start + offset] === term)) {
      runs.push({ start, end: start + terms.length - 1 });
      start += terms.length;
    } else {
      start += 1;
    }
  }
  return runs;
}

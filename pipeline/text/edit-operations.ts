/** The edits of one cheapest alignment of a hypothesis against its reference. */
export interface EditOperations {
  substitutions: number;
  /** Elements of the hypothesis the reference lacks. */
  insertions: number;
  /** Elements of the reference the hypothesis lacks. */
  deletions: number;
}

/**
 * Levenshtein alignment of two sequences (each edit costs 1), in O(|hypothesis|) memory. The
 * three counts belong to one cheapest alignment and sum to the edit distance; among equally
 * cheap alignments a substitution is preferred to a deletion plus an insertion, so the split is
 * stable. Compare texts as code points (`codePoints`), never as UTF-16 units.
 */
export function editOperations(reference: readonly string[], hypothesis: readonly string[]): EditOperations {
  const width = hypothesis.length + 1;
  // Per cell: cost, then the substitutions, insertions and deletions of the path chosen to it.
  let previous = new Int32Array(width * 4);
  let current = new Int32Array(width * 4);
  for (let j = 0; j < width; j += 1) {
    previous[j * 4] = j;
    previous[j * 4 + 2] = j;
  }
  for (let i = 1; i <= reference.length; i += 1) {
    current.fill(0, 0, 4);
    current[0] = i;
    current[3] = i;
    const r = reference[i - 1];
    for (let j = 1; j < width; j += 1) {
      const mismatch = r === hypothesis[j - 1] ? 0 : 1;
      const diagonal = previous[(j - 1) * 4]! + mismatch;
      const deletion = previous[j * 4]! + 1;
      const insertion = current[(j - 1) * 4]! + 1;
      const at = j * 4;
      if (diagonal <= deletion && diagonal <= insertion) {
        current.set(previous.subarray((j - 1) * 4, j * 4), at);
        current[at] = diagonal;
        current[at + 1]! += mismatch;
      } else if (deletion <= insertion) {
        current.set(previous.subarray(at, at + 4), at);
        current[at] = deletion;
        current[at + 3]! += 1;
      } else {
        current.copyWithin(at, (j - 1) * 4, j * 4);
        current[at] = insertion;
        current[at + 2]! += 1;
      }
    }
    [previous, current] = [current, previous];
  }
  const end = hypothesis.length * 4;
  return { substitutions: previous[end + 1]!, insertions: previous[end + 2]!, deletions: previous[end + 3]! };
}

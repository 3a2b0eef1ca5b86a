import { codePoints } from './code-points.ts';

export interface CharacterErrorRateOptions {
  /** Drop all whitespace from both texts before comparing (line breaks and spacing then cost nothing). Default: false. */
  ignoreWhitespace?: boolean;
}

/**
 * Character error rate: the Levenshtein distance (insertions, deletions and substitutions,
 * each costing 1) between the two texts, counted in Unicode code points after NFC
 * normalisation, divided by the number of code points of the reference. It may exceed 1
 * when the hypothesis holds many extra characters. An empty reference gives 0 against an
 * empty hypothesis and 1 against anything else.
 */
export function characterErrorRate(
  reference: string,
  hypothesis: string,
  options: CharacterErrorRateOptions = {},
): number {
  const prepare = (text: string): string[] => {
    const nfc = text.normalize('NFC');
    return codePoints(options.ignoreWhitespace === true ? nfc.replace(/\s+/gu, '') : nfc);
  };
  const ref = prepare(reference);
  const hyp = prepare(hypothesis);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  return editDistance(ref, hyp) / ref.length;
}

/** Levenshtein distance between two sequences, in O(|b|) memory. */
function editDistance(a: readonly string[], b: readonly string[]): number {
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j += 1) previous[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (ai === b[j - 1] ? 0 : 1);
      const deletion = (previous[j] ?? 0) + 1;
      const insertion = (current[j - 1] ?? 0) + 1;
      current[j] = Math.min(substitution, deletion, insertion);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}

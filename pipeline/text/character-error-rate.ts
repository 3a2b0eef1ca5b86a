import { codePoints } from './code-points.ts';
import { editOperations } from './edit-operations.ts';

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
  const { substitutions, insertions, deletions } = editOperations(ref, hyp);
  return (substitutions + insertions + deletions) / ref.length;
}

import { codePoints } from '../../text/code-points.ts';
import { editOperations, type EditOperations } from '../../text/edit-operations.ts';

/**
 * What whitespace counts for: `ignore` drops it all (vertical Hán-Nôm, whose script has no
 * spaces, so a space the engine puts between glyphs is no error); `collapse` turns every run of
 * spaces, tabs and line breaks into one space and trims the ends (Quốc ngữ: a missing or extra
 * word break is one error, layout — line breaks, blank lines, indentation — none).
 */
export type WhitespaceRule = 'ignore' | 'collapse';

/**
 * What is one sequence for sequence accuracy: `text` the whole text (a column crop, a line
 * image); `lines` every non-blank reference line, read exactly when an equal hypothesis line is
 * left to match it (order aside: a page's lines are matched as a multiset, so one misplaced
 * block does not spoil the lines around it).
 */
export type SequenceUnit = 'text' | 'lines';

export interface CompareTextOptions {
  whitespace: WhitespaceRule;
  sequences: SequenceUnit;
}

/** One reference text against what an engine read, counted in code points after NFC. */
export interface TextComparison {
  /** Code points of the reference after NFC and the whitespace rule. */
  referenceLength: number;
  edits: EditOperations;
  /** Substitutions + insertions + deletions: the edit distance. */
  errors: number;
  /** `errors / referenceLength`; may exceed 1. An empty reference gives 0, or 1 against any text. */
  cer: number;
  sequences: number;
  exactSequences: number;
}

function applyWhitespace(text: string, rule: WhitespaceRule): string {
  const nfc = text.normalize('NFC');
  return rule === 'ignore' ? nfc.replace(/\s+/gu, '') : nfc.replace(/\s+/gu, ' ').trim();
}

/** Non-blank lines, each under the whitespace rule. */
function lines(text: string, rule: WhitespaceRule): string[] {
  return text
    .split(/\r\n|\r|\n/u)
    .map((line) => applyWhitespace(line, rule))
    .filter((line) => line.length > 0);
}

function countExactLines(reference: string, hypothesis: string, rule: WhitespaceRule): { sequences: number; exact: number } {
  const wanted = lines(reference, rule);
  const left = new Map<string, number>();
  for (const line of lines(hypothesis, rule)) left.set(line, (left.get(line) ?? 0) + 1);
  let exact = 0;
  for (const line of wanted) {
    const count = left.get(line) ?? 0;
    if (count > 0) {
      exact += 1;
      left.set(line, count - 1);
    }
  }
  return { sequences: wanted.length, exact };
}

/** Character error rate, its edits and the sequences read exactly, of one hypothesis against its reference. */
export function compareText(reference: string, hypothesis: string, options: CompareTextOptions): TextComparison {
  const ref = codePoints(applyWhitespace(reference, options.whitespace));
  const hyp = codePoints(applyWhitespace(hypothesis, options.whitespace));
  const edits = editOperations(ref, hyp);
  const errors = edits.substitutions + edits.insertions + edits.deletions;
  const whole = { sequences: 1, exact: errors === 0 ? 1 : 0 };
  const { sequences, exact } = options.sequences === 'text' ? whole : countExactLines(reference, hypothesis, options.whitespace);
  return {
    referenceLength: ref.length,
    edits,
    errors,
    cer: ratio(errors, ref.length),
    sequences,
    exactSequences: exact,
  };
}

/** Errors per reference code point; with no reference, 0 when nothing was read and 1 otherwise. */
export function ratio(errors: number, referenceLength: number): number {
  if (referenceLength === 0) return errors === 0 ? 0 : 1;
  return errors / referenceLength;
}

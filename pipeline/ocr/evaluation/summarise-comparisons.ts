import type { EditOperations } from '../../text/edit-operations.ts';
import { ratio, type TextComparison } from './compare-text.ts';

/** A set of comparisons taken together. */
export interface ComparisonSummary {
  samples: number;
  referenceLength: number;
  edits: EditOperations;
  errors: number;
  /**
   * Total errors over total reference code points (micro-average): a long text weighs more than
   * a short one, unlike the mean of the per-sample rates.
   */
  cer: number;
  sequences: number;
  exactSequences: number;
  /** Share of sequences read exactly, 0–1; 0 for an empty set. */
  sequenceAccuracy: number;
}

export function summariseComparisons(comparisons: readonly TextComparison[]): ComparisonSummary {
  const edits = { substitutions: 0, insertions: 0, deletions: 0 };
  let referenceLength = 0;
  let sequences = 0;
  let exactSequences = 0;
  for (const comparison of comparisons) {
    edits.substitutions += comparison.edits.substitutions;
    edits.insertions += comparison.edits.insertions;
    edits.deletions += comparison.edits.deletions;
    referenceLength += comparison.referenceLength;
    sequences += comparison.sequences;
    exactSequences += comparison.exactSequences;
  }
  const errors = edits.substitutions + edits.insertions + edits.deletions;
  return {
    samples: comparisons.length,
    referenceLength,
    edits,
    errors,
    cer: ratio(errors, referenceLength),
    sequences,
    exactSequences,
    sequenceAccuracy: sequences === 0 ? 0 : exactSequences / sequences,
  };
}

export { compareText, type CompareTextOptions, type SequenceUnit, type TextComparison, type WhitespaceRule } from './compare-text.ts';
export { median, summariseAngleErrors, type AngleErrorSummary, type AngleSample } from './summarise-angle-errors.ts';
export { summariseComparisons, type ComparisonSummary } from './summarise-comparisons.ts';

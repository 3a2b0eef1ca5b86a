import test from 'ava';

import {
  compareText,
  median,
  summariseAngleErrors,
  summariseComparisons,
  type CompareTextOptions,
} from '../../../../pipeline/ocr/evaluation/index.ts';
import { codePoints, editOperations } from '../../../../pipeline/text/index.ts';

const EXT_B = '𡨸'; // U+21A38, CJK Extension B: two UTF-16 units
const EXT_B_2 = '𤾓'; // U+24F93
const PUA = '\u{F047C}'; // supplementary Private Use Area: a Nôm character Unicode lacks

const COLUMN: CompareTextOptions = { whitespace: 'ignore', sequences: 'text' };
const PAGE: CompareTextOptions = { whitespace: 'collapse', sequences: 'lines' };

const ops = (reference: string, hypothesis: string) => editOperations(codePoints(reference), codePoints(hypothesis));

test('editOperations splits the edit distance into substitutions, insertions and deletions', (t) => {
  t.deepEqual(ops('abc', 'abc'), { substitutions: 0, insertions: 0, deletions: 0 });
  t.deepEqual(ops('abcd', 'abed'), { substitutions: 1, insertions: 0, deletions: 0 });
  t.deepEqual(ops('abcd', 'abd'), { substitutions: 0, insertions: 0, deletions: 1 });
  t.deepEqual(ops('ab', 'abcd'), { substitutions: 0, insertions: 2, deletions: 0 });
  // kitten → sitting: k→s, e→i, +g.
  t.deepEqual(ops('kitten', 'sitting'), { substitutions: 2, insertions: 1, deletions: 0 });
  t.deepEqual(ops('', ''), { substitutions: 0, insertions: 0, deletions: 0 });
  t.deepEqual(ops('', 'xy'), { substitutions: 0, insertions: 2, deletions: 0 });
  t.deepEqual(ops('xyz', ''), { substitutions: 0, insertions: 0, deletions: 3 });
});

test('characters beyond the BMP and Private Use Area code points count one each', (t) => {
  // Over UTF-16 units these would be 2 substitutions over 4 units.
  const swapped = compareText(`${EXT_B}才命`, `${PUA}才命`, COLUMN);
  t.is(swapped.referenceLength, 3);
  t.deepEqual(swapped.edits, { substitutions: 1, insertions: 0, deletions: 0 });
  t.is(swapped.cer, 1 / 3);

  const missing = compareText(`${EXT_B_2}${EXT_B}${PUA}命`, `${EXT_B_2}${PUA}命`, COLUMN);
  t.is(missing.referenceLength, 4);
  t.deepEqual(missing.edits, { substitutions: 0, insertions: 0, deletions: 1 });
  t.is(missing.cer, 1 / 4);

  const extra = compareText(PUA, `${PUA}${EXT_B_2}`, COLUMN);
  t.deepEqual(extra.edits, { substitutions: 0, insertions: 1, deletions: 0 });
  t.is(extra.cer, 1);

  // Same high surrogate (D846), another character: one substitution of one character.
  t.deepEqual(compareText('𡨸', '𡨹', COLUMN).edits, { substitutions: 1, insertions: 0, deletions: 0 });
});

test('NFD input compares equal to NFC', (t) => {
  const nfc = 'Thư viện Đắk Nông lưu giữ';
  const nfd = nfc.normalize('NFD');
  t.not(nfd, nfc);
  const both = compareText(nfc, nfd, PAGE);
  t.is(both.errors, 0);
  t.is(both.referenceLength, codePoints(nfc).length);
  t.is(both.exactSequences, 1);
  t.is(compareText(nfd, nfc, PAGE).referenceLength, codePoints(nfc).length, 'the reference is counted after NFC too');
  // One wrong mark is one substitution of a precomposed letter, not an edit of a combining mark.
  t.deepEqual(compareText('việt', 'viết'.normalize('NFD'), PAGE).edits, { substitutions: 1, insertions: 0, deletions: 0 });
});

test('empty texts', (t) => {
  const empty = compareText('', '', PAGE);
  t.like(empty, { referenceLength: 0, errors: 0, cer: 0, sequences: 0, exactSequences: 0 });
  t.like(compareText('', 'x', PAGE), { referenceLength: 0, errors: 1, cer: 1 });
  t.like(compareText('abc', '', COLUMN), { referenceLength: 3, cer: 1, sequences: 1, exactSequences: 0 });
  t.like(compareText('', '', COLUMN), { sequences: 1, exactSequences: 1 });
});

test('whitespace: ignored in columns, collapsed to one word break on pages', (t) => {
  t.like(compareText(`${EXT_B}才命`, `${EXT_B} 才\n命 `, COLUMN), { errors: 0, referenceLength: 3, exactSequences: 1 });
  // Layout costs nothing on a page: line breaks, blank lines, indentation, trailing spaces.
  t.like(compareText('thư viện\nquốc gia', '  thư   viện\n\nquốc gia \n', PAGE), { errors: 0, referenceLength: 17 });
  // A lost or an extra word break is one error.
  t.like(compareText('thư viện', 'thưviện', PAGE), { errors: 1, edits: { substitutions: 0, insertions: 0, deletions: 1 } });
  t.like(compareText('thư viện', 'th ư viện', PAGE), { errors: 1, edits: { substitutions: 0, insertions: 1, deletions: 0 } });
});

test('sequences: a whole column, or each page line matched once in any order', (t) => {
  t.like(compareText('仍調', '仍', COLUMN), { sequences: 1, exactSequences: 0 });
  const page = compareText('một hai\nba bốn\nnăm sáu\nba bốn', 'ba bốn\nmột  hai\n\nnăm xáu\n', PAGE);
  t.is(page.sequences, 4);
  t.is(page.exactSequences, 2, 'the second "ba bốn" has no line left to match');
});

test('a set is summarised as total errors over total reference length', (t) => {
  const comparisons = [compareText('abcd', 'abed', COLUMN), compareText('ab', 'abcd', COLUMN), compareText('xyz', 'xyz', COLUMN)];
  const summary = summariseComparisons(comparisons);
  t.deepEqual(summary, {
    samples: 3,
    referenceLength: 9,
    edits: { substitutions: 1, insertions: 2, deletions: 0 },
    errors: 3,
    cer: 3 / 9,
    sequences: 3,
    exactSequences: 1,
    sequenceAccuracy: 1 / 3,
  });
  t.not(summary.cer, comparisons.reduce((sum, c) => sum + c.cer, 0) / 3, 'not the mean of the per-sample rates');
  t.like(summariseComparisons([]), { samples: 0, cer: 0, sequenceAccuracy: 0 });
});

test('angle errors: mean, median and max of the absolute differences', (t) => {
  t.deepEqual(
    summariseAngleErrors([
      { expected: 1, estimated: 1.5 },
      { expected: -2, estimated: -2.25 },
      { expected: 7, estimated: 6 },
      { expected: 0, estimated: 0 },
    ]),
    { samples: 4, mean: 1.75 / 4, median: 0.375, max: 1 },
  );
  t.deepEqual(summariseAngleErrors([]), { samples: 0, mean: 0, median: 0, max: 0 });
  t.is(median([3, 1, 2]), 2);
});

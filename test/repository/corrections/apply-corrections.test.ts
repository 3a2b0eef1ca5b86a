import test from 'ava';
import { applyCorrections, type StoredOcrPage } from '../../../repository/index.ts';
import { ConflictError, InvalidInputError } from '../../../storage/index.ts';

const box = { x: 0, y: 0, width: 10, height: 10 };
const vertical: StoredOcrPage = {
  text: '天地\n\n玄黃',
  lines: [
    { text: '天地', box, words: [{ text: '天', box, confidence: 50 }, { text: '地', box, confidence: 70 }] },
    { text: '玄黃', box, words: [{ text: '玄', box, confidence: 90 }, { text: '黃', box, confidence: 10 }] },
  ],
  meanConfidence: 55,
  languages: 'chi_tra_vert',
  direction: 'vertical-rl',
  imageWidth: 100,
  imageHeight: 100,
  engineNote: 'kept',
};

test('vertical lines keep no spaces; a confirmed box keeps its text at confidence 100; unknown fields survive', (t) => {
  const page = applyCorrections(vertical, [
    { lineIndex: 1, wordIndex: 1, before: '黃', after: '\u{20000}' },
    { lineIndex: 0, wordIndex: 0, before: '天', after: '天' },
  ]);
  t.is(page.text, '天地\n\n玄\u{20000}');
  t.is(page.lines[0]!.words[0]!.confidence, 100);
  t.is(page.lines[0]!.words[0]!.alternatives, undefined, 'confirming adds no alternative');
  t.deepEqual(page.lines[1]!.words[1]!.alternatives, [{ text: '黃', confidence: 10 }]);
  t.is(page.meanConfidence, (100 + 70 + 90 + 100) / 4);
  t.is(page.engineNote, 'kept');
  t.is(vertical.lines[1]!.words[1]!.text, '黃', 'the input is not changed');
});

test('a line text that does not hold its words is rebuilt from them', (t) => {
  const odd = { ...vertical, text: 'x', lines: [{ ...vertical.lines[0]!, text: 'garbled' }] };
  const page = applyCorrections(odd, [{ lineIndex: 0, wordIndex: 1, before: '地', after: '人' }]);
  t.is(page.lines[0]!.text, '天人');
  t.is(page.text, '天人');
});

test('edits that name no box, repeat a box, hold spaces or nothing, or no longer match are refused', (t) => {
  t.throws(() => applyCorrections(vertical, [{ lineIndex: 2, wordIndex: 0, before: '天', after: '人' }]), { instanceOf: InvalidInputError, message: /no box line 3, word 1/ });
  t.throws(() => applyCorrections(vertical, [{ lineIndex: 0, wordIndex: 0, before: '天', after: '人' }, { lineIndex: 0, wordIndex: 0, before: '天', after: '地' }]), { instanceOf: InvalidInputError, message: /twice/ });
  t.throws(() => applyCorrections(vertical, [{ lineIndex: 0, wordIndex: 0, before: '天', after: '人 人' }]), { instanceOf: InvalidInputError, message: /spaces/ });
  t.throws(() => applyCorrections(vertical, [{ lineIndex: 0, wordIndex: 0, before: '天', after: ' ' }]), { instanceOf: InvalidInputError, message: /empty/ });
  t.throws(() => applyCorrections(vertical, [{ lineIndex: 0, wordIndex: 0, before: '天', after: '\u{F0000}'.repeat(65) }]), { instanceOf: InvalidInputError, message: /64 characters/ });
  t.notThrows(() => applyCorrections(vertical, [{ lineIndex: 0, wordIndex: 0, before: '天', after: '\u{F0000}'.repeat(64) }]), '64 code points, 128 UTF-16 units');
  t.throws(() => applyCorrections(vertical, [{ lineIndex: 0, wordIndex: 0, before: '人', after: '地' }]), { instanceOf: ConflictError });
});

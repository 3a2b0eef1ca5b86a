import test from 'ava';

import { characterErrorRate, codePoints, foldVietnamese, normaliseText } from '../../../pipeline/text/index.ts';

// The utilities live in pipeline/text; their tests sit here with the OCR tests that use them.

const HAN_NOM = '𡨸'; // U+21A38, CJK Extension B: two UTF-16 units
const PUA = '\u{F047C}'; // supplementary Private Use Area (a Nôm character Unicode lacks)

test('codePoints counts characters beyond the BMP once', (t) => {
  t.deepEqual(codePoints(`a${HAN_NOM}${PUA}b`), ['a', HAN_NOM, PUA, 'b']);
  t.is(`${HAN_NOM}${PUA}`.length, 4);
  t.is(codePoints(`${HAN_NOM}${PUA}`).length, 2);
  t.deepEqual(codePoints(''), []);
});

test('CER of known pairs', (t) => {
  t.is(characterErrorRate('abc', 'abc'), 0);
  t.is(characterErrorRate('abcd', 'abed'), 0.25); // one substitution
  t.is(characterErrorRate('abcd', 'abd'), 0.25); // one deletion
  t.is(characterErrorRate('ab', 'abcd'), 1); // two insertions
  t.is(characterErrorRate('kitten', 'sitting'), 3 / 6);
  t.is(characterErrorRate('', ''), 0);
  t.is(characterErrorRate('', 'x'), 1);
  t.is(characterErrorRate('abc', ''), 1);
});

test('CER counts code points, not UTF-16 units', (t) => {
  // One Extension B character replaced by a PUA one: 1 error over 3 characters. Over UTF-16
  // units (D846 DE38 vs DB81 DC7C) it would be 2 errors over 4 units: 0.5.
  t.is(characterErrorRate(`${HAN_NOM}才命`, `${PUA}才命`), 1 / 3);
  // A missing non-BMP character is one deletion over 4 characters (UTF-16: 2 over 5 units).
  t.is(characterErrorRate(`仍調${HAN_NOM}命`, '仍調命'), 1 / 4);
  t.is(characterErrorRate(`${PUA}${PUA}`, `${PUA}`), 1 / 2);
  // Same high surrogate (D846), different character: one substitution over one character (UTF-16: 1 over 2).
  t.is(characterErrorRate('𡨸', '𡨹'), 1);
});

test('CER compares after NFC and can ignore whitespace', (t) => {
  const nfc = 'Thư viện Đắk Nông';
  const nfd = nfc.normalize('NFD');
  t.not(nfd, nfc);
  t.is(characterErrorRate(nfc, nfd), 0);
  t.is(characterErrorRate('thư viện', 'thư  viện\n'), 2 / 8);
  t.is(characterErrorRate('thư viện', 'thư  viện\n', { ignoreWhitespace: true }), 0);
  t.is(characterErrorRate('thư viện', 'thuviện', { ignoreWhitespace: true }), 1 / 7);
});

test('normaliseText gives NFC and trims line ends', (t) => {
  const nfc = 'Hằng năm cứ vào cuối thu';
  t.is(normaliseText(nfc.normalize('NFD')), normaliseText(nfc));
  t.is(normaliseText(nfc.normalize('NFD')), nfc);
  t.is(normaliseText('dòng một  \t\r\n  dòng hai \n\n'), 'dòng một\n  dòng hai\n\n');
  t.is(normaliseText(`${HAN_NOM}${PUA} `), `${HAN_NOM}${PUA}`);
});

test('foldVietnamese removes marks, maps đ and lower-cases', (t) => {
  t.is(foldVietnamese('Đắk Nông'), 'dak nong');
  t.is(foldVietnamese('thư viện'), 'thu vien');
  t.is(foldVietnamese('địa chí'), 'dia chi');
  t.is(foldVietnamese('ĐỊA CHÍ'), 'dia chi');
  t.is(foldVietnamese('Ảnh quét ở độ phân giải ba trăm'), 'anh quet o do phan giai ba tram');
  t.is(foldVietnamese('Đắk Nông'.normalize('NFD')), 'dak nong');
  t.is(foldVietnamese(`Truyện Kiều ${HAN_NOM}`), `truyen kieu ${HAN_NOM}`);
});

import test from 'ava';
import { foldCodePoint, foldText, foldWithOffsets } from '../../../repository/search/index.ts';

test('folds Vietnamese marks, đ and case the way immutable_unaccent + lower do', (t) => {
  t.is(foldText('Thư viện'), 'thu vien');
  t.is(foldText('Địa chí'), 'dia chi');
  t.is(foldText('Đắk Nông'), 'dak nong');
  t.is(foldText('ĐẮK NÔNG'), 'dak nong');
  t.is(foldText('Thư viện'.normalize('NFD')), 'thu vien');
  t.is(foldCodePoint('\u0301'), '');
});

test('maps every folded unit back to the code point it came from', (t) => {
  const text = 'Đắk 𡨸 viện';
  const { codePoints, folded, source } = foldWithOffsets(text);
  t.deepEqual(codePoints, ['Đ', 'ắ', 'k', ' ', '𡨸', ' ', 'v', 'i', 'ệ', 'n']);
  t.is(folded, 'dak 𡨸 vien');
  t.is(source.length, folded.length);
  const at = folded.indexOf('vien');
  t.is(codePoints.slice(source[at]!, source[at + 3]! + 1).join(''), 'viện');
  // The non-BMP character is two folded units, both from code point 4.
  const nom = folded.indexOf('𡨸');
  t.deepEqual([source[nom], source[nom + 1]], [4, 4]);
});

test('NFD text keeps its combining marks attached to the base letter', (t) => {
  const text = 'viện'.normalize('NFD');
  const { codePoints, folded, source } = foldWithOffsets(text);
  t.is(folded, 'vien');
  t.true(codePoints.length > 4);
  t.is(source[3], codePoints.indexOf('n'));
});

import test from 'ava';
import { MAX_QUERY_LENGTH, parseSearchQuery } from '../../../repository/search/index.ts';
import { InvalidInputError } from '../../../storage/index.ts';

test('folds and splits the query into distinct words, with defaults', (t) => {
  const parsed = parseSearchQuery({ q: '  Thư viện, ĐẮK Nông thư ' });
  t.deepEqual(parsed.terms, ['thu', 'vien', 'dak', 'nong']);
  t.is(parsed.q, 'Thư viện, ĐẮK Nông thư');
  t.is(parsed.limit, 20);
  t.is(parsed.offset, 0);
});

test('NFD input is put in NFC and folds like NFC', (t) => {
  const parsed = parseSearchQuery({ q: 'Địa chí'.normalize('NFD') });
  t.is(parsed.q, 'Địa chí');
  t.deepEqual(parsed.terms, ['dia', 'chi']);
});

test('empty, blank, punctuation-only and over-long queries are InvalidInputError', (t) => {
  for (const q of ['', '   ', '!!! … ---', 'a'.repeat(MAX_QUERY_LENGTH + 1), Array.from({ length: 13 }, (_, i) => `w${i}`).join(' ')]) {
    const error = t.throws(() => parseSearchQuery({ q }), { instanceOf: InvalidInputError }, q.slice(0, 20));
    t.is(error?.code, 'INVALID_INPUT');
  }
  // The limit counts characters (code points), not UTF-16 units.
  t.notThrows(() => parseSearchQuery({ q: '𡨸'.repeat(MAX_QUERY_LENGTH) }));
});

test('bad filters and paging are InvalidInputError', (t) => {
  const bad = [
    { q: 'x', limit: 0 },
    { q: 'x', limit: 101 },
    { q: 'x', offset: -1 },
    { q: 'x', limit: 1.5 },
    { q: 'x', script: 'latin' },
    { q: 'x', category: 'novels' as 'rare' },
    { q: 'x', yearFrom: 1950, yearTo: 1900 },
  ];
  for (const query of bad) t.throws(() => parseSearchQuery(query), { instanceOf: InvalidInputError }, JSON.stringify(query));
});

import test from 'ava';
import { groupWorks, type Holding } from '../../../repository/harvest/group-works.ts';
import { foldForKey, matchKeys, normaliseIsbn, normaliseIssn, standardNumbers, yearOf } from '../../../repository/harvest/match-keys.ts';
import { nextFrom } from '../../../repository/harvest/harvester.ts';

test('an ISBN-10 and its ISBN-13, with or without hyphens, are one number', (t) => {
  t.is(normaliseIsbn('0-306-40615-2'), '9780306406157');
  t.is(normaliseIsbn('0306406152'), '9780306406157');
  t.is(normaliseIsbn('978-0-306-40615-7'), '9780306406157');
  t.is(normaliseIsbn('0-8044-2957-X'), '9780804429573');
  t.is(normaliseIsbn('0306406153'), null, 'a wrong check digit is no ISBN');
  t.is(normaliseIsbn('9780306406158'), null);
});

test('an ISSN keeps its hyphenated form and must have a valid check digit', (t) => {
  t.is(normaliseIssn('ISSN 0317-8471'), '0317-8471');
  t.is(normaliseIssn('urn:issn:2049-3630'), '2049-3630');
  t.is(normaliseIssn('0317-8472'), null);
});

test('standard numbers are read from URNs, labelled and bare identifiers, never from URLs', (t) => {
  t.deepEqual(standardNumbers(['urn:isbn:0306406152', 'ISBN 978-0-306-40615-7 (bìa mềm)', 'urn:issn:0317-8471', 'http://x.example/1234567890', 'ĐC-01']), ['isbn:9780306406157', 'issn:0317-8471']);
});

test('titles, creators and years fold to one key whatever the diacritics and punctuation', (t) => {
  const accented = matchKeys({ title: [{ value: 'Truyện Kiều.' }], creator: [{ value: 'Nguyễn Du' }], date: [{ value: '[1820?]' }] });
  const plain = matchKeys({ title: [{ value: 'truyen  kieu' }], creator: [{ value: 'NGUYEN DU' }], date: [{ value: '1820-05-01' }] });
  t.is(accented.titleKey, 'truyen kieu|nguyen du|1820');
  t.is(plain.titleKey, accented.titleKey);
  t.is(foldForKey('Đắk Nông'), 'dak nong');
  t.is(matchKeys({ creator: [{ value: 'x' }] }).titleKey, null, 'no title, no key');
});

test('Nôm beyond the BMP survives folding', (t) => {
  t.is(foldForKey('𡨸喃 Truyện'), '𡨸喃 truyen');
});

test('years: the first four-digit year of a date text', (t) => {
  t.is(yearOf('khoảng 1920–1925'), '1920');
  t.is(yearOf('s.d.'), null);
  t.is(yearOf(undefined), null);
});

test('works group by a shared number or the same title key, transitively', (t) => {
  const holding = (library: string, isbn: string[], titleKey: string | null): Holding => ({
    library, origin: 'local', metadataPrefix: null, title: library, creator: null, date: null, documentUrl: null, manifestUrl: null, digitalCopy: false, keys: { standardNumbers: isbn, titleKey },
  });
  const groups = groupWorks([holding('A', ['isbn:1'], 'x||'), holding('B', ['isbn:1'], 'y||'), holding('C', [], 'y||'), holding('D', [], 'z||')]);
  t.deepEqual(groups.map((group) => group.holdings.map((h) => h.library)), [['A', 'B', 'C'], ['D']]);
});

test('the next from is a second before the last start, at the source granularity', (t) => {
  t.is(nextFrom('2026-11-22T05:00:00Z', 'seconds'), '2026-11-22T04:59:59Z');
  t.is(nextFrom('2026-11-22T00:00:00Z', 'day'), '2026-11-21');
  t.is(nextFrom(null, 'seconds'), null);
});

import test from 'ava';
import { checkDublinCore, isIsbn, isLanguageCode, isW3cdtf } from '../../repository/database/dublin-core-rules.ts';
import { createRepositories, IN_MEMORY, migrateToLatest, PgliteDatabase, type DcValue, type DublinCore } from '../../repository/index.ts';

const codes = (record: Partial<DublinCore>) => checkDublinCore({ title: [{ value: 'Truyện Kiều' }], ...record }).map((p) => `${p.severity}:${p.code}@${p.element}.${p.index ?? ''}`);

test('W3CDTF dates: years, months, days and times that exist; nothing else', (t) => {
  for (const date of ['1820', '1925-08', '1925-08-19', '2024-02-29', '2026-11-22T04:54Z', '2026-11-22T04:54:30+07:00']) t.true(isW3cdtf(date), date);
  for (const date of ['25', '1925-8', '1925-13', '2023-02-29', '1925-08-32', '19/08/1925', '1925?', 'năm 1925', '1925-08-19T25:00Z']) t.false(isW3cdtf(date), date);
});

test('language codes: ISO 639-2/3 and BCP 47 tags', (t) => {
  for (const code of ['vi', 'vie', 'lzh', 'zh-Hant', 'vi-Hani', 'en-GB']) t.true(isLanguageCode(code), code);
  for (const code of ['Tiếng Việt', 'v', 'vietnamese', 'vi_VN', '']) t.false(isLanguageCode(code), code);
});

test('ISBN check digits', (t) => {
  t.true(isIsbn('0-306-40615-2'));
  t.true(isIsbn('9780306406157'));
  t.false(isIsbn('9780306406158'));
  t.false(isIsbn('12345'));
});

test('a record needs a title', (t) => {
  const problems = checkDublinCore({ creator: [{ value: 'Nguyễn Du', lang: 'vi' }] });
  t.deepEqual(problems.map((p) => [p.code, p.severity]), [['title.required', 'error']]);
});

test('a date without a language must be W3CDTF; a free-text date is marked by its language', (t) => {
  t.deepEqual(codes({ date: [{ value: '1820' }, { value: 'khoảng cuối thế kỷ 19', lang: 'vi' }] }), []);
  t.deepEqual(codes({ date: [{ value: '1820' }, { value: '19/08/1925' }] }), ['error:date.w3cdtf@date.1']);
});

test('language values are codes; a language name is only a warning when it carries a language', (t) => {
  t.deepEqual(codes({ language: [{ value: 'vie' }, { value: 'vi-Hani' }, { value: 'lzh' }] }), []);
  t.deepEqual(codes({ language: [{ value: 'Tiếng Việt' }, { value: 'Hán Nôm', lang: 'vi' }] }), ['error:language.code@language.0', 'warning:language.freeText@language.1']);
});

test('identifiers: URIs must parse, urn:isbn must be a valid ISBN, a bare ISBN is a warning, other text passes', (t) => {
  t.deepEqual(codes({ identifier: [{ value: 'urn:isbn:9780306406157' }, { value: 'https://so.example.vn/tai-lieu/1' }, { value: 'HN-1234' }] }), []);
  t.deepEqual(codes({ identifier: [{ value: 'urn:isbn:9780306406158' }, { value: 'http://' }, { value: 'ISBN 978-0-306-40615-7' }] }), [
    'error:identifier.isbn@identifier.0',
    'error:identifier.uri@identifier.1',
    'warning:identifier.isbnAsUrn@identifier.2',
  ]);
});

test('format: a media type or an extent; rights: free text or a valid URI', (t) => {
  t.deepEqual(codes({ format: [{ value: 'image/tiff' }, { value: '245 tr. ; 24 cm' }], rights: [{ value: 'CC0 1.0', lang: 'en' }, { value: 'https://creativecommons.org/publicdomain/zero/1.0/' }] }), []);
  t.deepEqual(codes({ format: [{ value: 'imag/tiff' }, { value: 'giấy dó' }], rights: [{ value: 'http://' }] }), [
    'error:format.mediaType@format.0',
    'warning:format.unrecognised@format.1',
    'error:rights.uri@rights.0',
  ]);
});

test('creators: "Surname, Given names" is only recommended, and not for Vietnamese or Chinese names', (t) => {
  const creators: DcValue[] = [{ value: 'Nguyễn Du', lang: 'vi' }, { value: '阮攸', lang: 'lzh' }, { value: 'Hugo, Victor', lang: 'fr' }, { value: 'Victor Hugo', lang: 'fr' }];
  t.deepEqual(codes({ creator: creators }), ['warning:creator.inverted@creator.3']);
});

test('the item repository refuses a record that breaks a rule, with the rule code at the value; it stores NFC and keeps Nôm and PUA', async (t) => {
  const database = await PgliteDatabase.open(IN_MEMORY);
  t.teardown(() => database.close());
  await migrateToLatest(database);
  const { libraries, collections, items } = createRepositories(database.db);
  const library = await libraries.create({ slug: 'hue', name: 'Thư viện Huế', province: 'Huế', kind: 'provincial' });
  const collection = await collections.create({ libraryId: library.id, slug: 'han-nom', title: 'Hán Nôm', category: 'rare' });
  const item = await items.create({ collectionId: collection.id, identifier: 'HN-1', title: 'Truyện Kiều' });
  const error = await t.throwsAsync(items.update(item.id, { dublinCore: { title: [{ value: 'Truyện Kiều' }], date: [{ value: '1925-13' }] } }));
  t.is(error?.name, 'InvalidInputError');
  t.like((error as unknown as { details: { issues: unknown[] } }).details.issues[0], { path: ['dublinCore', 'date', '0', 'value'], code: 'date.w3cdtf' });
  const nom = '𡨸喃 \u{F0000}';
  const updated = await items.update(item.id, {
    dublinCore: { title: [{ value: 'Truyện Kiều'.normalize('NFD') }, { value: nom, lang: 'vi-Hani' }], date: [{ value: '1820' }], creator: [{ value: 'Nguyễn Du', lang: 'vi' }] },
  });
  t.deepEqual(updated.dublinCore.title, [{ value: 'Truyện Kiều'.normalize('NFC') }, { value: nom, lang: 'vi-Hani' }]);
  t.is(updated.title, 'Truyện Kiều'.normalize('NFC'));
});

import test from 'ava';
import type { MarcInJson } from '../../../repository/database/schema.ts';
import { marcItemIdentifier } from '../../../repository/marc/marc-item-identifier.ts';
import { marcToDublinCore, stripIsbd } from '../../../repository/marc/marc-to-dublin-core.ts';

type Subfields = [code: string, value: string][];
const data = (tag: string, ind: string, subfields: Subfields) => ({ [tag]: { ind1: ind[0]!, ind2: ind[1]!, subfields: subfields.map(([code, value]) => ({ [code]: value })) } });
const record = (...fields: MarcInJson['fields']): MarcInJson => ({ leader: '00000nam a2200000 a 4500', fields });

const kieu = record(
  { '001': 'VN-0001' },
  { '008': '200101s1995    vm            000 1 vie d' },
  data('020', '  ', [['a', '978-604-0-00001-2 (bìa cứng)']]),
  data('022', '  ', [['a', '0866-7375']]),
  data('041', '0 ', [['a', 'vie'], ['a', 'chi']]),
  data('090', '  ', [['a', '895.9221'], ['b', 'NG-D']]),
  data('100', '0 ', [['a', 'Nguyễn Du,'], ['d', '1765-1820.']]),
  data('245', '10', [['a', 'Truyện Kiều :'], ['b', 'Đoạn trường tân thanh /'], ['c', 'Nguyễn Du']]),
  data('250', '  ', [['a', 'Tái bản lần thứ 2.']]),
  data('260', '  ', [['a', 'Hà Nội :'], ['b', 'Văn học,'], ['c', 'c1995.']]),
  data('300', '  ', [['a', '325 tr. :'], ['b', 'minh họa ;'], ['c', '21 cm']]),
  data('500', '  ', [['a', 'Bản chữ Nôm 𡨸喃 kèm theo.']]),
  data('650', ' 7', [['a', 'Văn học Việt Nam'], ['x', 'Truyện thơ'], ['y', 'Thế kỷ 19.']]),
  data('651', ' 7', [['a', 'Việt Nam.']]),
  data('700', '1 ', [['a', 'Đào, Duy Anh,'], ['e', 'chú giải.']]),
  data('856', '40', [['u', 'https://example.org/kieu.pdf']]),
  data('856', '42', [['u', 'https://example.org/kieu-muc-luc']]),
);

test('a Vietnamese record maps to Dublin Core with ISBD punctuation removed and vi tags on text', (t) => {
  const { title, dublinCore, language } = marcToDublinCore(kieu);
  t.is(title, 'Truyện Kiều : Đoạn trường tân thanh');
  t.is(language, 'vi');
  t.deepEqual(dublinCore.title, [{ value: 'Truyện Kiều : Đoạn trường tân thanh', lang: 'vi' }]);
  t.deepEqual(dublinCore.identifier, [
    { value: 'VN-0001' },
    { value: 'urn:isbn:9786040000012' },
    { value: 'urn:issn:0866-7375' },
    { value: 'https://example.org/kieu.pdf' },
  ]);
  t.deepEqual(dublinCore.language, [{ value: 'vi' }, { value: 'zh' }]);
  t.deepEqual(dublinCore.creator, [{ value: 'Nguyễn Du, 1765-1820' }]);
  t.deepEqual(dublinCore.contributor, [{ value: 'Đào, Duy Anh' }]);
  t.deepEqual(dublinCore.publisher, [{ value: 'Hà Nội : Văn học', lang: 'vi' }]);
  t.deepEqual(dublinCore.date, [{ value: '1995' }]);
  t.deepEqual(dublinCore.format, [{ value: '325 tr. : minh họa ; 21 cm', lang: 'vi' }]);
  t.deepEqual(dublinCore.description, [
    { value: 'Tái bản lần thứ 2', lang: 'vi' },
    { value: 'Bản chữ Nôm 𡨸喃 kèm theo.', lang: 'vi' },
  ]);
  t.deepEqual(dublinCore.subject, [
    { value: 'Văn học Việt Nam -- Truyện thơ -- Thế kỷ 19', lang: 'vi' },
    { value: 'Việt Nam', lang: 'vi' },
  ]);
  t.deepEqual(dublinCore.coverage, [{ value: 'Việt Nam', lang: 'vi' }]);
  t.deepEqual(dublinCore.relation, [{ value: 'https://example.org/kieu-muc-luc' }]);
  t.deepEqual(dublinCore.type, [{ value: 'Text' }]);
  t.is(marcItemIdentifier(kieu), '895.9221 NG-D');
});

test('values come out NFC and Nôm characters beyond the BMP and in the Private Use Area survive', (t) => {
  const nfd = 'Đại Việt sử ký toàn thư'.normalize('NFD');
  const nom = '𡨸喃 \u{F0000}\uE000';
  const { title, dublinCore } = marcToDublinCore(record({ '001': '7' }, data('245', '10', [['a', `${nfd} /`]]), data('500', '  ', [['a', nom]])));
  t.is(title, 'Đại Việt sử ký toàn thư');
  t.is(title, title.normalize('NFC'));
  t.not(title, nfd);
  t.deepEqual(dublinCore.description, [{ value: nom }]);
  t.is([...dublinCore.description![0]!.value].length, 5);
});

test('language falls back to 008/35-37; 264 only counts for publication; the year falls back to 008', (t) => {
  const { dublinCore, language } = marcToDublinCore(
    record(
      { '008': '200101s1987    vm            000 1 eng d' },
      data('245', '00', [['a', 'Annam.']]),
      data('264', ' 4', [['c', '©2001']]),
      data('264', ' 1', [['a', 'Sài Gòn :'], ['b', 'Khai Trí']]),
    ),
  );
  t.is(language, 'en');
  t.deepEqual(dublinCore.title, [{ value: 'Annam', lang: 'en' }]);
  t.deepEqual(dublinCore.publisher, [{ value: 'Sài Gòn : Khai Trí', lang: 'en' }]);
  t.deepEqual(dublinCore.date, [{ value: '1987' }]);
});

test('without 041 and 008 nothing is tagged; a bad ISBN is kept as text; no 245 gives an empty title', (t) => {
  const { title, dublinCore, language } = marcToDublinCore(record(data('020', '  ', [['a', 'không rõ']]), data('500', '  ', [['a', 'Ghi chú']])));
  t.is(title, '');
  t.is(language, undefined);
  t.is(dublinCore.title, undefined);
  t.deepEqual(dublinCore.identifier, [{ value: 'ISBN không rõ' }]);
  t.deepEqual(dublinCore.description, [{ value: 'Ghi chú' }]);
});

test('the identifier is the call number (090, 852, 952, 099, 084 in that order), else MARC-<001>', (t) => {
  t.is(marcItemIdentifier(record({ '001': '42' }, data('852', '  ', [['h', 'V23'], ['i', 'TR527K']]), data('084', '  ', [['a', 'X']]))), 'V23 TR527K');
  t.is(marcItemIdentifier(record({ '001': '42' }, data('952', '  ', [['o', 'Hn  12']]))), 'Hn 12');
  t.is(marcItemIdentifier(record({ '001': ' 42 ' })), 'MARC-42');
  t.is(marcItemIdentifier(record(data('245', '10', [['a', 'x']]))), undefined);
});

test('stripIsbd removes the punctuation before the next element, keeping initials and ellipses', (t) => {
  t.is(stripIsbd('Truyện Kiều /'), 'Truyện Kiều');
  t.is(stripIsbd('Hà Nội :'), 'Hà Nội');
  t.is(stripIsbd('Văn học,'), 'Văn học');
  t.is(stripIsbd('Lê, Q.'), 'Lê, Q.');
  t.is(stripIsbd('Còn nữa...'), 'Còn nữa...');
  t.is(stripIsbd('325 tr. ;', false), '325 tr.');
});

import { DOMParser } from '@xmldom/xmldom';
import test from 'ava';
import { matchKeys } from '../../../repository/harvest/match-keys.ts';
import { parseOaiResponse, type HarvestedRecord } from '../../../repository/harvest/parse-oai-response.ts';
import { deletedRecord, KIEU_MARCXML, LEADER, listRecords, marcxml, oaiDc, record } from './oai-marcxml.fixture.ts';

const MARC = 'http://www.loc.gov/MARC21/slim';
const URL = 'http://source.example/oai?verb=ListRecords';

const live = (parsed: HarvestedRecord | undefined) => {
  if (parsed?.kind !== 'live') throw new Error(`expected a live record, got ${JSON.stringify(parsed)}`);
  return parsed;
};

test('a MARCXML record gives the fields the oai_dc path fills, in NFC, with a Nôm character beyond the BMP intact', (t) => {
  const page = parseOaiResponse(listRecords([record('oai:koha:42', KIEU_MARCXML)], 'next-page'), URL, 'marcxml');
  t.is(page.resumptionToken, 'next-page');
  const kieu = live(page.records[0]);
  const dc = kieu.dublinCore;
  t.deepEqual(dc.title, [{ value: 'Truyện Kiều 𡨸 : Đoạn trường tân thanh', lang: 'vi' }]);
  t.true(dc.title![0]!.value.includes('\u{21A38}'), 'U+21A38 (𡨸) whole, not two halves of a surrogate pair');
  t.deepEqual(dc.creator, [{ value: 'Nguyễn Du, 1765-1820' }]);
  t.deepEqual(dc.date, [{ value: '1995' }]);
  t.deepEqual(dc.language, [{ value: 'vi' }, { value: 'zh' }]);
  t.deepEqual(dc.subject, [{ value: 'Văn học Việt Nam -- Truyện thơ', lang: 'vi' }]);
  t.deepEqual(dc.relation, [{ value: 'https://koha.example.vn/iiif/42/manifest' }]);
  t.true(dc.identifier!.some((value) => value.value === 'https://koha.example.vn/cgi-bin/koha/opac-detail.pl?biblionumber=42'));
  const keys = matchKeys(dc);
  t.deepEqual(keys.standardNumbers, ['isbn:9780306406157', 'issn:0317-8471']);
  t.is(keys.titleKey, 'truyen kieu 𡨸 doan truong tan thanh|nguyen du 1765 1820|1995');

  // The record is kept as sent: the MARC namespace declared, the decomposed text untouched.
  const kept = new DOMParser().parseFromString(kieu.metadataXml, 'text/xml').documentElement!;
  t.is(kept.namespaceURI, MARC);
  t.is(kept.localName, 'record');
  t.true(kieu.metadataXml.includes('Truyện Kiều 𡨸 :'.normalize('NFD')));
});

test('a malformed MARCXML record is skipped with its reason; the rest of the page stands', (t) => {
  const page = parseOaiResponse(
    listRecords([
      record('oai:koha:1', marcxml('00000nam', [['245', '10', [['a', 'Lá ngọc cành vàng']]]])),
      record('oai:koha:2', marcxml(LEADER, [['245', '1', [['a', 'Thiếu chỉ thị']]]])),
      record('oai:koha:3', oaiDc('Không phải MARC')),
      record('oai:koha:4', marcxml(LEADER, [['245', '10', [['a', 'Lục Vân Tiên']]]])),
      deletedRecord('oai:koha:5'),
    ]),
    URL,
    'marcxml',
  );
  t.deepEqual(
    page.records.map((parsed) => [parsed.identifier, parsed.kind, parsed.kind === 'malformed' ? parsed.reason : '']),
    [
      ['oai:koha:1', 'malformed', 'the leader is 8 characters long instead of 24'],
      ['oai:koha:2', 'malformed', 'field 245 does not have two indicators'],
      ['oai:koha:3', 'malformed', `the metadata holds no MARC 21 slim record (namespace ${MARC})`],
      ['oai:koha:4', 'live', ''],
      ['oai:koha:5', 'deleted', ''],
    ],
  );
  t.deepEqual(live(page.records[3]).dublinCore.title, [{ value: 'Lục Vân Tiên' }]);
});

test('a MARC collection holding one record is read; the oai_dc path keeps its record as sent too', (t) => {
  const wrapped = `<collection xmlns="${MARC}"><record><leader>${LEADER}</leader><datafield tag="245" ind1="0" ind2="0"><subfield code="a">Đại Việt sử ký toàn thư</subfield></datafield></record></collection>`;
  t.deepEqual(live(parseOaiResponse(listRecords([record('oai:x:1', wrapped)]), URL, 'marcxml').records[0]).dublinCore.title, [{ value: 'Đại Việt sử ký toàn thư' }]);

  const dc = live(parseOaiResponse(listRecords([record('oai:x:2', oaiDc('Truyện Kiều 𡨸'.normalize('NFD'), ['urn:isbn:0306406152']))]), URL, 'oai_dc').records[0]);
  t.deepEqual(dc.dublinCore.title, [{ value: 'Truyện Kiều 𡨸' }]);
  t.true(dc.metadataXml.startsWith('<oai_dc:dc ') && dc.metadataXml.includes('urn:isbn:0306406152'));
});

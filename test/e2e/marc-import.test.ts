import test from 'ava';
import marcjs, { type MarcjsRecord } from 'marcjs';
import { ItemRepository } from '../../repository/database/item.repository.ts';
import type { MarcImportResult } from '../../repository/marc/import-marc.ts';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, startAppOnFreePort, type RunningApp } from '../helpers/running-app.ts';

type Field = Parameters<MarcjsRecord['append']>[0];

/** A bibliographic record built with marcjs itself; leader/09 "a" (UTF-8) unless told. */
function marcRecord(leader: string, ...fields: Field[]): MarcjsRecord {
  const record = new marcjs.Record();
  record.leader = leader;
  record.append(...fields);
  return record;
}

const UTF8 = '00000nam a2200000 a 4500';
const MARC8 = '00000nam  2200000 a 4500';
const kieu = () =>
  marcRecord(
    UTF8,
    ['001', 'KIEU-1'],
    ['041', '0 ', 'a', 'vie'],
    ['090', '  ', 'a', '895.9221', 'b', 'NG-D'],
    ['100', '0 ', 'a', 'Nguyễn Du,', 'd', '1765-1820.'],
    ['245', '10', 'a', 'Truyện Kiều /', 'c', 'Nguyễn Du'],
    ['260', '  ', 'a', 'Hà Nội :', 'b', 'Văn học,', 'c', '2015.'],
    ['300', '  ', 'a', '325 tr. ;', 'c', '21 cm'],
    ['650', ' 7', 'a', 'Văn học Việt Nam', 'x', 'Truyện thơ'],
  );
const dvsk = () =>
  marcRecord(
    UTF8,
    ['001', 'DVSK-2'],
    ['008', '200101s1697    vm            000 0 vie d'],
    ['245', '10', 'a', 'Đại Việt sử ký toàn thư'],
    ['500', '  ', 'a', 'Có chữ Nôm 𡨸喃 và ký tự riêng \u{F0001}.'],
  );
const untitled = () => marcRecord(UTF8, ['001', 'NO-TITLE-3'], ['090', '  ', 'a', '959.7'], ['500', '  ', 'a', 'Thiếu nhan đề']);
const repeated = () => marcRecord(UTF8, ['001', 'KIEU-1B'], ['090', '  ', 'a', '895.9221', 'b', 'NG-D'], ['245', '10', 'a', 'Truyện Kiều (bản khác)']);
const marc8 = () => marcRecord(MARC8, ['001', 'OLD-8'], ['245', '10', 'a', 'Lịch sử']);
const cut = () => marcRecord(UTF8, ['001', 'CUT-9'], ['245', '10', 'a', 'Bản bị cắt cụt ở cuối tệp']);

const iso = (record: MarcjsRecord) => Buffer.from(marcjs.Marc.format(record, 'iso2709'));

/** Valid, untitled, a bad directory entry, repeated, MARC-8, then a record cut in half. */
function iso2709File(): Buffer {
  const broken = iso(marcRecord(UTF8, ['001', 'BAD-4'], ['245', '10', 'a', 'Thư mục hỏng']));
  // The second directory entry (245) gets a length that is not digits.
  broken.write('x', 24 + 12 + 3, 'latin1');
  const last = iso(cut());
  return Buffer.concat([iso(kieu()), iso(dvsk()), iso(untitled()), broken, iso(repeated()), iso(marc8()), last.subarray(0, last.length - 10)]);
}

/** Valid, untitled, a record without leader, repeated, then a record cut before </record>. */
function marcxmlFile(): Buffer {
  const xml = (record: MarcjsRecord) => marcjs.Marc.format(record, 'marcxml');
  const noLeader = xml(marcRecord(UTF8, ['001', 'BAD-4'], ['245', '10', 'a', 'Không có đầu biểu'])).replace(/<leader>.*<\/leader>\n/u, '');
  const last = xml(cut());
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n${xml(kieu())}${xml(dvsk())}${xml(untitled())}${noLeader}${xml(repeated())}${last.slice(0, last.indexOf('</datafield>'))}`,
  );
}

async function setUp(app: RunningApp, slug: string): Promise<string> {
  const library = await postJson(`${app.baseUrl}/api/libraries`, { slug, name: `Thư viện ${slug}`, province: 'Huế', kind: 'provincial' });
  const collection = await postJson(`${app.baseUrl}/api/collections`, { libraryId: library.id, slug: 'han-nom', title: 'Hán Nôm', category: 'rare', holdingsCount: 1 });
  return collection.id;
}

async function importFile(app: RunningApp, collectionId: string, body: Buffer | FormData, contentType?: string, query = ''): Promise<MarcImportResult> {
  const response = await fetch(`${app.baseUrl}/api/collections/${collectionId}/marc${query}`, {
    method: 'POST',
    headers: { ...ADMIN_HEADERS, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
    body,
  });
  const answer = await response.text();
  if (response.status !== 200) throw new Error(`${response.status} ${answer}`);
  return JSON.parse(answer) as MarcImportResult;
}

async function itemByIdentifier(app: RunningApp, collectionId: string, identifier: string) {
  const response = await fetch(`${app.baseUrl}/api/items?collectionId=${collectionId}&identifier=${encodeURIComponent(identifier)}`, { headers: ADMIN_HEADERS });
  const { data } = (await response.json()) as { data: { id: string }[] };
  const item = await fetch(`${app.baseUrl}/api/items/${data[0]!.id}`, { headers: ADMIN_HEADERS });
  return (await item.json()) as { id: string; title: string; language: string; status: string; dublinCore: Record<string, { value: string; lang?: string }[]> };
}

async function holdingsCount(app: RunningApp, collectionId: string): Promise<number> {
  const response = await fetch(`${app.baseUrl}/api/collections/${collectionId}`, { headers: ADMIN_HEADERS });
  return ((await response.json()) as { holdingsCount: number }).holdingsCount;
}

test('ISO 2709: valid, broken, MARC-8 and Vietnamese records; the batch goes on; re-import with and without update', async (t) => {
  const app = await startAppOnFreePort('marc-iso');
  t.teardown(() => app.close());
  const collectionId = await setUp(app, 'marc-iso');

  const result = await importFile(app, collectionId, iso2709File(), 'application/marc');
  t.is(result.imported, 2);
  t.is(result.updated, 0);
  t.deepEqual(result.skipped, [
    { record: 5, identifier: '895.9221 NG-D', controlNumber: 'KIEU-1B', reason: 'repeats an identifier from an earlier record of this file', code: 'repeated-in-file' },
    { record: 6, controlNumber: 'OLD-8', reason: result.skipped[1]?.reason ?? '', code: 'marc-8' },
  ]);
  t.regex(result.skipped[1]!.reason, /MARC-8.*UTF-8/u);
  t.deepEqual(
    result.errors.map(({ record, controlNumber, problems }) => ({ record, controlNumber, problems })),
    [
      { record: 3, controlNumber: 'NO-TITLE-3', problems: [{ code: 'title-missing' }] },
      { record: 4, controlNumber: 'BAD-4', problems: [{ code: 'structure-invalid' }] },
      { record: 7, controlNumber: 'CUT-9', problems: [{ code: 'truncated' }] },
    ],
  );
  t.regex(result.errors[1]!.reason, /directory entry 2/u);
  t.is(result.holdingsCount, 2);
  t.is(await holdingsCount(app, collectionId), 2);

  const item = await itemByIdentifier(app, collectionId, '895.9221 NG-D');
  t.is(item.title, 'Truyện Kiều');
  t.is(item.status, 'registered');
  t.is(item.language, 'vi');
  t.deepEqual(item.dublinCore.title, [{ value: 'Truyện Kiều', lang: 'vi' }]);
  t.deepEqual(item.dublinCore.creator, [{ value: 'Nguyễn Du, 1765-1820' }]);
  t.deepEqual(item.dublinCore.publisher, [{ value: 'Hà Nội : Văn học', lang: 'vi' }]);
  t.deepEqual(item.dublinCore.date, [{ value: '2015' }]);
  t.deepEqual(item.dublinCore.identifier, [{ value: 'KIEU-1' }]);

  const dvskItem = await itemByIdentifier(app, collectionId, 'MARC-DVSK-2');
  t.is(dvskItem.title, 'Đại Việt sử ký toàn thư');
  t.deepEqual(dvskItem.dublinCore.description, [{ value: 'Có chữ Nôm 𡨸喃 và ký tự riêng \u{F0001}.', lang: 'vi' }]);
  const kept = await new ItemRepository(app.application.services.database.db).getMarcRecord(dvskItem.id);
  t.deepEqual(kept, { leader: kept!.leader, fields: dvsk().mij().fields });
  t.is(kept!.leader.charAt(9), 'a');

  const again = await importFile(app, collectionId, iso2709File(), 'application/octet-stream');
  t.is(again.imported, 0);
  t.is(again.updated, 0);
  t.deepEqual(
    again.skipped.map(({ record, code }) => ({ record, code })),
    [{ record: 5, code: 'repeated-in-file' }, { record: 6, code: 'marc-8' }, { record: 1, code: 'already-registered' }, { record: 2, code: 'already-registered' }],
  );
  t.is(again.errors.length, 3);

  const updated = await importFile(app, collectionId, iso2709File(), 'application/marc', '?update=true');
  t.is(updated.imported, 0);
  t.is(updated.updated, 2);
  t.is(updated.skipped.length, 2);
  t.is(updated.holdingsCount, 2);
});

test('MARCXML as multipart: valid, broken and Vietnamese records, then an update changes the description', async (t) => {
  const app = await startAppOnFreePort('marc-xml');
  t.teardown(() => app.close());
  const collectionId = await setUp(app, 'marc-xml');

  const form = new FormData();
  form.append('file', new Blob([marcxmlFile()]), 'catalogue.xml');
  const result = await importFile(app, collectionId, form);
  t.is(result.imported, 2);
  t.is(result.updated, 0);
  t.deepEqual(result.skipped.map(({ record, identifier, code }) => ({ record, identifier, code })), [{ record: 5, identifier: '895.9221 NG-D', code: 'repeated-in-file' }]);
  t.deepEqual(
    result.errors.map(({ record, controlNumber, problems }) => ({ record, controlNumber, problems })),
    [
      { record: 3, controlNumber: 'NO-TITLE-3', problems: [{ code: 'title-missing' }] },
      { record: 4, controlNumber: 'BAD-4', problems: [{ code: 'structure-invalid' }] },
      { record: 6, controlNumber: 'CUT-9', problems: [{ code: 'truncated' }] },
    ],
  );
  t.is(result.holdingsCount, 2);

  const item = await itemByIdentifier(app, collectionId, '895.9221 NG-D');
  t.deepEqual(item.dublinCore.subject, [{ value: 'Văn học Việt Nam -- Truyện thơ', lang: 'vi' }]);
  t.deepEqual(item.dublinCore.format, [{ value: '325 tr. ; 21 cm', lang: 'vi' }]);
  const kept = await new ItemRepository(app.application.services.database.db).getMarcRecord(item.id);
  t.deepEqual(kept, kieu().mij());

  const changed = kieu();
  changed.append(['500', '  ', 'a', 'Bản in lại có chú thích.']);
  const xml = `<collection xmlns="http://www.loc.gov/MARC21/slim">${marcjs.Marc.format(changed, 'marcxml')}</collection>`;
  const skipped = await importFile(app, collectionId, Buffer.from(xml), 'application/marcxml+xml');
  t.deepEqual([skipped.imported, skipped.updated, skipped.skipped[0]?.code], [0, 0, 'already-registered']);
  const updated = await importFile(app, collectionId, Buffer.from(xml), 'application/marcxml+xml', '?update=true');
  t.deepEqual([updated.imported, updated.updated, updated.skipped.length, updated.errors.length, updated.holdingsCount], [0, 1, 0, 0, 2]);
  t.deepEqual((await itemByIdentifier(app, collectionId, '895.9221 NG-D')).dublinCore.description, [{ value: 'Bản in lại có chú thích.', lang: 'vi' }]);
});

test('a file that is neither MARCXML nor ISO 2709, an empty file and an unknown collection are refused', async (t) => {
  const app = await startAppOnFreePort('marc-bad');
  t.teardown(() => app.close());
  const collectionId = await setUp(app, 'marc-bad');
  const post = (id: string, body: string) =>
    fetch(`${app.baseUrl}/api/collections/${id}/marc`, { method: 'POST', headers: { ...ADMIN_HEADERS, 'content-type': 'application/octet-stream' }, body });
  const csv = await post(collectionId, 'identifier,title\nA,B\n');
  t.is(csv.status, 400);
  t.regex(((await csv.json()) as { error: { message: string } }).error.message, /neither MARCXML/u);
  t.is((await post(collectionId, '  \n')).status, 400);
  t.is((await post('no-such-collection', '<collection/>')).status, 404);
  t.is(await holdingsCount(app, collectionId), 1);
});

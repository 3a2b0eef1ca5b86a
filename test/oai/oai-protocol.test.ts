import anyTest, { type TestFn } from 'ava';
import { decodeResumptionToken, encodeResumptionToken, OaiRecordRepository } from '../../repository/index.ts';
import { startAppOnFreePort, type RunningApp } from '../helpers/running-app.ts';
import {
  DC,
  elements,
  errorCode,
  harvestAll,
  MARC,
  MODS,
  NAMESPACE,
  NOM_TITLE,
  OAI,
  OAI_DC,
  OAI_IDENTIFIER,
  oaiRequest,
  ORIGINAL_MARC,
  parseXml,
  resumptionToken,
  seedCatalogue,
  texts,
  type Catalogue,
} from './oai-fixture.ts';

const test = anyTest as TestFn<{ app: RunningApp; catalogue: Catalogue }>;

test.before(async (t) => {
  const app = await startAppOnFreePort('oai-protocol', { OAI_PAGE_SIZE: '3', OAI_REPOSITORY_IDENTIFIER: NAMESPACE, OAI_ADMIN_EMAIL: 'so-hoa@thuvien.daknong.example.vn' });
  t.context = { app, catalogue: await seedCatalogue(app.application.services.database.db) };
});
test.after.always(async (t) => t.context.app?.close());

const id = (itemId: string) => `oai:${NAMESPACE}:${itemId}`;

test('Identify: the repository, in the OAI-PMH namespace, HTTP 200 text/xml', async (t) => {
  const { baseUrl } = t.context.app;
  const response = await oaiRequest(baseUrl, { verb: 'Identify' });
  t.is(response.status, 200);
  t.is(response.contentType, 'text/xml; charset=utf-8');
  const root = response.document.documentElement!;
  t.is(root.namespaceURI, OAI);
  t.is(root.localName, 'OAI-PMH');
  t.regex(texts(response.document, OAI, 'responseDate')[0]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  const request = elements(response.document, OAI, 'request')[0]!;
  t.is(request.textContent, `${baseUrl}/oai`);
  t.is(request.getAttribute('verb'), 'Identify');
  t.deepEqual(texts(response.document, OAI, 'repositoryName'), ['Thư viện số']);
  t.deepEqual(texts(response.document, OAI, 'baseURL'), [`${baseUrl}/oai`]);
  t.deepEqual(texts(response.document, OAI, 'protocolVersion'), ['2.0']);
  t.deepEqual(texts(response.document, OAI, 'adminEmail'), ['so-hoa@thuvien.daknong.example.vn']);
  t.deepEqual(texts(response.document, OAI, 'earliestDatestamp'), ['2020-05-01T08:30:00Z']);
  t.deepEqual(texts(response.document, OAI, 'deletedRecord'), ['persistent']);
  t.deepEqual(texts(response.document, OAI, 'granularity'), ['YYYY-MM-DDThh:mm:ssZ']);
  t.deepEqual(texts(response.document, OAI_IDENTIFIER, 'repositoryIdentifier'), [NAMESPACE]);
  t.deepEqual(texts(response.document, OAI_IDENTIFIER, 'delimiter'), [':']);
});

test('POST with a form body answers as GET does', async (t) => {
  const response = await oaiRequest(t.context.app.baseUrl, { verb: 'ListMetadataFormats' }, 'POST');
  t.is(errorCode(response.document), undefined);
  t.deepEqual(texts(response.document, OAI, 'metadataPrefix'), ['oai_dc', 'marcxml', 'mods']);
});

test('ListMetadataFormats: the three formats, also for one item; an unknown identifier is idDoesNotExist', async (t) => {
  const { app, catalogue } = t.context;
  const all = await oaiRequest(app.baseUrl, { verb: 'ListMetadataFormats' });
  t.deepEqual(texts(all.document, OAI, 'metadataNamespace'), [OAI_DC, MARC, MODS]);
  const one = await oaiRequest(app.baseUrl, { verb: 'ListMetadataFormats', identifier: id(catalogue.nomItem.id) });
  t.deepEqual(texts(one.document, OAI, 'metadataPrefix'), ['oai_dc', 'marcxml', 'mods']);
  for (const identifier of [id('no-such-item'), 'oai:other.example.org:x', id(catalogue.confidentialItem.id)]) {
    t.is(errorCode((await oaiRequest(app.baseUrl, { verb: 'ListMetadataFormats', identifier })).document), 'idDoesNotExist', identifier);
  }
});

test('ListSets: roots, one set per library, and per collection named with its library', async (t) => {
  const response = await oaiRequest(t.context.app.baseUrl, { verb: 'ListSets' });
  t.deepEqual(texts(response.document, OAI, 'setSpec'), [
    'library',
    'collection',
    'library:dak-nong',
    'library:lam-dong',
    'collection:dak-nong.dia-chi',
    'collection:dak-nong.han-nom',
    'collection:dak-nong.mat',
    'collection:lam-dong.dia-chi',
  ]);
  t.true(texts(response.document, OAI, 'setName').includes('Thư viện tỉnh Lâm Đồng'));
  t.true(texts(response.document, DC, 'description').includes('Đắk Nông'));
  const withToken = await oaiRequest(t.context.app.baseUrl, { verb: 'ListSets', resumptionToken: 'x' });
  t.is(errorCode(withToken.document), 'badResumptionToken');
});

test('ListIdentifiers pages through resumption tokens to the complete list, without duplicates', async (t) => {
  const { headers, tokens } = await harvestAll(t.context.app.baseUrl, 'ListIdentifiers', { metadataPrefix: 'oai_dc' });
  const ids = headers.map((header) => texts(header, OAI, 'identifier')[0]);
  t.is(ids.length, 10);
  t.is(new Set(ids).size, 10);
  t.is(tokens.length, 4);
  t.deepEqual(tokens.map((token) => token?.getAttribute('cursor')), ['0', '3', '6', '9']);
  t.true(tokens.every((token) => token?.getAttribute('completeListSize') === '10'));
  t.regex(tokens[0]!.getAttribute('expirationDate')!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  t.is(tokens[3]!.textContent, '', 'the last part ends with an empty token');
  const { catalogue } = t.context;
  t.false(ids.includes(id(catalogue.restrictedItem.id)), 'restricted hidden (RESTRICTED_METADATA=hidden)');
  t.false(ids.includes(id(catalogue.confidentialItem.id)), 'confidential never');
  const datestamps = headers.map((header) => texts(header, OAI, 'datestamp')[0]!);
  t.true(datestamps.every((stamp) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(stamp)));
  t.deepEqual([...datestamps].sort(), datestamps, 'in datestamp order');
});

test('ListRecords in oai_dc: all elements with languages; Nôm beyond the BMP and in the PUA survives', async (t) => {
  const { app, catalogue } = t.context;
  const { headers } = await harvestAll(app.baseUrl, 'ListRecords', { metadataPrefix: 'oai_dc', set: 'collection:dak-nong.han-nom' });
  t.is(headers.length, 2);
  const response = await oaiRequest(app.baseUrl, { verb: 'GetRecord', identifier: id(catalogue.nomItem.id), metadataPrefix: 'oai_dc' });
  const dc = elements(response.document, OAI_DC, 'dc')[0]!;
  const titles = elements(dc, DC, 'title');
  t.is(titles[0]!.textContent, NOM_TITLE);
  t.true(titles[0]!.textContent!.includes('\u{21A38}'));
  t.true(titles[0]!.textContent!.includes('\uE8A1'));
  t.is(titles[0]!.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang'), 'vi');
  for (const element of ['contributor', 'coverage', 'creator', 'date', 'description', 'format', 'language', 'publisher', 'relation', 'rights', 'source', 'subject', 'type']) {
    t.true(elements(dc, DC, element).length > 0, element);
  }
  t.is(elements(dc, DC, 'type')[0]!.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang'), 'en');
  t.deepEqual(texts(dc, DC, 'identifier'), ['ISBN 978-604-0-00000-2', `${app.baseUrl}/tai-lieu/${catalogue.nomItem.id}`]);
  t.true(texts(dc, DC, 'relation').includes(`${app.baseUrl}/iiif/manifest/${catalogue.nomItem.id}`));
  t.deepEqual(texts(response.document, OAI, 'setSpec'), ['library:dak-nong', 'collection:dak-nong.han-nom']);
});

test('marcxml gives back the original record of a MARC-imported item, with its digital copy added', async (t) => {
  const { app, catalogue } = t.context;
  const response = await oaiRequest(app.baseUrl, { verb: 'GetRecord', identifier: id(catalogue.marcItem.id), metadataPrefix: 'marcxml' });
  const record = elements(response.document, MARC, 'record')[0]!;
  t.deepEqual(texts(record, MARC, 'leader'), [ORIGINAL_MARC.leader]);
  const control = elements(record, MARC, 'controlfield').map((field) => [field.getAttribute('tag'), field.textContent]);
  t.deepEqual(control, [['001', 'VN-NLV-000123'], ['008', '200101s1925    vm            000 0 vie d']]);
  const title = elements(record, MARC, 'datafield').find((field) => field.getAttribute('tag') === '245')!;
  t.deepEqual(texts(title, MARC, 'subfield'), ['Đại Nam nhất thống chí /', 'Quốc sử quán triều Nguyễn.']);
  const links = elements(record, MARC, 'datafield').filter((field) => field.getAttribute('tag') === '856');
  t.deepEqual(links.map((field) => texts(field, MARC, 'subfield')[0]), [`${app.baseUrl}/tai-lieu/${catalogue.marcItem.id}`]);
});

test('marcxml of a Dublin Core item is a crosswalk: 245, 100/700, 264, 041, 650, 520, 856', async (t) => {
  const { app, catalogue } = t.context;
  const response = await oaiRequest(app.baseUrl, { verb: 'GetRecord', identifier: id(catalogue.nomItem.id), metadataPrefix: 'marcxml' });
  const fields = elements(response.document, MARC, 'datafield');
  const subfields = (tag: string) => fields.filter((field) => field.getAttribute('tag') === tag).map((field) => texts(field, MARC, 'subfield'));
  t.deepEqual(subfields('245'), [[NOM_TITLE]]);
  t.deepEqual(subfields('246'), [['Đoạn trường tân thanh']]);
  t.deepEqual(subfields('100'), [['Nguyễn Du']]);
  t.deepEqual(subfields('700'), [['Kiều Oánh Mậu', 'contributor']]);
  t.deepEqual(subfields('264'), [['Liễu Văn Đường', '1871']]);
  t.deepEqual(subfields('041'), [['vie', 'chi']]);
  t.deepEqual(subfields('020'), [['9786040000002']]);
  t.deepEqual(subfields('650'), [['Truyện thơ']]);
  t.deepEqual(subfields('520'), [['Bản khắc gỗ, chữ Nôm']]);
  t.deepEqual(subfields('856').map((values) => values[0]), [`${app.baseUrl}/tai-lieu/${catalogue.nomItem.id}`, `${app.baseUrl}/iiif/manifest/${catalogue.nomItem.id}`]);
  t.is(elements(response.document, MARC, 'controlfield')[0]!.textContent, catalogue.nomItem.id);
});

test('mods: MODS 3.7 from Dublin Core, over OAI and at /api/items/:id/mods', async (t) => {
  const { app, catalogue } = t.context;
  const response = await oaiRequest(app.baseUrl, { verb: 'GetRecord', identifier: id(catalogue.nomItem.id), metadataPrefix: 'mods' });
  const mods = elements(response.document, MODS, 'mods')[0]!;
  t.is(texts(mods, MODS, 'title')[0], NOM_TITLE);
  t.deepEqual(texts(mods, MODS, 'namePart'), ['Nguyễn Du', 'Kiều Oánh Mậu']);
  t.deepEqual(texts(mods, MODS, 'url'), [`${app.baseUrl}/tai-lieu/${catalogue.nomItem.id}`, `${app.baseUrl}/iiif/manifest/${catalogue.nomItem.id}`]);
  t.deepEqual(texts(mods, MODS, 'typeOfResource'), ['text']);

  const direct = await fetch(`${app.baseUrl}/api/items/${catalogue.nomItem.id}/mods`);
  t.is(direct.status, 200);
  t.true(direct.headers.get('content-type')?.startsWith('application/mods+xml'));
  const document = parseXml(await direct.text());
  t.is(document.documentElement!.namespaceURI, MODS);
  t.is(texts(document, MODS, 'title')[0], NOM_TITLE);
  t.is((await fetch(`${app.baseUrl}/api/items/${catalogue.restrictedItem.id}/mods`)).status, 401);
  t.is((await fetch(`${app.baseUrl}/api/items/${catalogue.confidentialItem.id}/mods`)).status, 401);
});

test('from and until, inclusive, at day and at seconds granularity', async (t) => {
  const { app, catalogue } = t.context;
  const [first, second] = catalogue.oldItems.map((item) => id(item.id));
  const identifiers = async (parameters: Record<string, string>) => {
    const response = await oaiRequest(app.baseUrl, { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', ...parameters });
    return errorCode(response.document) ?? texts(response.document, OAI, 'identifier');
  };
  t.deepEqual(await identifiers({ from: '2020-05-01', until: '2020-05-01' }), [first]);
  t.deepEqual(await identifiers({ until: '2020-05-02' }), [first, second]);
  t.deepEqual(await identifiers({ from: '2020-05-01T08:30:00Z', until: '2020-05-01T08:30:00Z' }), [first]);
  t.deepEqual(await identifiers({ from: '2020-05-01T08:30:01Z', until: '2020-05-02T12:00:00Z' }), [second]);
  t.deepEqual(await identifiers({ from: '2020-05-02T12:00:01Z', until: '2020-05-03T00:00:00Z' }), 'noRecordsMatch');
  t.deepEqual(await identifiers({ until: '2020-04-30' }), 'noRecordsMatch');
  const recent = await identifiers({ from: '2021-01-01' });
  t.is(recent.length, 3, 'one page of the recent ones');
});

test('sets select records; an unknown set matches nothing', async (t) => {
  const { app } = t.context;
  const count = async (set: string) => (await harvestAll(app.baseUrl, 'ListIdentifiers', { metadataPrefix: 'oai_dc', set })).headers.length;
  t.is(await count('collection:lam-dong.dia-chi'), 2);
  t.is(await count('collection:dak-nong.dia-chi'), 6);
  t.is(await count('library:dak-nong'), 8);
  t.is(await count('library'), 10);
  const unknown = await oaiRequest(app.baseUrl, { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', set: 'collection:dia-chi' });
  t.is(errorCode(unknown.document), 'noRecordsMatch');
});

test('badVerb: missing, repeated or unknown verb; the request element then has no attributes', async (t) => {
  const { baseUrl } = t.context.app;
  const cases: Record<string, string | string[]>[] = [{}, { verb: ['Identify', 'Identify'] }, { verb: 'ListEverything' }, { verb: 'identify' }];
  for (const parameters of cases) {
    const response = await oaiRequest(baseUrl, parameters);
    t.is(response.status, 200);
    t.is(errorCode(response.document), 'badVerb', JSON.stringify(parameters));
    t.is(elements(response.document, OAI, 'request')[0]!.attributes.length, 0);
  }
});

test('badArgument: illegal, repeated, missing, empty, exclusive, bad dates, mixed granularity, from after until', async (t) => {
  const { app, catalogue } = t.context;
  const cases: Record<string, string | string[]>[] = [
    { verb: 'Identify', metadataPrefix: 'oai_dc' },
    { verb: 'ListRecords' },
    { verb: 'ListRecords', metadataPrefix: ['oai_dc', 'mods'] },
    { verb: 'ListRecords', metadataPrefix: 'oai_dc', colour: 'blue' },
    { verb: 'ListRecords', metadataPrefix: '' },
    { verb: 'GetRecord', identifier: id(catalogue.nomItem.id) },
    { verb: 'GetRecord', metadataPrefix: 'oai_dc' },
    { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', resumptionToken: 'abc' },
    { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: '2020-13-01' },
    { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: '2020-02-30' },
    { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: '2020-05-01T08:30:00.5Z' },
    { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: '2020-05-01T08:30:00' },
    { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: '2020-05-01', until: '2020-05-02T00:00:00Z' },
    { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: '2020-05-02', until: '2020-05-01' },
    { verb: 'ListSets', set: 'library' },
  ];
  for (const parameters of cases) {
    const response = await oaiRequest(app.baseUrl, parameters);
    t.is(errorCode(response.document), 'badArgument', JSON.stringify(parameters));
    t.is(elements(response.document, OAI, 'request')[0]!.attributes.length, 0);
  }
});

test('cannotDisseminateFormat, idDoesNotExist, noRecordsMatch', async (t) => {
  const { app, catalogue } = t.context;
  const code = async (parameters: Record<string, string>) => errorCode((await oaiRequest(app.baseUrl, parameters)).document);
  t.is(await code({ verb: 'ListRecords', metadataPrefix: 'ese' }), 'cannotDisseminateFormat');
  t.is(await code({ verb: 'GetRecord', metadataPrefix: 'marc21', identifier: id(catalogue.nomItem.id) }), 'cannotDisseminateFormat');
  t.is(await code({ verb: 'GetRecord', metadataPrefix: 'oai_dc', identifier: id('nothing') }), 'idDoesNotExist');
  t.is(await code({ verb: 'GetRecord', metadataPrefix: 'oai_dc', identifier: id(catalogue.restrictedItem.id) }), 'idDoesNotExist');
  t.is(await code({ verb: 'ListRecords', metadataPrefix: 'oai_dc', from: '2999-01-01' }), 'noRecordsMatch');
  const response = await oaiRequest(app.baseUrl, { verb: 'ListRecords', metadataPrefix: 'ese' });
  t.is(elements(response.document, OAI, 'request')[0]!.getAttribute('metadataPrefix'), 'ese', 'arguments echoed for errors other than badVerb/badArgument');
});

test('badResumptionToken: tampered, expired, malformed, or of another verb', async (t) => {
  const { app } = t.context;
  const first = await oaiRequest(app.baseUrl, { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc' });
  const token = resumptionToken(first.document)!.textContent!;
  const key = await new OaiRecordRepository(app.application.services.database.db).resumptionKey();
  const state = decodeResumptionToken(token, key, new Date());

  const [body, signature] = token.split('.') as [string, string];
  const altered = Buffer.from(body, 'base64url').toString('utf8').replace('"sent":3', '"sent":0');
  const tampered = [
    `${Buffer.from(altered).toString('base64url')}.${signature}`,
    `${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`,
    encodeResumptionToken(state, 'another repository key'),
  ];
  const expired = encodeResumptionToken({ ...state, expires: '2020-01-01T00:00:00Z' }, key);
  const code = async (verb: string, resumptionToken: string) => {
    const response = await oaiRequest(app.baseUrl, { verb, resumptionToken });
    return [errorCode(response.document), texts(response.document, OAI, 'error')[0]];
  };
  for (const bad of tampered) t.is((await code('ListIdentifiers', bad))[0], 'badResumptionToken');
  const [expiredCode, expiredMessage] = await code('ListIdentifiers', expired);
  t.is(expiredCode, 'badResumptionToken');
  t.regex(expiredMessage!, /expired at 2020-01-01T00:00:00Z/);
  for (const malformed of ['abc', '.', 'a.b.c', `${Buffer.from('{"x":1}').toString('base64url')}.`]) {
    t.is((await code('ListIdentifiers', malformed))[0], 'badResumptionToken', malformed);
  }
  t.is((await code('ListRecords', token))[0], 'badResumptionToken', 'a ListIdentifiers token does not continue ListRecords');
  t.is((await code('ListIdentifiers', token))[0], undefined, 'the genuine token still works');
});

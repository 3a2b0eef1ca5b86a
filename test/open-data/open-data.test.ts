import test from 'ava';
import { CATALOGUE_CSV_COLUMNS, DCAT_CONTEXT, IANA_MEDIA_TYPES, parseCsv } from '../../repository/index.ts';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, startAppOnFreePort, type RunningApp } from '../helpers/running-app.ts';

/** A Nôm character beyond the BMP (𡨸, U+21A38 "chữ") and two Private Use Area ones (BMP and plane 15), as Nôm fonts use them. */
const NOM_TITLE = 'Truyện Kiều chữ 𡨸 \uE1A5 \u{F0041}';

interface Fixture {
  app: RunningApp;
  ids: { public: string; nom: string; registered: string; restricted: string; confidential: string };
  collectionId: string;
}

/** What the tests read of the DCAT catalogue. */
interface IdRef {
  '@id': string;
}
interface DcatCatalogJson {
  '@context': unknown;
  '@type': string;
  'dct:title': { '@value': string; '@language': string }[];
  'dct:publisher': { '@type': string; 'foaf:name': string };
  'dct:license': IdRef;
  'dct:modified': { '@value': string; '@type': string };
  'dcat:dataset': {
    '@type': string;
    'dct:license'?: IdRef;
    'dct:modified'?: unknown;
    'dcat:keyword': unknown[];
    'dcat:distribution': { '@type': string; 'dct:license': IdRef; 'dct:format': IdRef; 'dcat:downloadURL': IdRef; 'dcat:mediaType': IdRef }[];
  }[];
}

async function setUp(restrictedMetadata: 'hidden' | 'shown'): Promise<Fixture> {
  const app = await startAppOnFreePort(`open-data-${restrictedMetadata}`, { RESTRICTED_METADATA: restrictedMetadata });
  const api = `${app.baseUrl}/api`;
  const library = await postJson(`${api}/libraries`, { slug: 'dak-nong', name: 'Thư viện tỉnh Đắk Nông', province: 'Đắk Nông', kind: 'provincial' });
  const collection = await postJson(`${api}/collections`, { libraryId: library.id, slug: 'han-nom', title: 'Sách Hán Nôm', category: 'rare' });
  const item = (identifier: string, extra: Record<string, unknown>) => postJson(`${api}/items`, { collectionId: collection.id, identifier, ...extra });
  const publicItem = await item('HN-001', {
    status: 'digitised',
    dublinCore: {
      title: [{ value: 'Đại Nam nhất thống chí, quyển "một", tập 1' }],
      creator: [{ value: 'Quốc sử quán triều Nguyễn' }, { value: 'Cao Xuân Dục' }],
      date: [{ value: '1882' }],
      language: [{ value: 'lzh' }, { value: 'vi' }],
      subject: [{ value: 'Địa chí' }, { value: '地志', lang: 'lzh' }],
    },
  });
  const nom = await item('HN-002', { title: NOM_TITLE, status: 'digitised', language: 'vi', script: 'Hani' });
  const registered = await item('HN-003', { title: 'Chưa số hóa' });
  const restricted = await item('HN-004', { title: 'Tài liệu hạn chế', accessLevel: 'restricted', status: 'digitised' });
  const confidential = await item('HN-005', { title: 'Hồ sơ mật Zeta', accessLevel: 'confidential', status: 'digitised' });
  return {
    app,
    collectionId: collection.id,
    ids: { public: publicItem.id, nom: nom.id, registered: registered.id, restricted: restricted.id, confidential: confidential.id },
  };
}

async function download(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** The catalogue CSV as header → value records (the BOM checked and removed). */
async function catalogueCsv(t: { is: (a: unknown, b: unknown, message?: string) => void }, baseUrl: string) {
  const { response, bytes } = await download(`${baseUrl}/open-data/catalogue.csv`);
  t.is(response.status, 200);
  t.is(response.headers.get('content-type'), 'text/csv; charset=utf-8; header=present');
  t.is(response.headers.get('content-disposition'), 'attachment; filename="muc-luc.csv"');
  t.is([...bytes.slice(0, 3)].join(','), '239,187,191', 'UTF-8 byte order mark for Excel');
  const rows = parseCsv(new TextDecoder().decode(bytes)).filter((row) => !(row.kind === 'record' && row.fields.length === 1 && row.fields[0] === ''));
  const records = rows.map((row) => {
    if (row.kind !== 'record') throw new Error(`CSV line ${row.line}: ${row.reason}`);
    return row.fields;
  });
  const [header, ...body] = records;
  t.is(header?.join(','), CATALOGUE_CSV_COLUMNS.join(','));
  return body.map((fields) => Object.fromEntries(CATALOGUE_CSV_COLUMNS.map((column, index) => [column, fields[index]])) as Record<(typeof CATALOGUE_CSV_COLUMNS)[number], string>);
}

test('catalogue CSV: exactly the public documents, fields as the catalogue has them, Nôm and PUA characters intact', async (t) => {
  const { app, ids, collectionId } = await setUp('hidden');
  try {
    const rows = await catalogueCsv(t, app.baseUrl);
    t.deepEqual(rows.map((row) => row.id).sort(), [ids.public, ids.nom, ids.registered].sort(), 'no restricted, no confidential document');
    const first = rows.find((row) => row.id === ids.public);
    t.like(first, {
      identifier: 'HN-001',
      title: 'Đại Nam nhất thống chí, quyển "một", tập 1',
      creators: 'Quốc sử quán triều Nguyễn | Cao Xuân Dục',
      date: '1882',
      language: 'lzh | vi',
      subjects: 'Địa chí | 地志',
      library: 'Thư viện tỉnh Đắk Nông',
      province: 'Đắk Nông',
      collection: 'Sách Hán Nôm',
      status: 'digitised',
      pageCount: '0',
      accessLevel: 'public',
      documentUrl: `${app.baseUrl}/tai-lieu/${ids.public}`,
      manifestUrl: `${app.baseUrl}/iiif/manifest/${ids.public}`,
    });
    t.regex(first?.digitisedAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const nom = rows.find((row) => row.id === ids.nom);
    t.is(nom?.title, NOM_TITLE);
    t.is(nom?.title, nom?.title.normalize('NFC'));
    t.true(nom?.title.includes('𡨸') && nom.title.includes('\uE1A5') && nom.title.includes('\u{F0041}'));
    t.is(nom?.language, 'vi', 'the item language when Dublin Core has none');
    const registered = rows.find((row) => row.id === ids.registered);
    t.like(registered, { status: 'registered', digitisedAt: '', manifestUrl: '' }, 'no manifest before digitisation');

    // The document page each row links to answers.
    t.is((await fetch(first?.documentUrl ?? '')).status, 200);

    // Conditional requests: same validator → 304; a change → a new one.
    const again = await fetch(`${app.baseUrl}/open-data/catalogue.csv`);
    const etag = again.headers.get('etag') ?? '';
    t.regex(etag, /^W\/"/);
    t.truthy(again.headers.get('last-modified'));
    await again.arrayBuffer();
    // (fetch sends `Cache-Control: no-cache` with a validator unless told otherwise, which forbids a 304.)
    const revalidate = { 'if-none-match': etag, 'cache-control': 'max-age=0' };
    t.is((await fetch(`${app.baseUrl}/open-data/catalogue.csv`, { headers: revalidate })).status, 304);
    await postJson(`${app.baseUrl}/api/items`, { collectionId, identifier: 'HN-006', title: 'Mới thêm' });
    const changed = await fetch(`${app.baseUrl}/open-data/catalogue.csv`, { headers: revalidate });
    t.is(changed.status, 200);
    t.not(changed.headers.get('etag'), etag);
    await changed.arrayBuffer();
  } finally {
    await app.close();
  }
});

test('RESTRICTED_METADATA=shown: restricted documents join the catalogue, confidential ones never', async (t) => {
  const { app, ids } = await setUp('shown');
  try {
    const rows = await catalogueCsv(t, app.baseUrl);
    t.deepEqual(rows.map((row) => row.id).sort(), [ids.public, ids.nom, ids.registered, ids.restricted].sort());
    t.is(rows.find((row) => row.id === ids.restricted)?.accessLevel, 'restricted');
    const jsonLd = (await (await fetch(`${app.baseUrl}/open-data/catalogue.jsonld`)).json()) as { '@graph': { identifier: string }[] };
    t.deepEqual(jsonLd['@graph'].map((node) => node.identifier).sort(), ['HN-001', 'HN-002', 'HN-003', 'HN-004']);
    // Even an administrator downloads the public dataset.
    const asAdmin = await (await fetch(`${app.baseUrl}/open-data/catalogue.csv`, { headers: ADMIN_HEADERS })).text();
    t.false(asAdmin.includes('Hồ sơ mật Zeta'));
  } finally {
    await app.close();
  }
});

test('catalogue JSON-LD: one JSON document of schema.org nodes with collection, library, manifest and licence', async (t) => {
  const { app, ids } = await setUp('hidden');
  try {
    const response = await fetch(`${app.baseUrl}/open-data/catalogue.jsonld`);
    t.is(response.status, 200);
    t.regex(response.headers.get('content-type') ?? '', /^application\/ld\+json/);
    t.is(response.headers.get('content-disposition'), 'attachment; filename="muc-luc.jsonld"');
    const document = JSON.parse(await response.text()) as { '@context': Record<string, unknown>; '@graph': Record<string, unknown>[] };
    t.is(document['@context']['@vocab'], 'https://schema.org/');
    t.deepEqual(document['@context'].url, { '@type': '@id' });
    const graph = document['@graph'];
    t.is(graph.length, 3);
    t.false(JSON.stringify(graph).includes('Hồ sơ mật Zeta'));
    t.false(JSON.stringify(graph).includes('Tài liệu hạn chế'));
    const node = graph.find((entry) => entry['@id'] === `${app.baseUrl}/tai-lieu/${ids.public}`);
    t.like(node, {
      '@type': 'Book',
      identifier: 'HN-001',
      name: 'Đại Nam nhất thống chí, quyển "một", tập 1',
      datePublished: '1882',
      inLanguage: ['lzh', 'vi'],
      url: `${app.baseUrl}/tai-lieu/${ids.public}`,
      license: 'https://creativecommons.org/publicdomain/zero/1.0/',
      isPartOf: { '@type': 'Collection', name: 'Sách Hán Nôm' },
      provider: { '@type': 'Library', name: 'Thư viện tỉnh Đắk Nông' },
      associatedMedia: { '@type': 'MediaObject', contentUrl: `${app.baseUrl}/iiif/manifest/${ids.public}` },
    });
    t.deepEqual(node?.author, [
      { '@type': 'Person', name: 'Quốc sử quán triều Nguyễn' },
      { '@type': 'Person', name: 'Cao Xuân Dục' },
    ]);
    t.deepEqual(node?.about, [
      { '@type': 'Thing', name: 'Địa chí' },
      { '@type': 'Thing', name: '地志' },
    ]);
    t.is(graph.find((entry) => entry.identifier === 'HN-002')?.name, NOM_TITLE);
    t.is(graph.find((entry) => entry.identifier === 'HN-003')?.associatedMedia, undefined);
  } finally {
    await app.close();
  }
});

test('DCAT catalogue: namespaces right, every dataset licensed, every distribution downloads with its media type', async (t) => {
  const { app } = await setUp('hidden');
  try {
    const response = await fetch(`${app.baseUrl}/open-data/catalog.jsonld`);
    t.is(response.status, 200);
    t.regex(response.headers.get('content-type') ?? '', /^application\/ld\+json/);
    const catalog = (await response.json()) as DcatCatalogJson;
    t.deepEqual(catalog['@context'], {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
    });
    t.deepEqual(catalog['@context'], DCAT_CONTEXT);
    t.is(catalog['@type'], 'dcat:Catalog');
    t.deepEqual(catalog['dct:title'].map((title) => title['@language']).sort(), ['en', 'vi']);
    t.deepEqual(catalog['dct:publisher'], { '@type': 'foaf:Agent', 'foaf:name': 'Thư viện tỉnh Đắk Nông' }, 'the first library by default');
    t.deepEqual(catalog['dct:license'], { '@id': 'https://creativecommons.org/publicdomain/zero/1.0/' });
    t.regex(catalog['dct:modified']['@value'], /^\d{4}-\d\d-\d\dT/);
    t.is(catalog['dct:modified']['@type'], 'xsd:dateTime');
    assertOnlyDeclaredPrefixes(t, catalog, Object.keys(DCAT_CONTEXT));

    const datasets = catalog['dcat:dataset'];
    t.is(datasets.length, 3);
    const urls: string[] = [];
    for (const dataset of datasets) {
      t.is(dataset['@type'], 'dcat:Dataset');
      t.truthy(dataset['dct:license']?.['@id']);
      t.true(dataset['dcat:keyword'].length > 0);
      t.truthy(dataset['dct:modified']);
      for (const distribution of dataset['dcat:distribution']) {
        t.is(distribution['@type'], 'dcat:Distribution');
        t.deepEqual(distribution['dct:license'], catalog['dct:license']);
        t.regex(distribution['dct:format']['@id'], /^http:\/\/publications\.europa\.eu\/resource\/authority\/file-type\/(CSV|JSON_LD)$/);
        const url = distribution['dcat:downloadURL']['@id'];
        const mediaType = distribution['dcat:mediaType']['@id'].slice(IANA_MEDIA_TYPES.length);
        const download = await fetch(url, { headers: { accept: mediaType } });
        t.is(download.status, 200, url);
        t.is(download.headers.get('content-type')?.split(';')[0], mediaType, url);
        await download.arrayBuffer();
        urls.push(url.slice(app.baseUrl.length));
      }
    }
    t.deepEqual(urls, ['/open-data/catalogue.csv', '/open-data/catalogue.jsonld', '/open-data/progress.csv', '/iiif/collection/top']);
  } finally {
    await app.close();
  }
});

test('progress CSV: the progress report with a BOM, as an attachment', async (t) => {
  const { app } = await setUp('hidden');
  try {
    const response = await fetch(`${app.baseUrl}/open-data/progress.csv`);
    t.is(response.status, 200);
    t.regex(response.headers.get('content-disposition') ?? '', /^attachment; filename="tien-do-so-hoa-\d{4}-\d\d-\d\d\.csv"$/);
    const text = await response.text();
    const report = await (await fetch(`${app.baseUrl}/api/reports/progress.csv`)).text();
    t.is(text, report, 'the same figures as the administrators’ report');
    t.true(text.includes('Sách Hán Nôm'));
  } finally {
    await app.close();
  }
});

test('OPEN_DATA_LICENSE and OPEN_DATA_PUBLISHER are what the exports say', async (t) => {
  const license = 'https://creativecommons.org/licenses/by/4.0/';
  const app = await startAppOnFreePort('open-data-license', { OPEN_DATA_LICENSE: license, OPEN_DATA_PUBLISHER: 'Sở Văn hóa tỉnh Đắk Nông' });
  try {
    const catalog = (await (await fetch(`${app.baseUrl}/open-data/catalog.jsonld`)).json()) as DcatCatalogJson;
    t.deepEqual(catalog['dct:license'], { '@id': license });
    t.is(catalog['dct:publisher']['foaf:name'], 'Sở Văn hóa tỉnh Đắk Nông');
    t.false('dct:modified' in (catalog['dcat:dataset'][0] ?? {}), 'no catalogue change time before any document exists');
    const page = await (await fetch(`${app.baseUrl}/open-data?lang=en`)).text();
    t.true(page.includes(`<a href="${license}" rel="license">CC BY 4.0</a>`));
  } finally {
    await app.close();
  }
});

/** Every key is a JSON-LD keyword or a compact IRI of a declared prefix: nothing would be dropped on expansion. */
function assertOnlyDeclaredPrefixes(t: { true: (value: boolean, message?: string) => void }, value: unknown, prefixes: string[]): void {
  if (Array.isArray(value)) return value.forEach((entry) => assertOnlyDeclaredPrefixes(t, entry, prefixes));
  if (typeof value !== 'object' || value === null) return;
  for (const [key, entry] of Object.entries(value)) {
    if (key === '@context') continue;
    t.true(key.startsWith('@') || prefixes.includes(key.split(':')[0] ?? ''), `${key} has a declared prefix`);
    if (key === '@type' && typeof entry === 'string') t.true(prefixes.includes(entry.split(':')[0] ?? ''), `type ${entry}`);
    assertOnlyDeclaredPrefixes(t, entry, prefixes);
  }
}

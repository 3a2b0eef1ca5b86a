import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { BASE, getJson, openFixture, validatePresentation, type Fixture } from './iiif-fixture.ts';
import { PRESENTATION_MEDIA_TYPE } from '../../../iiif/index.ts';

const test = anyTest as TestFn<{ fixture: Fixture; paged: Fixture; bigCollectionId: string }>;

async function addBigCollection(fixture: Fixture, count: number): Promise<string> {
  const big = await fixture.repos.collections.create({
    libraryId: fixture.library.id,
    slug: 'bao-chi',
    title: 'Báo chí Đắk Nông',
    category: 'other',
    defaultAccess: 'public',
  });
  for (let n = 0; n < count; n += 1) {
    await fixture.repos.items.create({ collectionId: big.id, identifier: `BC-${String(n).padStart(4, '0')}`, title: `Số báo ${n}`, status: 'digitised' });
  }
  return big.id;
}

test.before(async (t) => {
  const fixture = await openFixture();
  const paged = await openFixture({ pageSize: 400 });
  const bigCollectionId = await addBigCollection(fixture, 1000);
  await addBigCollection(paged, 1000);
  t.context = { fixture, paged, bigCollectionId };
});
test.after.always(async (t) => {
  await t.context.fixture?.close();
  await t.context.paged?.close();
});

function assertValid(t: ExecutionContext, body: unknown) {
  const valid = validatePresentation(body);
  t.true(valid, JSON.stringify(validatePresentation.errors?.slice(0, 3)));
}

test('top collection lists one sub-collection per library, valid Presentation 3.0', async (t) => {
  const { fixture } = t.context;
  const response = await getJson(`${fixture.url}/iiif/collection/top`);
  t.is(response.status, 200);
  t.is(response.headers.get('access-control-allow-origin'), '*');
  t.true(response.headers.get('content-type')?.startsWith('application/json'));
  assertValid(t, response.body);
  t.is(response.body['@context'], 'http://iiif.io/api/presentation/3/context.json');
  t.is(response.body.type, 'Collection');
  t.is(response.body.id, `${BASE}/iiif/collection/top`);
  t.deepEqual((response.body.label as Record<string, string[]>).en, ['Digital library: libraries']);
  t.deepEqual(response.body.items, [
    { id: `${BASE}/iiif/collection/library/${fixture.library.id}`, type: 'Collection', label: { vi: ['Thư viện tỉnh Đắk Nông'] } },
  ]);
});

test('JSON-LD with the Presentation 3 profile when the Accept header asks for it', async (t) => {
  const response = await fetch(`${t.context.fixture.url}/iiif/collection/top`, { headers: { Accept: 'application/ld+json' } });
  t.is(response.headers.get('content-type'), PRESENTATION_MEDIA_TYPE);
  t.true(response.headers.get('vary')?.includes('Accept'));
});

test('library collection lists its collections', async (t) => {
  const { fixture, bigCollectionId } = t.context;
  const response = await getJson(`${fixture.url}/iiif/collection/library/${fixture.library.id}`);
  t.is(response.status, 200);
  assertValid(t, response.body);
  const ids = (response.body.items as { id: string; type: string }[]).map((entry) => [entry.type, entry.id]);
  t.deepEqual(ids.sort(), [
    ['Collection', `${BASE}/iiif/collection/${bigCollectionId}`],
    ['Collection', `${BASE}/iiif/collection/${fixture.collection.id}`],
  ].sort());
  t.deepEqual((response.body.summary as Record<string, string[]>).en, ['Collections of Thư viện tỉnh Đắk Nông']);
});

test('collection lists the manifests of visible digitised items only', async (t) => {
  const { fixture } = t.context;
  const response = await getJson(`${fixture.url}/iiif/collection/${fixture.collection.id}`);
  t.is(response.status, 200);
  assertValid(t, response.body);
  t.deepEqual(response.body.items, [
    { id: `${BASE}/iiif/manifest/${fixture.publicItem.id}`, type: 'Manifest', label: { vi: ['Địa chí Đắk Nông'] } },
  ]);
  const text = JSON.stringify(response.body);
  t.false(text.includes(fixture.restrictedItem.id), 'restricted item left out');
  t.false(text.includes(fixture.notDigitisedItem.id), 'undigitised item left out');
});

test('collection ids follow X-Forwarded-Proto/Host', async (t) => {
  const { fixture } = t.context;
  const response = await getJson(`${fixture.url}/iiif/collection/${fixture.collection.id}`, {
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-Host': 'proxy.example.vn:8443',
  });
  t.is(response.body.id, `https://proxy.example.vn:8443/iiif/collection/${fixture.collection.id}`);
});

test('a 1,000-item collection fits in one valid document', async (t) => {
  const { fixture, bigCollectionId } = t.context;
  const response = await getJson(`${fixture.url}/iiif/collection/${bigCollectionId}`);
  t.is(response.status, 200);
  assertValid(t, response.body);
  const items = response.body.items as { type: string }[];
  t.is(items.length, 1000);
  t.true(items.every((entry) => entry.type === 'Manifest'));
  const part = await getJson(`${fixture.url}/iiif/collection/${bigCollectionId}?page=1`);
  t.is((part.body.items as unknown[]).length, 1000);
  t.is((await getJson(`${fixture.url}/iiif/collection/${bigCollectionId}?page=2`)).status, 404);
});

test('a collection larger than the page size is split into part collections linked by partOf', async (t) => {
  const { paged } = t.context;
  const library = await getJson(`${paged.url}/iiif/collection/library/${paged.library.id}`);
  const bigId = (library.body.items as { id: string; label: { vi: string[] } }[]).find((entry) => entry.label.vi[0] === 'Báo chí Đắk Nông')!.id;
  const whole = await getJson(`${paged.url}${new URL(bigId).pathname}`);
  assertValid(t, whole.body);
  const parts = whole.body.items as { id: string; type: string; label: Record<string, string[]> }[];
  t.deepEqual(parts.map((part) => part.id), [1, 2, 3].map((n) => `${bigId}?page=${n}`));
  t.true(parts.every((part) => part.type === 'Collection'));
  t.deepEqual(parts[1]!.label.en, ['Báo chí Đắk Nông — part 2 of 3']);

  const seen = new Set<string>();
  const sizes: number[] = [];
  for (const part of parts) {
    const response = await getJson(`${paged.url}${new URL(part.id).pathname}${new URL(part.id).search}`);
    t.is(response.status, 200);
    assertValid(t, response.body);
    t.is(response.body.id, part.id);
    t.deepEqual(response.body.partOf, [{ id: bigId, type: 'Collection', label: { vi: ['Báo chí Đắk Nông'] } }]);
    const items = response.body.items as { id: string; type: string }[];
    sizes.push(items.length);
    for (const entry of items) seen.add(entry.id);
  }
  t.deepEqual(sizes, [400, 400, 200]);
  t.is(seen.size, 1000);
  t.is((await getJson(`${paged.url}${new URL(bigId).pathname}?page=4`)).status, 404);
});

test('unknown library or collection is 404, a malformed page 400', async (t) => {
  const { fixture } = t.context;
  const unknownCollection = await getJson(`${fixture.url}/iiif/collection/00000000-0000-0000-0000-000000000000`);
  t.is(unknownCollection.status, 404);
  t.is((unknownCollection.body.error as { code: string }).code, 'NOT_FOUND');
  t.is((await getJson(`${fixture.url}/iiif/collection/library/00000000-0000-0000-0000-000000000000`)).status, 404);
  for (const page of ['0', '-1', '1.5', 'abc', '01', '']) {
    const response = await getJson(`${fixture.url}/iiif/collection/${fixture.collection.id}?page=${page}`);
    t.is(response.status, 400, `page=${page}`);
  }
  t.is((await getJson(`${fixture.url}/iiif/collection/${fixture.collection.id}?page=1&page=2`)).status, 400);
});

import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { findPhrase, parseSearchRequest, scaleBox, searchKey } from '../../../iiif/search/index.ts';
import { InvalidInputError } from '../../../storage/index.ts';
import { BASE, getJson, openFixture, type Fixture } from '../presentation/iiif-fixture.ts';

const test = anyTest as TestFn<{ fixture: Fixture }>;

test.before(async (t) => {
  t.context = { fixture: await openFixture() };
});
test.after.always(async (t) => {
  await t.context.fixture?.close();
});

interface Hit {
  id: string;
  motivation: string;
  target: HitTarget | HitTarget[];
}
interface HitTarget {
  type: string;
  source: string;
  selector: { type: string; prefix?: string; exact: string; suffix?: string }[];
}
interface SearchBody {
  '@context': string[];
  id: string;
  type: string;
  ignored: string[];
  items: { id: string; type: string; motivation: string; body: { type: string; value: string; format: string }; target: string }[];
  annotations: { type: string; items: Hit[] }[];
}

async function search(fixture: Fixture, query: string, itemId = fixture.publicItem.id) {
  const response = await getJson(`${fixture.url}/iiif/search/${itemId}?${query}`);
  return { ...response, body: response.body as unknown as SearchBody };
}

/** Parses `{canvas}#xywh=x,y,w,h`, checking the canvas is one of the item's under the base URL. */
function parseTarget(t: ExecutionContext<{ fixture: Fixture }>, target: string) {
  const match = /^(.+)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(target);
  if (!match) return t.fail(`target ${target} is not canvas#xywh=`);
  const [, canvas, x, y, w, h] = match;
  t.regex(canvas!, new RegExp(`^${BASE.replace(/\./g, '\\.')}/iiif/canvas/${t.context.fixture.publicItem.id}/\\d+$`));
  return { canvas: canvas!, box: [x, y, w, h].map(Number) };
}

test('searchKey and parseSearchRequest fold diacritics, case and punctuation; others are ignored', (t) => {
  t.is(searchKey('Nông,'), 'nong');
  t.is(searchKey('Đắk'), 'dak');
  t.deepEqual(parseSearchRequest({ q: ' Thư  Viện ', motivation: 'painting', date: 'x', user: 'u' }), {
    terms: ['thu', 'vien'],
    ignored: ['motivation', 'date', 'user'],
  });
  for (const query of [{}, { q: '' }, { q: '   ' }, { q: ['a', 'b'] }, { q: '!!!' }, { q: 'a'.repeat(501) }]) {
    const error = t.throws(() => parseSearchRequest(query), { instanceOf: InvalidInputError });
    t.regex(error.message, /\bq\b/);
  }
});

test('findPhrase finds consecutive words, non-overlapping', (t) => {
  t.deepEqual(findPhrase(['a', 'b', 'a', 'b', 'b'], ['a', 'b']), [{ start: 0, end: 1 }, { start: 2, end: 3 }]);
  t.deepEqual(findPhrase(['a', 'a', 'a'], ['a', 'a']), [{ start: 0, end: 1 }]);
  t.deepEqual(findPhrase(['a', 'c', 'b'], ['a', 'b']), []);
});

test('scaleBox scales per axis, widens to whole pixels and clips to the canvas', (t) => {
  t.deepEqual(scaleBox({ x: 100, y: 50, width: 80, height: 30 }, { width: 1000, height: 1500 }, { width: 2000, height: 3000 }), {
    x: 200, y: 100, width: 160, height: 60,
  });
  t.deepEqual(scaleBox({ x: 1.5, y: 0, width: 1, height: 1 }, { width: 10, height: 10 }, { width: 15, height: 10 }), {
    x: 2, y: 0, width: 2, height: 1,
  });
  t.deepEqual(scaleBox({ x: 90, y: 90, width: 50, height: 50 }, { width: 100, height: 100 }, { width: 100, height: 100 }), {
    x: 90, y: 90, width: 10, height: 10,
  });
});

test('"thu vien" finds both "Thư viện", with boxes scaled to canvas pixels and a valid response shape', async (t) => {
  const { fixture } = t.context;
  const { status, headers, body } = await search(fixture, 'q=thu%20vien');
  t.is(status, 200);
  t.is(headers.get('access-control-allow-origin'), '*');
  t.deepEqual(body['@context'], ['http://iiif.io/api/presentation/3/context.json', 'http://iiif.io/api/search/2/context.json']);
  t.is(body.type, 'AnnotationPage');
  t.is(body.id, `${BASE}/iiif/search/${fixture.publicItem.id}?q=thu%20vien`);
  t.deepEqual(body.ignored, []);
  t.is(body.items.length, 2);
  t.deepEqual(body.items.map((item) => item.body.value), ['Thư viện', 'thư viện']);
  for (const item of body.items) {
    t.is(item.type, 'Annotation');
    t.is(item.motivation, 'supplementing');
    t.deepEqual(Object.keys(item.body).sort(), ['format', 'type', 'value']);
    t.is(item.body.type, 'TextualBody');
    t.true(item.id.startsWith(`${BASE}/iiif/search/${fixture.publicItem.id}/`));
  }
  const targets = body.items.map((item) => parseTarget(t, item.target));
  t.deepEqual(targets.map((target) => target?.canvas), [1, 1].map((seq) => `${BASE}/iiif/canvas/${fixture.publicItem.id}/${seq}`));
  // OCR boxes (print JPEG 1000×1500) × 2 = canvas 2000×3000 pixels.
  t.deepEqual(targets[0]?.box, [200, 200, 360, 60]);
  t.deepEqual(targets[1]?.box, [1000, 400, 360, 60]);

  t.is(body.annotations.length, 1);
  t.is(body.annotations[0]!.type, 'AnnotationPage');
  const hits = body.annotations[0]!.items;
  t.is(hits.length, 2);
  t.deepEqual(hits.map((hit) => hit.motivation), ['contextualizing', 'contextualizing']);
  const first = hits[0]!.target as HitTarget;
  t.is(first.type, 'SpecificResource');
  t.is(first.source, body.items[0]!.id);
  t.deepEqual(first.selector, [{ type: 'TextQuoteSelector', exact: 'Thư viện', suffix: ' tỉnh Đắk Nông, Tài liệu' }]);
  const second = hits[1]!.target as HitTarget;
  t.is(second.source, body.items[1]!.id);
  t.deepEqual(second.selector, [{ type: 'TextQuoteSelector', prefix: 'Nông, Tài liệu địa chí ', exact: 'thư viện' }]);
});

test('"dia chi" finds "địa chí" and "Dak Nong" finds "Đắk Nông,"', async (t) => {
  const { fixture } = t.context;
  const diaChi = await search(fixture, 'q=dia+chi');
  t.deepEqual(diaChi.body.items.map((item) => item.body.value), ['địa chí']);
  t.deepEqual(parseTarget(t, diaChi.body.items[0]!.target)?.box, [600, 400, 360, 60]);
  t.deepEqual((diaChi.body.annotations[0]!.items[0]!.target as HitTarget).selector[0], {
    type: 'TextQuoteSelector',
    prefix: 'tỉnh Đắk Nông, Tài liệu ',
    exact: 'địa chí',
    suffix: ' thư viện',
  });
  const dakNong = await search(fixture, 'q=Dak%20Nong');
  t.deepEqual(dakNong.body.items.map((item) => item.body.value), ['Đắk Nông,']);
  t.deepEqual(parseTarget(t, dakNong.body.items[0]!.target)?.box, [800, 200, 360, 60]);
  const one = await search(fixture, 'q=%C4%90%E1%BA%AEK'); // "ĐẮK"
  t.is(one.body.items.length, 1);
});

test('a multi-word query matches consecutive words only; a phrase across lines gives one item per line', async (t) => {
  const { fixture } = t.context;
  t.is((await search(fixture, 'q=thu+dak')).body.items.length, 0);
  t.is((await search(fixture, 'q=vien+thu')).body.items.length, 0);
  const wrapped = await search(fixture, 'q=nong+tai');
  t.deepEqual(wrapped.body.items.map((item) => item.body.value), ['Nông,', 'Tài']);
  const hits = wrapped.body.annotations[0]!.items;
  t.is(hits.length, 1);
  const targets = hits[0]!.target as HitTarget[];
  t.true(Array.isArray(targets));
  t.deepEqual(targets.map((target) => target.source), wrapped.body.items.map((item) => item.id));
  t.deepEqual(wrapped.body.items.map((item) => parseTarget(t, item.target)?.box), [
    [1000, 200, 160, 60],
    [200, 400, 160, 60],
  ]);
});

test('no match is an empty AnnotationPage; unsupported parameters are listed in ignored', async (t) => {
  const { fixture } = t.context;
  const none = await search(fixture, 'q=hue');
  t.is(none.status, 200);
  t.deepEqual(none.body.items, []);
  t.deepEqual(none.body.annotations, [{ type: 'AnnotationPage', items: [] }]);
  const ignored = await search(fixture, 'q=thu&motivation=painting&date=2020-01-01T00:00:00Z/2021-01-01T00:00:00Z&user=http%3A%2F%2Fx');
  t.deepEqual(ignored.body.ignored, ['motivation', 'date', 'user']);
  t.is(ignored.body.items.length, 2);
});

test('missing or empty q is 400 naming q; restricted item 401; unknown item 404', async (t) => {
  const { fixture } = t.context;
  for (const query of ['', 'q=', 'q=%20', 'motivation=painting']) {
    const response = await search(fixture, query);
    t.is(response.status, 400, query);
    t.regex((response.body as unknown as { error: { message: string } }).error.message, /\bq\b/);
  }
  const restricted = await search(fixture, 'q=thu', fixture.restrictedItem.id);
  t.is(restricted.status, 401);
  t.false(JSON.stringify(restricted.body).includes('Thư'));
  // The access decision comes before checking q.
  t.is((await search(fixture, '', fixture.restrictedItem.id)).status, 401);
  t.is((await search(fixture, 'q=thu', '00000000-0000-0000-0000-000000000000')).status, 404);
});

test('search ids follow X-Forwarded-Proto/Host', async (t) => {
  const { fixture } = t.context;
  const response = await getJson(`${fixture.url}/iiif/search/${fixture.publicItem.id}?q=dia+chi`, {
    'X-Forwarded-Proto': 'http',
    'X-Forwarded-Host': 'mirror.example.vn',
  });
  const body = response.body as unknown as SearchBody;
  t.is(body.id, `http://mirror.example.vn/iiif/search/${fixture.publicItem.id}?q=dia+chi`);
  t.true(body.items[0]!.target.startsWith(`http://mirror.example.vn/iiif/canvas/${fixture.publicItem.id}/1#xywh=`));
});

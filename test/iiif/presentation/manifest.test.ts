import anyTest, { type TestFn } from 'ava';
import express, { type Request } from 'express';
import { rebaseIds, requestBaseUrl } from '../../../iiif/presentation/index.ts';
import { allStrings, BASE, getJson, openFixture, PACKAGED_BASE, validatePresentation, type Fixture } from './iiif-fixture.ts';

const test = anyTest as TestFn<{ fixture: Fixture }>;

test.before(async (t) => {
  t.context = { fixture: await openFixture() };
});
test.after.always(async (t) => {
  await t.context.fixture?.close();
});

/** A request as express hands it over, from a proxy on loopback (trusted) or from elsewhere. */
const fakeRequest = (headers: Record<string, string | string[]>, remoteAddress = '127.0.0.1') => {
  const app = express();
  app.set('trust proxy', 'loopback');
  return { headers, app, socket: { remoteAddress } } as unknown as Request;
};

test('requestBaseUrl: configured base unless both forwarded headers are present and well formed', (t) => {
  t.is(requestBaseUrl(fakeRequest({}), 'https://a.example/'), 'https://a.example');
  t.is(requestBaseUrl(fakeRequest({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'b.example:8443' }), 'https://a.example'), 'https://b.example:8443');
  t.is(requestBaseUrl(fakeRequest({ 'x-forwarded-proto': 'http', 'x-forwarded-host': 'b.example' }), 'https://a.example'), 'http://b.example');
  t.is(requestBaseUrl(fakeRequest({ 'x-forwarded-host': 'b.example' }), 'https://a.example'), 'https://a.example');
  t.is(requestBaseUrl(fakeRequest({ 'x-forwarded-proto': 'https' }), 'https://a.example'), 'https://a.example');
  for (const [proto, host] of [
    ['ftp', 'b.example'],
    ['https,http', 'b.example'],
    ['https', 'b.example/evil'],
    ['https', 'b.example, c.example'],
    ['https', 'user@b.example'],
    ['https', ''],
  ] as const) {
    t.is(requestBaseUrl(fakeRequest({ 'x-forwarded-proto': proto, 'x-forwarded-host': host }), 'https://a.example'), 'https://a.example', `${proto} ${host}`);
  }
  const fromElsewhere = fakeRequest({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' }, '203.0.113.9');
  t.is(requestBaseUrl(fromElsewhere, 'https://a.example'), 'https://a.example', 'headers from an untrusted client are ignored');
});

test('rebaseIds rewrites string values under the old base only, structurally', (t) => {
  const input = {
    id: 'http://old:3000/iiif/manifest/x',
    'http://old:3000/key': 'http://old:3000',
    list: ['http://old:3000/a?b#c', 'http://old:30001/other', 'see http://old:3000/x', 42, null, true],
  };
  t.deepEqual(rebaseIds(input, 'http://old:3000', 'https://new'), {
    id: 'https://new/iiif/manifest/x',
    'http://old:3000/key': 'https://new',
    list: ['https://new/a?b#c', 'http://old:30001/other', 'see http://old:3000/x', 42, null, true],
  });
});

test('the manifest is served with every id under the configured base, valid and with CORS', async (t) => {
  const { fixture } = t.context;
  const response = await getJson(`${fixture.url}/iiif/manifest/${fixture.publicItem.id}`);
  t.is(response.status, 200);
  t.is(response.headers.get('access-control-allow-origin'), '*');
  t.true(validatePresentation(response.body), JSON.stringify(validatePresentation.errors?.slice(0, 3)));
  t.is(response.body.id, `${BASE}/iiif/manifest/${fixture.publicItem.id}`);
  const strings = allStrings(response.body);
  t.false(strings.some((value) => value.includes(PACKAGED_BASE)));
  t.true(strings.includes(`${BASE}/iiif/canvas/${fixture.publicItem.id}/2`));
  t.true(strings.includes(`${BASE}/iiif/search/${fixture.publicItem.id}`));
  // Links outside our base are untouched.
  t.true(strings.includes('https://daknong.example.vn'));
});

test('the manifest ids follow X-Forwarded-Proto/Host, and malformed ones are ignored', async (t) => {
  const { fixture } = t.context;
  const url = `${fixture.url}/iiif/manifest/${fixture.publicItem.id}`;
  const proxied = await getJson(url, { 'X-Forwarded-Proto': 'http', 'X-Forwarded-Host': 'mirror.example.vn:8080' });
  t.is(proxied.body.id, `http://mirror.example.vn:8080/iiif/manifest/${fixture.publicItem.id}`);
  const canvases = proxied.body.items as { id: string }[];
  t.deepEqual(canvases.map((canvas) => canvas.id), [1, 2].map((seq) => `http://mirror.example.vn:8080/iiif/canvas/${fixture.publicItem.id}/${seq}`));
  t.false(allStrings(proxied.body).some((value) => value.startsWith(BASE) || value.startsWith(PACKAGED_BASE)));

  const malformed = await getJson(url, { 'X-Forwarded-Proto': 'javascript', 'X-Forwarded-Host': 'evil.example/<x>' });
  t.is(malformed.body.id, `${BASE}/iiif/manifest/${fixture.publicItem.id}`);
  const halfMissing = await getJson(url, { 'X-Forwarded-Host': 'mirror.example.vn' });
  t.is(halfMissing.body.id, `${BASE}/iiif/manifest/${fixture.publicItem.id}`);
});

test('a restricted item is 401, an unknown item 404, a digitised item without a package 404', async (t) => {
  const { fixture } = t.context;
  const restricted = await getJson(`${fixture.url}/iiif/manifest/${fixture.restrictedItem.id}`);
  t.is(restricted.status, 401);
  t.is((restricted.body.error as { code: string }).code, 'UNAUTHORIZED');
  t.false(JSON.stringify(restricted.body).includes('/iiif/canvas/'));
  t.is((await getJson(`${fixture.url}/iiif/manifest/00000000-0000-0000-0000-000000000000`)).status, 404);
  t.is((await getJson(`${fixture.url}/iiif/manifest/${fixture.notDigitisedItem.id}`)).status, 404);
});

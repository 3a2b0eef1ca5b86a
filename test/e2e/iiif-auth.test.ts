import test from 'ava';
import { CookieJarClient } from '../helpers/cookie-jar-client.ts';
import { digitisedItem } from '../helpers/digitised-item.ts';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, startAppOnFreePort, type RunningApp } from '../helpers/running-app.ts';

const AUTH_CONTEXT = 'http://iiif.io/api/auth/2/context.json';
const READER_PASSWORD = 'mật khẩu của bạn đọc đăng ký';
const VIEWER_ORIGIN = 'http://viewer.example';

let app: RunningApp;
let itemId: string;
let pageId: string;

interface ProbeService {
  id: string;
  type: string;
  service: { id: string; type: string; profile: string; service: { id: string; type: string }[] }[];
}

test.before(async () => {
  app = await startAppOnFreePort('e2e-iiif-auth', { RESTRICTED_METADATA: 'shown' });
  const digitised = await digitisedItem(app.baseUrl, 'iiif-auth');
  itemId = digitised.itemId;
  pageId = digitised.pageIds[0]!;
  await setLevel('restricted');
  await postJson(`${app.baseUrl}/api/users`, { username: 'ban-doc-iiif', displayName: 'Bạn đọc', role: 'reader', libraryId: null, password: READER_PASSWORD });
});

test.after.always(async () => {
  await app?.close();
});

async function setLevel(accessLevel: string): Promise<void> {
  const response = await fetch(`${app.baseUrl}/api/items/${itemId}`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...ADMIN_HEADERS }, body: JSON.stringify({ accessLevel }) });
  if (response.status !== 200) throw new Error(`PATCH accessLevel: ${response.status}`);
}

const tile = () => `/iiif/3/${pageId}/full/128,/0/default.jpg`;

async function probe(url: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** What the token service's page would post to the viewer. */
async function tokenMessage(client: CookieJarClient, query: string): Promise<{ message: Record<string, unknown>; targetOrigin: string; response: Response }> {
  const response = await client.request(`/iiif/auth/token?${query}`);
  const page = await response.clone().text();
  const json = /<script type="application\/json" id="iiif-token-message">([^<]*)<\/script>/.exec(page)?.[1];
  if (json === undefined) throw new Error(`no token message in ${page}`);
  return { ...(JSON.parse(json) as { message: Record<string, unknown>; targetOrigin: string }), response };
}

async function signedInReader(): Promise<CookieJarClient> {
  const reader = new CookieJarClient(app.baseUrl);
  const signedIn = await reader.signIn('ban-doc-iiif', READER_PASSWORD, undefined, '/iiif/auth/access');
  if (signedIn.status !== 303) throw new Error(`sign-in: ${signedIn.status}`);
  return reader;
}

test.serial('a restricted document: manifest and info.json offer the probe service; probe 401 and tiles 401 before sign-in', async (t) => {
  const manifest = (await (await fetch(`${app.baseUrl}/iiif/manifest/${itemId}`)).json()) as { '@context': string[]; items: { items: { items: { body: { service: ProbeService[] } }[] }[] }[] };
  t.is(manifest['@context'][0], AUTH_CONTEXT);
  t.is(manifest['@context'].at(-1), 'http://iiif.io/api/presentation/3/context.json');
  const services = manifest.items[0]!.items[0]!.items[0]!.body.service;
  const probeService = services.find((service) => service.type === 'AuthProbeService2')!;
  t.is(probeService.id, `${app.baseUrl}/iiif/auth/probe/${itemId}`);
  const access = probeService.service[0]!;
  t.is(access.type, 'AuthAccessService2');
  t.is(access.profile, 'active');
  t.deepEqual(access.service.map((service) => service.type), ['AuthAccessTokenService2', 'AuthLogoutService2']);

  const info = await fetch(`${app.baseUrl}/iiif/3/${pageId}/info.json`);
  t.is(info.status, 200);
  const infoBody = (await info.json()) as { '@context': string[]; service: ProbeService[] };
  t.deepEqual(infoBody['@context'], [AUTH_CONTEXT, 'http://iiif.io/api/image/3/context.json']);
  t.is(infoBody.service[0]!.id, probeService.id);
  t.regex(info.headers.get('cache-control') ?? '', /private/);

  const before = await probe(probeService.id);
  t.is(before.status, 200, 'the probe answers with HTTP 200 and puts the verdict in the body');
  t.is(before.body.type, 'AuthProbeResult2');
  t.is(before.body.id, probeService.id, 'the result names the service the manifest described');
  t.is(before.body.status, 401);
  t.is((await fetch(`${app.baseUrl}${tile()}`)).status, 401);

  const preflight = await fetch(probeService.id, { method: 'OPTIONS', headers: { origin: VIEWER_ORIGIN, 'access-control-request-headers': 'authorization' } });
  t.is(preflight.headers.get('access-control-allow-origin'), '*');
  t.regex(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/i);
});

test.serial('the token service: refuses without sign-in, then gives an IIIF-scoped token after the access service', async (t) => {
  const stranger = new CookieJarClient(app.baseUrl);
  const refused = await tokenMessage(stranger, `messageId=1&origin=${encodeURIComponent(VIEWER_ORIGIN)}`);
  t.is(refused.message.type, 'AuthAccessTokenError2');
  t.is(refused.message.profile, 'missingAspect');
  t.is(refused.message.messageId, '1');
  const badOrigin = await tokenMessage(stranger, 'messageId=2&origin=javascript:alert(1)');
  t.is(badOrigin.message.profile, 'invalidOrigin');
  t.is(badOrigin.targetOrigin, '*', 'an error without a token may go to any origin; a token never does');

  const toSignIn = await stranger.request('/iiif/auth/access?origin=' + encodeURIComponent(VIEWER_ORIGIN));
  t.is(toSignIn.status, 303);
  t.is(toSignIn.headers.get('location'), '/dang-nhap?tiep=%2Fiiif%2Fauth%2Faccess');

  const reader = await signedInReader();
  const accessPage = await reader.request('/iiif/auth/access');
  t.is(accessPage.status, 200);
  t.regex(await accessPage.text(), /close-window\.js/);

  const issued = await tokenMessage(reader, `messageId=${encodeURIComponent('7</script><script>x')}&origin=${encodeURIComponent(VIEWER_ORIGIN)}`);
  t.is(issued.message.type, 'AuthAccessToken2');
  t.is(issued.message['@context'], AUTH_CONTEXT);
  t.is(issued.message.messageId, '7</script><script>x', 'the message id comes back intact and cannot break out of its script element');
  t.is(issued.targetOrigin, VIEWER_ORIGIN);
  const expiresIn = issued.message.expiresIn as number;
  t.true(expiresIn > 0 && expiresIn <= 3600);
  const csp = issued.response.headers.get('content-security-policy') ?? '';
  t.regex(csp, /frame-ancestors \*/, 'viewers on any site may frame the token service');
  t.regex(csp, /script-src 'self'/);
  t.is(issued.response.headers.get('x-frame-options'), null);

  const token = issued.message.accessToken as string;
  const probeUrl = `${app.baseUrl}/iiif/auth/probe/${itemId}`;
  t.is((await probe(probeUrl, token)).body.status, 200, 'after sign-in the probe with the token says 200');
  t.is((await reader.request(tile())).status, 200, 'the session cookie opens the tiles');

  t.is((await fetch(`${app.baseUrl}${tile()}`, { headers: { authorization: `Bearer ${token}` } })).status, 401, 'the access token alone opens no tile');
  const write = await fetch(`${app.baseUrl}/api/items/${itemId}`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ title: 'Đổi tên' }) });
  t.is(write.status, 401, 'the access token is no API token: it changes nothing');
  t.is((await probe(probeUrl, `${token}x`)).body.status, 401, 'a made-up token is anonymous');

  await setLevel('confidential');
  t.is((await probe(probeUrl, token)).body.status, 403, 'a reader may not see a confidential document, and signing in again would not change it');
  await setLevel('restricted');

  const logout = await reader.request('/iiif/auth/logout');
  t.is(logout.status, 200);
  t.false(reader.cookies.has('tvs_session'));
  t.is((await probe(probeUrl, token)).body.status, 401, 'the logout service ends the tokens of the session');
});

test.serial('in the default mode a restricted manifest stays closed, while info.json still leads to sign-in', async (t) => {
  const strict = await startAppOnFreePort('e2e-iiif-auth-hidden');
  try {
    const digitised = await digitisedItem(strict.baseUrl, 'iiif-auth-hidden');
    await fetch(`${strict.baseUrl}/api/items/${digitised.itemId}`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...ADMIN_HEADERS }, body: JSON.stringify({ accessLevel: 'restricted' }) });
    t.is((await fetch(`${strict.baseUrl}/iiif/manifest/${digitised.itemId}`)).status, 401);
    const info = (await (await fetch(`${strict.baseUrl}/iiif/3/${digitised.pageIds[0]}/info.json`)).json()) as { service: ProbeService[] };
    t.is(info.service[0]!.type, 'AuthProbeService2');
    t.is((await fetch(`${strict.baseUrl}/iiif/3/${digitised.pageIds[0]}/full/64,/0/default.jpg`)).status, 401);
  } finally {
    await strict.close();
  }
});

/**
 * The IIIF image-validator's checks for Image API 3.0, level 2, ported from
 * IIIF/image-validator `iiif_validator/tests/*.py` (test names in the titles). The validator
 * picks squares and sizes at random; these ports use fixed picks covering the same ground,
 * and keep its colour tolerance (each channel within 5 of `colorInfo`, most frequent colour
 * of the crop) and its pass thresholds.
 */
import test from 'ava';
import { IMAGE_JSON_LD_MEDIA_TYPE } from '../../../iiif/image/index.ts';
import { FIXTURE_ID, dominantColour, getImage, isSquare, startImageServer, type TestServer } from './helpers.ts';

let server: TestServer;
let base: string;

test.before(async () => {
  server = await startImageServer();
  base = `${server.url}/iiif/3/${FIXTURE_ID}`;
});
test.after.always(async () => {
  await server?.close();
});

const PICKS: [number, number][] = [
  [0, 0],
  [9, 9],
  [3, 7],
  [8, 1],
  [5, 5],
];

/** Validator `make_url` defaults for 3.0: full/max/0/default.jpg. */
const url = (p: { region?: string; size?: string; rotation?: string; quality?: string; format?: string } = {}) =>
  `${base}/${p.region ?? 'full'}/${p.size ?? 'max'}/${p.rotation ?? '0'}/${p.quality ?? 'default'}.${p.format ?? 'jpg'}`;

async function statusOf(u: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(u, { redirect: 'manual', ...init });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

test('info_json: 3.0 fields (id, @context, protocol, profile, type, sizes, tiles, extras)', async (t) => {
  const response = await fetch(`${base}/info.json`);
  t.is(response.status, 200);
  t.true(/^application\/(ld\+)?json/.test(response.headers.get('content-type') ?? ''));
  const info = (await response.json()) as Record<string, unknown>;
  t.is(info.id, base, 'id is the request URI without /info.json');
  t.is(info['@context'], 'http://iiif.io/api/image/3/context.json');
  t.is(info.protocol, 'http://iiif.io/api/image');
  t.is(info.profile, 'level2');
  t.is(info.type, 'ImageService3');
  t.is(info.width, 1000);
  t.is(info.height, 1000);
  t.deepEqual(info.sizes, [
    { width: 250, height: 250 },
    { width: 500, height: 500 },
    { width: 1000, height: 1000 },
  ]);
  t.deepEqual(info.tiles, [{ width: 256, height: 256, scaleFactors: [1, 2, 4] }]);
  t.deepEqual(info.extraFormats, ['webp']);
  t.deepEqual(info.extraQualities, ['gray', 'bitonal']);
  t.true(Array.isArray(info.extraFeatures));
  t.false('license' in info);
  t.false('attribution' in info);
});

test('id_squares / format_jpg: full/max/0/default.jpg has every 10×10 square in place', async (t) => {
  const { image, headers } = await getImage(url());
  t.is(headers.get('content-type'), 'image/jpeg');
  t.is(image.format, 'jpeg');
  t.is(image.width, 1000);
  let match = 0;
  for (let x = 0; x < 10; x++) for (let y = 0; y < 10; y++) if (isSquare(image, [x * 100 + 13, y * 100 + 13, x * 100 + 87, y * 100 + 87], x, y)) match++;
  t.is(match, 100);
});

test('region_pixels: x*100+13,y*100+13,74,74 is one square', async (t) => {
  let match = 0;
  for (const [x, y] of PICKS) {
    const { image } = await getImage(url({ region: `${x * 100 + 13},${y * 100 + 13},74,74` }));
    t.is(image.width, 74);
    if (isSquare(image, [0, 0, 74, 74], x, y)) match++;
  }
  t.true(match >= 4, `${match} of 5 squares matched`);
});

test('region_percent: pct:x*10+1.3,y*10+1.3,7.4,7.4 is one square', async (t) => {
  let match = 0;
  for (const [x, y] of PICKS) {
    const { image } = await getImage(url({ region: `pct:${x * 10 + 1.3},${y * 10 + 1.3},7.4,7.4` }));
    t.is(image.width, 74);
    if (isSquare(image, [0, 0, 74, 74], x, y)) match++;
  }
  t.true(match >= 4, `${match} of 5 squares matched`);
});

test('region_square: square on a square image is the whole image', async (t) => {
  const { image, headers } = await getImage(url({ region: 'square', size: '500,' }));
  t.is(image.width, 500);
  t.is(image.height, 500);
  t.true(isSquare(image, [6, 6, 44, 44], 0, 0));
  t.true(isSquare(image, [456, 456, 494, 494], 9, 9));
  t.regex(headers.get('link') ?? '', /\/full\/500,500\/0\/default\.jpg>;rel="canonical"/);
});

/** The size tests' square check: sqs = int(s / 1000 * 100); box (x*sqs+13, y*sqs+13, +sqs-13). */
function squaresAtScale(image: Awaited<ReturnType<typeof getImage>>['image'], s: number): number {
  const sqs = Math.floor((s / 1000) * 100);
  let match = 0;
  for (const [x, y] of PICKS) {
    const xi = x * sqs + 13;
    const yi = y * sqs + 13;
    if (isSquare(image, [xi, yi, xi + (sqs - 13), yi + (sqs - 13)], x, y)) match++;
  }
  return match;
}

test('size_wc: w, keeps the aspect ratio', async (t) => {
  const { image } = await getImage(url({ size: '437,' }));
  t.deepEqual([image.width, image.height], [437, 437]);
  t.true(squaresAtScale(image, 437) >= 3);
});

test('size_ch: ,h keeps the aspect ratio', async (t) => {
  const { image } = await getImage(url({ size: ',612' }));
  t.deepEqual([image.width, image.height], [612, 612]);
  t.true(squaresAtScale(image, 612) >= 3);
});

test('size_percent: pct:n', async (t) => {
  const { image } = await getImage(url({ size: 'pct:47' }));
  t.deepEqual([image.width, image.height], [470, 470]);
  t.true(squaresAtScale(image, 470) >= 3);
});

test('size_bwh: !w,h fits inside w × h', async (t) => {
  const { image } = await getImage(url({ size: '!702,389' }));
  t.deepEqual([image.width, image.height], [389, 389]);
  t.true(squaresAtScale(image, 389) >= 3);
});

test('size_wh: w,h distorts to exactly w × h', async (t) => {
  const { image } = await getImage(url({ size: '650,380' }));
  t.deepEqual([image.width, image.height], [650, 380]);
  // Square (x, y) occupies x*65 … and y*38 …: check centres.
  let match = 0;
  for (const [x, y] of PICKS) if (isSquare(image, [x * 65 + 15, y * 38 + 10, x * 65 + 50, y * 38 + 28], x, y)) match++;
  t.true(match >= 4);
});

test('size_up: ^,h above 100% (sizeUpscaling)', async (t) => {
  const { image } = await getImage(url({ size: '^,1500' }));
  t.deepEqual([image.width, image.height], [1500, 1500]);
  t.true(squaresAtScale(image, 1500) >= 3);
});

test('size_noup: upscaling without ^ is a 400 naming the size', async (t) => {
  const response = await statusOf(url({ size: '1500,' }));
  t.is(response.status, 400);
  t.regex(response.body, /size/);
  t.regex(response.body, /\^/);
});

test('size_region: region then size', async (t) => {
  const { image } = await getImage(url({ region: '200,200,300,300', size: '150,' }));
  t.deepEqual([image.width, image.height], [150, 150]);
  t.true(isSquare(image, [6, 6, 44, 44], 2, 2));
  t.true(isSquare(image, [106, 106, 144, 144], 4, 4));
});

test('rot_full_basic: rotation 90, 180 and 270', async (t) => {
  const r180 = (await getImage(url({ rotation: '180' }))).image;
  t.is(r180.width, 1000);
  t.true(isSquare(r180, [12, 12, 76, 76], 9, 9));
  t.true(isSquare(r180, [912, 912, 976, 976], 0, 0));
  const r90 = (await getImage(url({ rotation: '90' }))).image;
  t.true(isSquare(r90, [12, 12, 76, 76], 0, 9));
  t.true(isSquare(r90, [912, 912, 976, 976], 9, 0));
  const r270 = (await getImage(url({ rotation: '270' }))).image;
  t.true(isSquare(r270, [12, 12, 76, 76], 9, 0));
  t.true(isSquare(r270, [912, 912, 976, 976], 0, 9));
});

test('rot_mirror: !0 mirrors left-right', async (t) => {
  const { image } = await getImage(url({ rotation: '!0' }));
  t.is(image.width, 1000);
  t.true(isSquare(image, [12, 12, 76, 76], 9, 0));
  t.true(isSquare(image, [912, 912, 976, 976], 0, 9));
});

test('rot_mirror_180: !180 mirrors then rotates', async (t) => {
  const { image } = await getImage(url({ rotation: '!180' }));
  t.true(isSquare(image, [12, 12, 76, 76], 0, 9));
  t.true(isSquare(image, [912, 912, 976, 976], 9, 0));
});

test('rot_full_non90 / rot_region_non90: arbitrary angles enlarge the canvas; png corners are transparent', async (t) => {
  const { image } = await getImage(url({ rotation: '45', format: 'png', size: '200,' }));
  t.true(image.width >= 282 && image.width <= 284, `width ${image.width}`);
  t.is(image.channels, 4);
  t.is(image.data[3], 0, 'top-left corner is transparent');
  const centre = ((image.height >> 1) * image.width + (image.width >> 1)) * 4;
  t.is(image.data[centre + 3], 255);
  const jpg = (await getImage(url({ region: '0,0,500,500', rotation: '22.5', size: '100,' }))).image;
  t.true(jpg.width > 100);
  t.deepEqual(dominantColour(jpg, [0, 0, 3, 3]).map((c) => c > 240), [true, true, true], 'jpg corners are white');
});

test('quality_grey: gray gives (near) equal channels', async (t) => {
  const { image } = await getImage(url({ quality: 'gray' }));
  let ok = 0;
  if (image.channels === 1) ok = image.width * image.height;
  else for (let i = 0; i < image.data.length; i += image.channels) if (Math.abs(image.data[i]! - image.data[i + 1]!) < 5 && Math.abs(image.data[i + 1]! - image.data[i + 2]!) < 5) ok++;
  t.true(ok > 650_000);
});

test('quality_bitonal: bitonal png has only black and white', async (t) => {
  const { image } = await getImage(url({ quality: 'bitonal', format: 'png' }));
  let ok = 0;
  for (let i = 0; i < image.data.length; i += image.channels) if (image.data[i] === 0 || image.data[i] === 255) ok++;
  t.true(ok > 650_000);
  t.true(ok === image.width * image.height);
});

test('quality_color: color keeps the colours', async (t) => {
  const { image } = await getImage(url({ quality: 'color' }));
  t.true(isSquare(image, [13, 13, 87, 87], 0, 0));
  t.true(isSquare(image, [313, 713, 387, 787], 3, 7));
});

test('format_png: png', async (t) => {
  const { image, headers } = await getImage(url({ format: 'png' }));
  t.is(headers.get('content-type'), 'image/png');
  t.is(image.format, 'png');
  t.true(isSquare(image, [513, 513, 587, 587], 5, 5));
});

test('format_webp: webp', async (t) => {
  const { image, headers } = await getImage(url({ format: 'webp' }));
  t.is(headers.get('content-type'), 'image/webp');
  t.is(image.format, 'webp');
  t.true(isSquare(image, [813, 113, 887, 187], 8, 1));
});

test('http_baseurl_redirect: the base URI answers 303 to info.json', async (t) => {
  const response = await statusOf(base);
  t.is(response.status, 303);
  t.is(response.headers.get('location'), `${base}/info.json`);
});

test('http_cors / cors: Access-Control-Allow-Origin on info, images and errors', async (t) => {
  for (const u of [`${base}/info.json`, url(), url({ region: 'nonsense' }), `${server.url}/iiif/3/unknown-image/info.json`]) {
    const response = await statusOf(u, { headers: { Origin: 'http://iiif.io/' } });
    t.is(response.headers.get('access-control-allow-origin'), '*', u);
  }
});

test('http_jsonld / jsonld: JSON-LD media type when asked for', async (t) => {
  const ld = await statusOf(`${base}/info.json`, { headers: { Accept: 'application/ld+json' } });
  t.is(ld.status, 200);
  t.is(ld.headers.get('content-type'), IMAGE_JSON_LD_MEDIA_TYPE);
  const plain = await statusOf(`${base}/info.json`);
  t.true((plain.headers.get('content-type') ?? '').startsWith('application/json'));
});

test('http_linkheader_profile / linkheader_profile: images link the level 2 profile', async (t) => {
  const response = await statusOf(url());
  t.regex(response.headers.get('link') ?? '', /<http:\/\/iiif\.io\/api\/image\/3\/level2\.json>;rel="profile"/);
});

test('http_linkheader_canonical / linkheader_canonical: images link their canonical URI', async (t) => {
  const response = await statusOf(url({ region: 'pct:10,10,50,50', size: '!250,250', rotation: '90.0' }));
  t.is(response.status, 200);
  t.true((response.headers.get('link') ?? '').includes(`<${base}/100,100,500,500/250,250/90/default.jpg>;rel="canonical"`), response.headers.get('link') ?? '');
  const full = await statusOf(url());
  t.true((full.headers.get('link') ?? '').includes(`<${base}/full/max/0/default.jpg>;rel="canonical"`));
});

for (const [name, params, part] of [
  ['region_error_random', { region: 'ab!c,def' }, 'region'],
  ['region_error_random (outside the image)', { region: '1000,0,10,10' }, 'region'],
  ['size_error_random', { size: '10,x' }, 'size'],
  ['size_error_random (zero)', { size: '0,' }, 'size'],
  ['rot_error_random', { rotation: '361' }, 'rotation'],
  ['rot_error_random (negative)', { rotation: '-90' }, 'rotation'],
  ['quality_error_random', { quality: 'qwerty' }, 'quality'],
  ['format_error_random', { format: 'xyz' }, 'format'],
  ['format_error_random (unsupported gif)', { format: 'gif' }, 'format'],
] as const) {
  test(`${name}: 400 naming the ${part}`, async (t) => {
    const response = await statusOf(url(params));
    t.is(response.status, 400);
    const body = JSON.parse(response.body) as { error: { code: string; message: string } };
    t.is(body.error.code, 'INVALID_INPUT');
    t.regex(body.error.message, new RegExp(part));
  });
}

test('id_error_random: an unknown identifier is 404 for info.json and images', async (t) => {
  t.is((await statusOf(`${server.url}/iiif/3/no-such-image-x7/info.json`)).status, 404);
  t.is((await statusOf(`${server.url}/iiif/3/no-such-image-x7/full/max/0/default.jpg`)).status, 404);
  t.is((await statusOf(`${server.url}/iiif/3/..%2F..%2Fetc%2Fpasswd/info.json`)).status, 404);
});

test('malformed paths under the image API are 400, not 404 or 500', async (t) => {
  const response = await statusOf(`${base}/full/max/0`);
  t.is(response.status, 400);
  const extra = await statusOf(`${base}/full/max/0/default.jpg/more`);
  t.is(extra.status, 400);
});

test('X-Forwarded-Proto / X-Forwarded-Host set the id of info.json', async (t) => {
  const response = await fetch(`${base}/info.json`, { headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'thuvien.example.vn' } });
  const info = (await response.json()) as { id: string };
  t.is(info.id, `https://thuvien.example.vn/iiif/3/${FIXTURE_ID}`);
});

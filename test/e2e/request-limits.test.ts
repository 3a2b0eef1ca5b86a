import path from 'node:path';
import test from 'ava';
import { FIXTURES } from '../pipeline/ocr/test-pages.ts';
import { startAppOnFreePort, type RunningApp } from '../helpers/running-app.ts';

const IMAGE = '67352ccc-d1b0-11e1-89ae-279075081939';
let app: RunningApp;

test.before(async () => {
  app = await startAppOnFreePort('e2e-limits', { IIIF_EXTRA_IMAGES_DIR: path.join(FIXTURES, 'iiif'), IIIF_MAX_PIXELS: '4000000' });
});

test.after.always(async () => {
  await app?.close();
});

test('an Image API request larger than IIIF_MAX_PIXELS is refused with 400, and info.json says the limit', async (t) => {
  const info = (await (await fetch(`${app.baseUrl}/iiif/3/${IMAGE}/info.json`)).json()) as { maxArea?: number };
  t.is(info.maxArea, 4_000_000);
  const huge = await fetch(`${app.baseUrl}/iiif/3/${IMAGE}/full/^60000,/0/default.jpg`);
  t.is(huge.status, 400);
  t.is((await fetch(`${app.baseUrl}/iiif/3/${IMAGE}/full/^1500,/0/default.jpg`)).status, 200, 'an upscale within the limit is served');
});

test('a malformed percent-encoding in a path is a 400 with a reason, not a 500', async (t) => {
  for (const address of ['/api/libraries/%', '/tai-lieu/%E0%A4%A', `/iiif/3/%/info.json`]) {
    const response = await fetch(`${app.baseUrl}${address}`);
    t.is(response.status, 400, address);
    const body = await response.text();
    t.false(/at \w+ \(|node_modules/.test(body), `${address}: no stack trace`);
  }
});

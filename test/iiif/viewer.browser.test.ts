import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { launchChromium, watchPage } from '../helpers/browser.ts';
import { startAppOnFreePort } from '../helpers/running-app.ts';
import { digitisedItem } from '../helpers/digitised-item.ts';

test('the self-hosted Mirador opens a digitised item: manifest loaded, tiles from our server answer 200, no console errors', async (t) => {
  const { baseUrl, close } = await startAppOnFreePort('viewer');
  const browser = await launchChromium();
  try {
    const { itemId, pageIds } = await digitisedItem(baseUrl, 'viewer-test');
    const page = await browser.newPage();
    const { consoleErrors, failedResponses, offSite } = watchPage(page, baseUrl);
    const imageResponses: { url: string; status: number }[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(`${baseUrl}/iiif/3/${pageIds[0]}/`)) imageResponses.push({ url: response.url(), status: response.status() });
    });

    const manifestLoaded = page.waitForResponse((response) => response.url() === `${baseUrl}/iiif/manifest/${itemId}`);
    await page.goto(`${baseUrl}/viewer/${itemId}`);
    t.is((await manifestLoaded).status(), 200);
    await page.waitForResponse(
      (response) => /\/iiif\/3\/[^/]+\/[^/]+\/[^/]+\/0\/default\.jpg$/.test(response.url()) && response.status() === 200,
      { timeout: 60_000 },
    );
    await page.getByText('Thư viện tỉnh Đắk Nông').first().waitFor({ timeout: 30_000 });
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: path.join('test-results', 'viewer.png') });

    const tiles = imageResponses.filter((response) => response.url.endsWith('default.jpg'));
    t.true(tiles.length > 0, 'tiles were requested from our Image API');
    t.deepEqual(
      tiles.filter((tile) => tile.status !== 200),
      [],
    );
    t.deepEqual(offSite, [], 'nothing is loaded from another host (no CDN)');
    t.deepEqual(failedResponses, []);
    t.deepEqual(consoleErrors, []);
  } finally {
    await browser.close();
    await close();
  }
});

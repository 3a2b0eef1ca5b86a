import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { launchChromium, watchPage } from '../helpers/browser.ts';
import { startAppOnFreePort } from '../helpers/running-app.ts';
import { digitisedItem } from '../helpers/digitised-item.ts';

test('a researcher searches "thu vien" on /tim-kiem and opens the result in the document page with the viewer', async (t) => {
  const { baseUrl, close } = await startAppOnFreePort('web-search');
  const browser = await launchChromium();
  try {
    const { itemId } = await digitisedItem(baseUrl, 'search-test');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { consoleErrors, offSite } = watchPage(page, baseUrl);

    await page.goto(`${baseUrl}/`);
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Tìm kiếm' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tìm kiếm tài liệu' }).waitFor();
    await page.getByLabel('Từ cần tìm (có hoặc không dấu)').fill('thu vien');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await page.waitForURL(`${baseUrl}/tim-kiem?q=thu+vien`);
    t.regex(await page.locator('.search-results__count').innerText(), /^Tìm thấy 1 tài liệu\.$/);
    const result = page.locator(`.result[data-item-id="${itemId}"]`);
    t.regex((await result.locator('mark').first().innerText()).normalize('NFC'), /thư viện/i);
    t.true(await page.locator('.facet[data-facet="library"]').getByRole('link', { name: 'Thư viện tỉnh Đắk Nông' }).isVisible());
    await mkdir('test-results', { recursive: true });
    for (const size of [{ name: 'desktop', width: 1280, height: 800 }, { name: 'tablet', width: 768, height: 1024 }]) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.screenshot({ path: path.join('test-results', `web-search-${size.name}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    const manifestLoaded = page.waitForResponse((response) => response.url() === `${baseUrl}/iiif/manifest/${itemId}`);
    await result.getByRole('link', { name: 'Thư viện tỉnh Đắk Nông' }).click();
    await page.waitForURL(`${baseUrl}/tai-lieu/${itemId}`);
    t.is((await manifestLoaded).status(), 200);
    t.is(await page.locator('iframe.viewer__frame').getAttribute('src'), `/viewer/${itemId}`);
    await page.waitForResponse((response) => /\/iiif\/3\/[^/]+\/[^/]+\/[^/]+\/0\/default\.jpg$/.test(response.url()) && response.status() === 200, {
      timeout: 60_000,
    });

    t.deepEqual(consoleErrors, []);
    t.deepEqual(offSite, [], 'nothing is requested from another host');
  } finally {
    await browser.close();
    await close();
  }
});

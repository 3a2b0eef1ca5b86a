import test from 'ava';
import { launchChromium, watchPage } from '../helpers/browser.ts';
import { postJson } from '../helpers/post-json.ts';
import { startAppOnFreePort } from '../helpers/running-app.ts';

test('a visitor finds /open-data from the footer and sees the datasets with their links, in Vietnamese and English', async (t) => {
  const { baseUrl, close } = await startAppOnFreePort('open-data-browser');
  const browser = await launchChromium();
  try {
    const library = await postJson(`${baseUrl}/api/libraries`, { slug: 'hue', name: 'Thư viện tỉnh Thừa Thiên Huế', province: 'Huế', kind: 'provincial' });
    const collection = await postJson(`${baseUrl}/api/collections`, { libraryId: library.id, slug: 'nom', title: 'Sách Nôm', category: 'rare' });
    for (const [identifier, title] of [['N-1', 'Truyện Kiều 𡨸'], ['N-2', 'Lục Vân Tiên']]) {
      await postJson(`${baseUrl}/api/items`, { collectionId: collection.id, identifier, title, status: 'digitised' });
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { consoleErrors, offSite, failedResponses } = watchPage(page, baseUrl);

    await page.goto(`${baseUrl}/`);
    await page.locator('.site-footer').getByRole('link', { name: 'Dữ liệu mở' }).click();
    await page.waitForURL(`${baseUrl}/open-data`);
    await page.getByRole('heading', { level: 1, name: 'Dữ liệu mở' }).waitFor();
    t.is(await page.locator('html').getAttribute('lang'), 'vi');
    const datasets = page.locator('.open-data__dataset');
    t.deepEqual(await datasets.evaluateAll((items) => items.map((item) => item.getAttribute('data-dataset'))), ['catalogue', 'progress', 'iiif-collection']);
    t.deepEqual(await datasets.locator('h2').allInnerTexts(), ['Mục lục tài liệu', 'Thống kê tiến độ số hóa', 'Bộ sưu tập IIIF gốc']);
    const catalogue = page.locator('[data-dataset="catalogue"]');
    t.is(await catalogue.locator('dt:has-text("Số bản ghi") + dd').innerText(), '2');
    t.is(await catalogue.getByRole('link', { name: 'Tải CSV' }).getAttribute('href'), '/open-data/catalogue.csv');
    t.is(await catalogue.getByRole('link', { name: 'Tải JSON-LD' }).getAttribute('href'), '/open-data/catalogue.jsonld');
    t.is(await page.locator('[data-dataset="progress"]').getByRole('link', { name: 'Tải CSV' }).getAttribute('href'), '/open-data/progress.csv');
    t.is(await page.locator('[data-dataset="iiif-collection"]').getByRole('link', { name: 'Tải JSON-LD' }).getAttribute('href'), '/iiif/collection/top');
    t.is(await page.getByRole('link', { name: '/open-data/catalog.jsonld' }).getAttribute('href'), '/open-data/catalog.jsonld');
    t.is(await page.locator('a[rel="license"]').first().innerText(), 'CC0 1.0');
    t.regex(await page.locator('.open-data__licence').innerText(), /mức truy cập của từng tài liệu/);

    // Every link of the page answers (fetched from the page, so with its cookies and origin).
    const hrefs = await page.locator('.open-data__downloads a, .open-data__dcat a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    for (const href of hrefs) {
      const status = await page.evaluate(async (url) => (await fetch(url)).status, href);
      t.is(status, 200, href);
    }

    await page.locator('.language-switch').click();
    await page.waitForURL(`${baseUrl}/open-data?lang=en`);
    await page.getByRole('heading', { level: 1, name: 'Open data' }).waitFor();
    t.is(await page.locator('html').getAttribute('lang'), 'en');
    t.deepEqual(await datasets.locator('h2').allInnerTexts(), ['Catalogue of documents', 'Digitisation progress statistics', 'IIIF top collection']);
    t.is(await page.locator('[data-dataset="catalogue"]').getByRole('link', { name: 'Download CSV' }).getAttribute('href'), '/open-data/catalogue.csv');
    t.true(await page.locator('.site-footer').getByRole('link', { name: 'Open data' }).isVisible());
    t.regex(await page.locator('.open-data__licence').innerText(), /access level/);

    t.deepEqual(consoleErrors, []);
    t.deepEqual(failedResponses, []);
    t.deepEqual(offSite, [], 'nothing is requested from another host');
  } finally {
    await browser.close();
    await close();
  }
});

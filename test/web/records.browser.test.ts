import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { createRepositories, IN_MEMORY, migrateToLatest, PgliteDatabase } from '../../repository/index.ts';
import { recordRoutes, webRoutes } from '../../repository/web/index.ts';
import { launchChromium, watchPage } from '../helpers/browser.ts';
import { actingAs, ADMIN_VIEWER } from '../helpers/acting-as.ts';
import { serveRouters } from '../helpers/serve-routers.ts';

const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'tablet', width: 768, height: 1024 },
] as const;

/** Screenshots at both sizes; at the tablet's 768 px the page must not scroll sideways. */
async function screenshotsWithoutOverflow(t: ExecutionContext, page: Page, name: string): Promise<void> {
  await mkdir('test-results', { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: path.join('test-results', `web-${name}-${size.name}.png`), fullPage: true });
    const [scrollWidth, innerWidth] = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, window.innerWidth]');
    t.true(scrollWidth <= innerWidth, `${name} at ${size.width} px: page ${scrollWidth} px wide in a ${innerWidth} px window`);
  }
  await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
}

test('an administrator adds a collection through the form, corrects a refused count and sees the target on /quan-tri', async (t) => {
  const database = await PgliteDatabase.open(IN_MEMORY);
  await migrateToLatest(database);
  const { libraries, collections } = createRepositories(database.db);
  const library = await libraries.create({ slug: 'dak-nong', name: 'Thư viện tỉnh Đắk Nông', province: 'Đắk Nông', kind: 'provincial' });
  const server = await serveRouters(actingAs(ADMIN_VIEWER), recordRoutes({ database }), webRoutes({ database, publicBaseUrl: 'http://x.invalid' }));
  const { baseUrl } = server;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { consoleErrors, offSite } = watchPage(page, baseUrl);

    await page.goto(`${baseUrl}/quan-tri`);
    await page.getByRole('link', { name: 'Thêm bộ sưu tập vào Thư viện tỉnh Đắk Nông' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thêm bộ sưu tập' }).waitFor();
    t.is(await page.getByLabel('Thư viện', { exact: true }).inputValue(), library.id, 'the library is preselected');
    await screenshotsWithoutOverflow(t, page, 'records-collection-new');

    await page.getByLabel('Tên bộ sưu tập').fill('Địa chí Đắk Nông');
    await page.getByLabel('Mã định danh (slug)').fill('dia-chi');
    await page.getByLabel('Loại (Địa chí / Tài liệu quý hiếm / …)').selectOption('dia-chi');
    await page.getByLabel(/^Số tài liệu trong kho/).fill('1.200');
    await page.getByLabel(/^Chỉ tiêu số hóa/).fill('30');
    await page.getByLabel(/^Hạn hoàn thành/).fill('2030-12-31');
    await page.getByLabel('Mức truy cập mặc định').selectOption('restricted');
    await page.getByLabel('Cấu hình OCR').selectOption('vie+han');
    await page.getByRole('button', { name: 'Lưu' }).click();

    // "1.200" is a thousands separator to a Vietnamese reader: refused, not guessed.
    const summary = page.getByRole('alert');
    await summary.waitFor();
    t.regex(await summary.innerText(), /Số tài liệu trong kho \(holdings\): Hãy nhập một số nguyên/);
    t.true(await page.evaluate<boolean>("document.activeElement?.classList.contains('error-summary') === true"), 'the summary has the focus (autofocus)');
    t.is(await page.getByLabel('Tên bộ sưu tập').inputValue(), 'Địa chí Đắk Nông', 'what was typed is kept');
    t.is(await page.getByLabel(/^Hạn hoàn thành/).inputValue(), '2030-12-31');
    await screenshotsWithoutOverflow(t, page, 'records-collection-refused');

    await summary.getByRole('link').click();
    await page.getByLabel(/^Số tài liệu trong kho/).fill('1200');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(`${baseUrl}/quan-tri`);
    const collection = await collections.getBySlug(library.id, 'dia-chi');
    t.like(collection, { holdingsCount: 1200, targetPercent: 30, targetDate: '2030-12-31', defaultAccess: 'restricted', ocrProfile: 'vie+han' });
    const row = page.locator(`tr[data-level="collection"][data-id="${collection.id}"]`);
    t.is(await row.getAttribute('data-target-percent'), '30');
    t.is(await row.getAttribute('data-holdings'), '1200');
    t.regex(await row.locator('td').nth(4).innerText(), /^30%\s+hạn 31\/12\/2030$/);

    await row.getByRole('link', { name: 'Sửa bộ sưu tập Địa chí Đắk Nông' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sửa bộ sưu tập: Địa chí Đắk Nông' }).waitFor();
    await screenshotsWithoutOverflow(t, page, 'records-collection-edit');

    await page.goto(`${baseUrl}/quan-tri/thu-vien/moi?lang=en`);
    await page.getByRole('heading', { level: 1, name: 'Add a library' }).waitFor();
    await screenshotsWithoutOverflow(t, page, 'records-library-new');
    await page.goto(`${baseUrl}/quan-tri/thu-vien/moi?lang=vi`);

    // Chromium logs every 4xx document it loads; the refused form's 400 is the one expected.
    t.deepEqual(consoleErrors.filter((text) => text !== 'Failed to load resource: the server responded with a status of 400 (Bad Request)'), []);
    t.is(consoleErrors.length, 1);
    t.deepEqual(offSite, [], 'nothing is requested from another host');
  } finally {
    await browser.close();
    await server.close();
    await database.close();
  }
});

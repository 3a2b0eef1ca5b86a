import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import type { Page } from 'playwright-core';
import { createRepositories, IN_MEMORY, migrateToLatest, PgliteDatabase } from '../../repository/index.ts';
import { holdingsImportRoutes, statsRoutes } from '../../repository/stats/index.ts';
import { webRoutes } from '../../repository/web/index.ts';
import { launchChromium, watchPage } from '../helpers/browser.ts';
import { actingAs, ADMIN_VIEWER } from '../helpers/acting-as.ts';
import { serveRouters } from '../helpers/serve-routers.ts';

const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'tablet', width: 768, height: 1024 },
] as const;

async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir('test-results', { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: path.join('test-results', `web-${name}-${size.name}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
}

test('an administrator imports a holdings CSV on /quan-tri and sees the percentage change', async (t) => {
  const database = await PgliteDatabase.open(IN_MEMORY);
  await migrateToLatest(database);
  const { libraries, collections, items } = createRepositories(database.db);
  const library = await libraries.create({ slug: 'dak-nong', name: 'Thư viện tỉnh Đắk Nông', province: 'Đắk Nông', kind: 'provincial' });
  const collection = await collections.create({
    libraryId: library.id, slug: 'dia-chi', title: 'Địa chí Đắk Nông', category: 'dia-chi', holdingsCount: 2, targetPercent: 60, targetDate: '2030-12-31',
  });
  await collections.create({ libraryId: library.id, slug: 'quy-hiem', title: 'Sách quý hiếm', category: 'rare', holdingsCount: 10 });
  await items.create({ collectionId: collection.id, identifier: 'ĐC-1', title: 'Lịch sử Đắk Nông', status: 'digitised' });
  await items.create({ collectionId: collection.id, identifier: 'ĐC-2', title: 'Địa chí Gia Nghĩa', status: 'registered' });
  const server = await serveRouters(
    actingAs(ADMIN_VIEWER),
    statsRoutes({ database, clock: () => new Date() }),
    holdingsImportRoutes({ database }),
    webRoutes({ database, publicBaseUrl: 'http://x.invalid' }),
  );
  const { baseUrl } = server;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'holdings-'));
  const csv = path.join(dir, 'danh-muc.csv');
  await writeFile(csv, '\uFEFFidentifier,title,author,year\r\nĐC-2,Địa chí Gia Nghĩa,,\r\nĐC-3,Văn hóa M’Nông,Nguyễn Văn A,1998\r\nĐC-4,Sử thi Ot N’drong,,2005\r\nĐC-5,,,\r\n');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { consoleErrors, offSite } = watchPage(page, baseUrl);

    await page.goto(`${baseUrl}/quan-tri`);
    await page.getByRole('heading', { level: 1, name: 'Tiến độ số hóa' }).waitFor();
    const row = page.locator(`tr[data-level="collection"][data-id="${collection.id}"]`);
    t.is(await row.getAttribute('data-percent'), '50');
    t.is(await row.locator('.percent').innerText(), '50%');
    t.true(await page.getByRole('img', { name: /Biểu đồ tích lũy 12 tháng: Địa chí Đắk Nông/ }).isVisible());
    await screenshots(page, 'admin');

    await page.getByLabel(/cho “Địa chí Đắk Nông”/).setInputFiles(csv);
    const imported = page.waitForResponse((response) => response.url() === `${baseUrl}/api/collections/${collection.id}/holdings`);
    await page.locator(`form[data-collection-id="${collection.id}"]`).getByRole('button', { name: 'Nhập', exact: true }).click();
    const response = await imported;
    t.is(response.status(), 200);
    t.is(response.request().headers()['content-type'], 'text/csv; charset=utf-8');
    const result = page.locator(`form[data-collection-id="${collection.id}"] .holdings-import__result[data-imported]`);
    await result.waitFor();
    const text = await result.innerText();
    t.regex(text, /^Đã nhập 2, cập nhật 0, bỏ qua 1, lỗi 1\. Vốn tài liệu: 4\./);
    t.regex(text, /Bỏ qua dòng 2 \(ĐC-2\): tài liệu đã được đăng ký trong bộ sưu tập này/);
    t.regex(text, /Lỗi dòng 5: thiếu nhan đề/);
    t.notRegex(text, /already|empty/, 'the reasons are in Vietnamese, not the API’s English');
    // 1 digitised of 4 held now.
    t.is(await row.getAttribute('data-percent'), '25');
    t.is(await row.locator('.percent').innerText(), '25%');
    t.is(await row.getAttribute('data-holdings'), '4');
    await screenshots(page, 'admin-imported');

    await page.goto(`${baseUrl}/quan-tri/bao-cao?lang=en`);
    await page.getByRole('heading', { level: 1, name: 'Digitisation progress report' }).waitFor();
    t.is(await page.locator(`tr[data-id="${collection.id}"] .percent`).innerText(), '25%');
    await page.emulateMedia({ media: 'print' });
    t.false(await page.locator('.site-header').isVisible(), 'the print stylesheet hides the header');
    await screenshots(page, 'admin-report-print');

    t.deepEqual(consoleErrors, []);
    t.deepEqual(offSite, [], 'nothing is requested from another host');
  } finally {
    await browser.close();
    await server.close();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
});

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { launchChromium, signIn, watchPage } from '../helpers/browser.ts';
import { postJson } from '../helpers/post-json.ts';
import { startAppOnFreePort } from '../helpers/running-app.ts';
import { rotateContent } from '../pipeline/deskew-helpers/text-page.ts';
import { generateVietnamesePage } from '../pipeline/ocr/test-pages.ts';

async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir('test-results', { recursive: true });
  for (const size of [{ name: 'desktop', width: 1280, height: 800 }, { name: 'tablet', width: 768, height: 1024 }]) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: path.join('test-results', `web-operator-${name}-${size.name}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('an operator registers a document, uploads three pages, processes them and sees the document digitised', async (t) => {
  const { baseUrl, close } = await startAppOnFreePort('web-operator');
  const browser = await launchChromium();
  try {
    const library = await postJson(`${baseUrl}/api/libraries`, { slug: 'dak-nong', name: 'Thư viện tỉnh Đắk Nông', province: 'Đắk Nông', kind: 'provincial' });
    const collection = await postJson(`${baseUrl}/api/collections`, { libraryId: library.id, slug: 'dia-chi', title: 'Địa chí', category: 'dia-chi' });
    const source = (await generateVietnamesePage()).png;
    // Three different images (the server keeps one page for identical files).
    const pngs = await Promise.all([0.5, 1, 1.5].map(async (angle) => sharp(await rotateContent(source, angle)).withMetadata({ density: 300 }).png().toBuffer()));

    // The test's own waits are evaluated strings, which the product's CSP forbids; test/web/csp.browser checks the policy.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const { consoleErrors, offSite } = watchPage(page, baseUrl, { withSource: true });

    await signIn(page, baseUrl);
    await page.goto(`${baseUrl}/bien-muc/tai-lieu-moi`);
    await page.getByRole('heading', { level: 1, name: 'Đăng ký tài liệu mới' }).waitFor();
    await page.getByLabel('Bộ sưu tập').first().selectOption(collection.id);
    await page.getByLabel('Ký hiệu xếp giá / mã tài liệu').fill('ĐC-UP-1');
    await page.getByLabel('Nhan đề').fill('Địa chí huyện Krông Nô');
    await page.getByLabel('Tác giả').fill('Nguyễn Văn A');
    await page.getByLabel('Năm / ngày xuất bản').fill('1938');
    await screenshots(page, 'register');
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await page.waitForURL(/\/bien-muc\/tai-lieu\/[^/?]+$/, { timeout: 30_000 });
    const itemId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const registered = (await (await fetch(`${baseUrl}/api/items/${itemId}`)).json()) as { identifier: string; dublinCore: { creator?: { value: string }[] } };
    t.is(registered.identifier, 'ĐC-UP-1');
    t.is(registered.dublinCore.creator?.[0]?.value, 'Nguyễn Văn A');
    await page.locator('[data-live][data-state="live"]').waitFor({ timeout: 30_000 });

    // The network drops the first byte-carrying request of the uploads: the page must carry on by itself.
    let dropped = 0;
    const patches: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(request.url());
    });
    await page.route('**/api/uploads/*', async (route) => {
      if (route.request().method() === 'PATCH' && dropped === 0) {
        dropped += 1;
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    await page.getByLabel('Chọn tệp ảnh').setInputFiles(
      ['0003.png', '0001.png', '0002.png'].map((name, index) => ({ name, mimeType: 'image/png', buffer: pngs[index] as Buffer })),
    );
    await page.waitForFunction("document.querySelectorAll('.operator-file[data-state=\"uploaded\"]').length === 3", undefined, { timeout: 60_000 });
    t.deepEqual(await page.locator('.operator-file__name').allInnerTexts(), ['0001.png', '0002.png', '0003.png']);
    t.true(await page.evaluate<boolean>("(() => { const bar = document.querySelector('.operator-overall__bar'); return bar.value === bar.max && bar.max > 1; })()"));
    await page.waitForFunction("document.querySelectorAll('.operator-page').length === 3", undefined, { timeout: 30_000 });
    await screenshots(page, 'uploaded');
    t.is(dropped, 1);
    t.true(patches.length >= 4, `${patches.length} PATCH requests: the dropped one was sent again`);

    await page.getByRole('button', { name: 'Xử lý và đánh dấu hoàn tất' }).click();
    await page.waitForFunction(
      "document.querySelectorAll('.operator-page[data-status=\"done\"]').length === 3 && document.querySelector('.operator-item__status').dataset.status === 'digitised'",
      undefined,
      { timeout: 240_000 },
    );
    t.is(await page.locator('.operator-item__status').innerText(), 'đã số hóa');
    t.deepEqual(await page.evaluate<string[]>("[...document.querySelectorAll('.operator-page')].map((row) => row.dataset.seq)"), ['1', '2', '3']);
    await page.waitForFunction("[...document.querySelectorAll('.operator-page__thumb')].every((image) => image.complete && image.naturalWidth > 0)", undefined, { timeout: 30_000 });
    t.true(await page.getByRole('link', { name: 'Xem tài liệu đã số hóa' }).isVisible());
    await screenshots(page, 'digitised');

    // Page 1 moves down: the document is packaged again in the new order.
    const before = await page.evaluate<string[]>("[...document.querySelectorAll('.operator-page')].map((row) => row.dataset.pageId)");
    await page.getByRole('button', { name: 'Chuyển trang 1 xuống sau' }).click();
    const expected = [before[1], before[0], before[2]];
    await page.waitForFunction(
      `JSON.stringify([...document.querySelectorAll('.operator-page')].map((row) => row.dataset.pageId)) === ${JSON.stringify(JSON.stringify(expected))}`,
      undefined,
      { timeout: 30_000 },
    );
    const reordered = (await (await fetch(`${baseUrl}/api/items/${itemId}`)).json()) as { pages: { id: string; seq: number }[] };
    t.deepEqual(reordered.pages.map((entry) => entry.id), expected);
    t.true(await page.getByRole('button', { name: 'Chuyển trang 1 lên trước' }).isDisabled(), 'the first page cannot move up');
    await page.waitForFunction("document.querySelector('.operator-item__status').dataset.status === 'digitised'", undefined, { timeout: 120_000 });

    t.deepEqual(offSite, [], 'nothing is requested from another host');
    // Chromium reports the request dropped on purpose above; nothing else may be logged.
    t.deepEqual(consoleErrors.filter((message) => !message.includes('ERR_CONNECTION_RESET')), []);
  } finally {
    await browser.close();
    await close();
  }
});

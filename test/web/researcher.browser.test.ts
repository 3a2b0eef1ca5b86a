import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import type { Page } from 'playwright-core';
import { launchChromium, watchPage } from '../helpers/browser.ts';
import { startAppOnFreePort } from '../helpers/running-app.ts';
import { digitisedItem } from '../helpers/digitised-item.ts';

const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'tablet', width: 768, height: 1024 },
] as const;

async function screenshots(page: Page, name: string, settleMs = 0): Promise<void> {
  await mkdir('test-results', { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    // Not an assertion: lets the embedded viewer redraw at the new size before the picture is taken.
    if (settleMs > 0) await page.waitForTimeout(settleMs);
    await page.screenshot({ path: path.join('test-results', `web-${name}-${size.name}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
}

test('a reader goes from home to a collection to a document: viewer, search inside, PDF, language switch', async (t) => {
  const { baseUrl, close } = await startAppOnFreePort('web');
  const browser = await launchChromium();
  try {
    const { itemId } = await digitisedItem(baseUrl, 'web-test');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { consoleErrors, failedResponses, offSite } = watchPage(page, baseUrl, { withSource: true });

    // Home
    await page.goto(`${baseUrl}/`);
    t.is(await page.getAttribute('html', 'lang'), 'vi');
    await page.getByRole('heading', { level: 1, name: 'Các thư viện và bộ sưu tập' }).waitFor();
    t.true(await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Tìm kiếm' }).isVisible());
    await screenshots(page, 'home');

    // Collection
    await page.getByRole('link', { name: 'Địa chí', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Địa chí' }).waitFor();
    const thumbnail = page.locator('.document-card img').first();
    await thumbnail.waitFor();
    await page.waitForFunction("(() => { const image = document.querySelector('.document-card img'); return image && image.complete && image.naturalWidth > 0; })()");
    await screenshots(page, 'collection');

    // Document: the viewer iframe loads the manifest
    const manifestLoaded = page.waitForResponse((response) => response.url() === `${baseUrl}/iiif/manifest/${itemId}`);
    await page.getByRole('link', { name: /Thư viện tỉnh Đắk Nông/ }).first().click();
    await page.waitForURL(`${baseUrl}/tai-lieu/${itemId}`);
    t.is((await manifestLoaded).status(), 200);
    await page.waitForResponse((response) => /\/iiif\/3\/[^/]+\/[^/]+\/[^/]+\/0\/default\.jpg$/.test(response.url()) && response.status() === 200, {
      timeout: 60_000,
    });
    t.is(await page.locator('iframe.viewer__frame').getAttribute('src'), `/viewer/${itemId}`);

    // Search inside finds "thu vien" (no diacritics)
    await page.getByLabel('Từ cần tìm (có hoặc không dấu)').fill('thu vien');
    const searched = page.waitForResponse((response) => response.url().startsWith(`${baseUrl}/iiif/search/${itemId}?q=`));
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    t.is((await searched).status(), 200);
    const firstHit = page.locator('.search-inside__hits li').first();
    await firstHit.waitFor();
    t.regex(await firstHit.innerText(), /^Trang 1\b/);
    t.regex((await firstHit.locator('mark').innerText()).normalize('NFC'), /thư viện/i);
    t.regex(await page.locator('.search-inside__status').innerText(), /^Tìm thấy \d+ kết quả\.$/);

    // The PDF link answers 200 with a PDF
    const pdfHref = await page.getByRole('link', { name: 'Tải bản PDF' }).getAttribute('href');
    t.is(pdfHref, `/api/items/${itemId}/pdf`);
    const pdf = await page.request.get(`${baseUrl}${pdfHref}`);
    t.is(pdf.status(), 200);
    t.is((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
    t.true(await page.getByRole('link', { name: /Manifest IIIF của tài liệu/ }).isVisible());
    t.is(await page.locator('#manifest-url').inputValue(), `${baseUrl}/iiif/manifest/${itemId}`);
    await screenshots(page, 'document', 1500);

    // English and back
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(`${baseUrl}/tai-lieu/${itemId}?lang=en`);
    t.is(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('heading', { name: 'Search inside this document' }).waitFor();
    await screenshots(page, 'document-en', 1500);
    await page.goto(`${baseUrl}/`);
    t.is(await page.getAttribute('html', 'lang'), 'en', 'the cookie remembers English');
    await page.getByRole('link', { name: 'Tiếng Việt' }).click();
    t.is(await page.getAttribute('html', 'lang'), 'vi');
    await page.getByRole('heading', { level: 1, name: 'Các thư viện và bộ sưu tập' }).waitFor();

    // 404 page
    const missing = await page.goto(`${baseUrl}/tai-lieu/khong-co`);
    t.is(missing?.status(), 404);
    await page.getByRole('heading', { level: 1, name: 'Không tìm thấy' }).waitFor();
    await screenshots(page, 'not-found');

    const missingUrl = `${baseUrl}/tai-lieu/khong-co`;
    t.deepEqual(offSite, [], 'nothing is requested from another host');
    t.deepEqual(failedResponses.filter((line) => line !== `404 ${missingUrl}`), []);
    // Chromium reports the deliberate 404 page load on the console; nothing else may be there.
    t.deepEqual(consoleErrors.filter((line) => !(line.startsWith('Failed to load resource') && line.endsWith(` @ ${missingUrl}`))), []);
  } finally {
    await browser.close();
    await close();
  }
});

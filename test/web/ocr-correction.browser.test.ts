import test from 'ava';
import sharp from 'sharp';
import { buffer } from 'node:stream/consumers';
import { createRepositories } from '../../repository/index.ts';
import { derivativeKey } from '../../storage/index.ts';
import { launchChromium, signIn, watchPage } from '../helpers/browser.ts';
import { digitisedItem } from '../helpers/digitised-item.ts';
import { startAppOnFreePort } from '../helpers/running-app.ts';

const PUA = '\u{F0000}';

/** pdf.js text of every page, joined. */
async function pdfText(pdf: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await pdfjs.getDocument({ data: pdf, useSystemFonts: false, verbosity: 0 }).promise;
  let text = '';
  for (let number = 1; number <= document.numPages; number += 1) {
    for (const item of (await (await document.getPage(number)).getTextContent()).items) if ('str' in item) text += item.str;
  }
  await document.destroy();
  return text.normalize('NFC');
}

test('an operator corrects a page with the keyboard alone: alternative by number, Nôm by its reading, Ctrl+S; history, IIIF search and PDF follow', async (t) => {
  const app = await startAppOnFreePort('ocr-correction-browser');
  t.teardown(() => app.close());
  const { itemId, pageIds } = await digitisedItem(app.baseUrl, 'dak-nong');
  const pageId = pageIds[0]!;
  // What the Nôm recogniser would leave: characters with their other readings.
  const { store, database } = app.application.services;
  const print = await buffer(await store.get(derivativeKey(itemId, pageId, 'print.jpg')));
  const { width, height } = await sharp(print).metadata();
  const word = (text: string, x: number, y: number, confidence: number, alternatives?: string[]) => ({
    text,
    box: { x, y, width: 60, height: 60 },
    confidence,
    ...(alternatives ? { alternatives: alternatives.map((alternative, index) => ({ text: alternative, confidence: confidence - 5 * (index + 1) })) } : {}),
  });
  const ocr = {
    text: '𡨸 viện\nThư Đắk',
    lines: [
      { text: '𡨸 viện', box: { x: 100, y: 100, width: 160, height: 60 }, words: [word('𡨸', 100, 100, 20, ['字', PUA]), word('viện', 200, 100, 35)] },
      { text: 'Thư Đắk', box: { x: 100, y: 200, width: 160, height: 60 }, words: [word('Thư', 100, 200, 95), word('Đắk', 200, 200, 90)] },
    ],
    meanConfidence: 60,
    languages: 'chi_tra',
    direction: 'horizontal',
    imageWidth: width,
    imageHeight: height,
  };
  const key = derivativeKey(itemId, pageId, 'ocr.json');
  const info = await store.put(key, Buffer.from(JSON.stringify(ocr)), { contentType: 'application/json' });
  await createRepositories(database.db).storedObjects.record({ key, sha256: info.sha256!, size: info.size, contentType: 'application/json', itemId, pageId, kind: 'ocr' });
  const pdfBefore = (await fetch(`${app.baseUrl}/api/items/${itemId}/pdf`)).headers.get('etag');

  const browser = await launchChromium();
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, app.baseUrl);
  const { consoleErrors, offSite, failedResponses } = watchPage(page, app.baseUrl);

  await page.goto(`${app.baseUrl}/bien-muc/tai-lieu/${itemId}`);
  const link = page.getByRole('link', { name: 'Hiệu đính OCR trang 1' });
  await link.focus();
  await Promise.all([page.waitForURL(/\/hieu-dinh/), page.keyboard.press('Enter')]);
  await page.getByRole('heading', { level: 1, name: /Hiệu đính OCR: .*, trang 1/ }).waitFor();

  const entry = page.getByLabel('Chữ đúng, hoặc âm Quốc ngữ để tìm chữ Nôm');
  const current = page.locator('[data-current]');
  t.true(await entry.evaluate((node) => node === node.ownerDocument.activeElement), 'the entry has the focus');
  t.regex(await current.innerText(), /^Ô 1: 𡨸 \(độ tin cậy 20\)/, 'the lowest confidence first');
  await page.keyboard.press('Tab');
  t.regex(await current.innerText(), /^Ô 2: viện/);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  t.regex(await current.innerText(), /^Ô 1: 𡨸/);
  t.deepEqual(await page.locator('[data-alternatives] li').allInnerTexts(), ['字', PUA]);

  await page.keyboard.press('2');
  t.regex(await current.innerText(), /^Ô 2: viện/, 'a choice moves on to the next box');
  t.regex(await page.locator('[data-box-list] li').first().innerText(), new RegExp(`Ô 1: ${PUA}`, 'u'));
  await page.keyboard.type('cua');
  await page.locator('[data-candidates] li', { hasText: '𧵑' }).first().waitFor();
  t.regex(await page.locator('[data-candidates] li').first().innerText(), /^𧵑 của \(\d+\)$/u);
  await page.keyboard.press('1');
  t.regex(await current.innerText(), /^Ô 3: Đắk/);
  t.is(await page.locator('[data-pending]').innerText(), '2 ô chưa lưu');

  await page.keyboard.press('Control+s');
  await page.getByRole('status').filter({ hasText: 'Đã lưu 2 ô' }).waitFor();
  await page.locator('[data-history] tbody tr').nth(1).waitFor();
  const rows = await page.locator('[data-history] tbody tr').allInnerTexts();
  t.is(rows.length, 2);
  t.true(rows.some((row) => row.includes('admin') && row.includes('𡨸') && row.includes(PUA)));
  t.true(rows.some((row) => row.includes('viện') && row.includes('𧵑')));
  t.is(await page.locator('[data-pending]').innerText(), '');

  await page.reload();
  t.is(await page.locator('[data-history] tbody tr').count(), 2, 'the history is kept');
  t.regex(await page.locator('[data-current]').innerText(), /^Ô 1: viện|^Ô 1: Đắk/u, 'corrected boxes go to the end of the list');

  const search = (await (await fetch(`${app.baseUrl}/iiif/search/${itemId}?q=${encodeURIComponent('𧵑')}`)).json()) as { items: { target: unknown }[] };
  t.is(search.items.length, 1);
  t.regex(JSON.stringify(search.items[0]!.target), /xywh=200,100,60,60/);

  const deadline = Date.now() + 120_000;
  let pdf = await fetch(`${app.baseUrl}/api/items/${itemId}/pdf`);
  while (pdf.headers.get('etag') === pdfBefore && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    pdf = await fetch(`${app.baseUrl}/api/items/${itemId}/pdf`);
  }
  const text = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
  t.true(text.includes('𧵑') && text.includes(PUA), 'the PDF text layer was rebuilt with the corrections');

  t.deepEqual(consoleErrors, []);
  t.deepEqual(offSite, []);
  t.deepEqual(failedResponses, []);
});

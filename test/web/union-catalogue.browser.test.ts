import test from 'ava';
import { launchChromium, signIn, watchPage } from '../helpers/browser.ts';
import { postJson } from '../helpers/post-json.ts';
import { startAppOnFreePort, type RunningApp } from '../helpers/running-app.ts';

/** One app for both tests, run in order: the harvest of its own /oai finds the paging test's documents too. */
let app: RunningApp;
let collectionId: string;

test.before(async () => {
  app = await startAppOnFreePort('web-union', { HARVEST_INTERVAL_MINUTES: '0' });
  const library = await postJson<{ id: string }>(`${app.baseUrl}/api/libraries`, { slug: 'nam-dinh', name: 'Thư viện tỉnh Nam Định', province: 'Nam Định', kind: 'provincial' });
  collectionId = (await postJson<{ id: string }>(`${app.baseUrl}/api/collections`, { libraryId: library.id, slug: 'sac-phong', title: 'Sắc phong', category: 'rare' })).id;
});
test.after.always(async () => {
  await app?.close();
});

test.serial('the union catalogue pages through 60 works, 50 a page, keeping the query in the links', async (t) => {
  t.timeout(120_000);
  for (let n = 1; n <= 60; n += 1) {
    await postJson(`${app.baseUrl}/api/items`, { collectionId, identifier: `SP-${n}`, title: `Sắc phong làng Hành Thiện số ${n}` });
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { consoleErrors, offSite } = watchPage(page, app.baseUrl);
    await page.goto(`${app.baseUrl}/muc-luc-lien-hop`);
    await page.getByLabel('Tìm trong mục lục liên hợp (có hoặc không dấu)').fill('sac phong hanh thien');
    await Promise.all([page.waitForURL(/\/muc-luc-lien-hop\?q=sac\+phong\+hanh\+thien$/u), page.getByRole('button', { name: 'Tìm' }).click()]);
    const works = page.locator('.union__work h2');
    t.is(await works.count(), 50);
    t.is(await page.locator('.union__count').innerText(), 'Tác phẩm 1–50 trong số 60');
    t.is(await page.locator('.pager span').innerText(), 'Trang 1/2');
    t.is(await page.getByRole('link', { name: '‹ Trang trước' }).count(), 0);
    const first = await works.allInnerTexts();

    await Promise.all([page.waitForURL(/trang=2/u), page.getByRole('link', { name: 'Trang sau ›' }).click()]);
    t.is(new URL(page.url()).searchParams.get('q'), 'sac phong hanh thien', 'the query is kept');
    t.is(await works.count(), 10);
    t.is(await page.locator('.union__count').innerText(), 'Tác phẩm 51–60 trong số 60');
    t.is(await page.locator('.union__works').getAttribute('start'), '51');
    t.is(await page.getByRole('link', { name: 'Trang sau ›' }).count(), 0);
    const second = await works.allInnerTexts();
    t.is(new Set([...first, ...second]).size, 60, 'every work once over the two pages');
    t.true([...first, ...second].includes('Sắc phong làng Hành Thiện số 60'));

    await Promise.all([page.waitForURL((url) => !url.searchParams.has('trang')), page.getByRole('link', { name: '‹ Trang trước' }).click()]);
    t.deepEqual(await works.allInnerTexts(), first);
    t.is(await page.getByRole('link', { name: 'Quản lý nguồn thu thập' }).count(), 0, 'no link to the sources for readers');
    t.deepEqual(consoleErrors, []);
    t.deepEqual(offSite, []);
  } finally {
    await browser.close();
  }
});

test.serial('an administrator adds a source through the form, corrects a refused URL, harvests it now and sees the count', async (t) => {
  t.timeout(120_000);
  await postJson(`${app.baseUrl}/api/items`, { collectionId, identifier: 'TK-1', title: 'Truyện Kiều', dublinCore: { creator: [{ value: 'Nguyễn Du' }], date: [{ value: '1820' }] } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { consoleErrors, offSite } = watchPage(page, app.baseUrl);
    await signIn(page, app.baseUrl);
    await page.goto(`${app.baseUrl}/muc-luc-lien-hop?q=truyen+kieu`);
    await Promise.all([page.waitForURL(/\/quan-tri\/nguon-thu-thap/u), page.getByRole('link', { name: 'Quản lý nguồn thu thập' }).click()]);
    await page.getByRole('heading', { level: 1, name: 'Nguồn thu thập OAI-PMH' }).waitFor();
    t.true(await page.getByText('Chưa có nguồn thu thập nào.').isVisible());
    // The dashboard links here too.
    await page.goto(`${app.baseUrl}/quan-tri`);
    await Promise.all([page.waitForURL(/\/quan-tri\/nguon-thu-thap/u), page.getByRole('link', { name: 'Nguồn thu thập (mục lục liên hợp)' }).click()]);

    await Promise.all([page.waitForURL(/\/moi/u), page.getByRole('link', { name: 'Thêm nguồn' }).click()]);
    await page.getByLabel('Tên thư viện nguồn').fill('Thư viện tỉnh Nam Định (OAI)');
    await page.getByLabel('Địa chỉ OAI-PMH').fill(`${app.baseUrl}/oai?verb=Identify`);
    const refused = page.waitForResponse((response) => response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Lưu' }).click();
    t.is((await refused).status(), 400);
    await page.locator('#harvest-baseUrl-error').waitFor();
    t.regex(await page.locator('#harvest-baseUrl-error').innerText(), /không có phần \?verb=…/u);
    t.is(await page.getByLabel('Tên thư viện nguồn').inputValue(), 'Thư viện tỉnh Nam Định (OAI)', 'the form comes back as typed');

    await page.getByLabel('Địa chỉ OAI-PMH').fill(`${app.baseUrl}/oai`);
    await Promise.all([page.waitForURL(/\/quan-tri\/nguon-thu-thap\?lang=vi$/u), page.getByRole('button', { name: 'Lưu' }).click()]);
    const row = page.locator('tr[data-source-id]');
    t.is(await row.count(), 1);
    t.is(await row.locator('th').innerText(), 'Thư viện tỉnh Nam Định (OAI)');
    t.is(await row.locator('td[data-records]').innerText(), '0');

    await page.getByRole('button', { name: 'Thu thập ngay từ Thư viện tỉnh Nam Định (OAI)' }).click();
    const outcome = page.locator('.harvest-outcome[data-outcome="harvested"]');
    await outcome.waitFor();
    t.is(await outcome.getAttribute('data-harvested'), '61');
    t.regex(await outcome.innerText(), /^Đã thu thập toàn bộ Thư viện tỉnh Nam Định \(OAI\): 61 bản ghi mới hoặc thay đổi, 0 bản ghi bị xóa, 1 trang\. Hiện có 61 bản ghi\.$/u);
    t.is(await row.locator('td[data-records]').innerText(), '61');
    t.not(await row.locator('time').count(), 0, 'the last success is shown');

    // The harvested copy joins the local record as one work with two holdings.
    await page.goto(`${app.baseUrl}/muc-luc-lien-hop?q=truyen+kieu`);
    t.is(await page.locator('.union__work').count(), 1);
    t.deepEqual(await page.locator('.union__holding strong').allInnerTexts(), ['Thư viện tỉnh Nam Định', 'Thư viện tỉnh Nam Định (OAI)']);

    await page.goto(`${app.baseUrl}/quan-tri/nguon-thu-thap`);
    await page.getByRole('button', { name: 'Tắt nguồn Thư viện tỉnh Nam Định (OAI)' }).click();
    await page.locator('tr[data-enabled="false"]').waitFor();
    t.is(await row.locator('td[data-label="Trạng thái"]').innerText(), 'Đã tắt');
    t.deepEqual(consoleErrors, ['Failed to load resource: the server responded with a status of 400 (Bad Request)'], 'the refused form only');
    t.deepEqual(offSite, []);
  } finally {
    await browser.close();
  }
});

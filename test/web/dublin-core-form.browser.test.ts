import test from 'ava';
import { postJson } from '../helpers/post-json.ts';
import { launchChromium, signIn, watchPage } from '../helpers/browser.ts';
import { startAppOnFreePort } from '../helpers/running-app.ts';

test('an operator corrects a Vietnamese title and adds an English one through the form; the document page shows both', async (t) => {
  const app = await startAppOnFreePort('dc-form-browser');
  t.teardown(() => app.close());
  const library = await postJson<{ id: string }>(`${app.baseUrl}/api/libraries`, { slug: 'hue', name: 'Thư viện Huế', province: 'Huế', kind: 'provincial' });
  const collection = await postJson<{ id: string }>(`${app.baseUrl}/api/collections`, { libraryId: library.id, slug: 'han-nom', title: 'Hán Nôm', category: 'rare' });
  const item = await postJson<{ id: string }>(`${app.baseUrl}/api/items`, { collectionId: collection.id, identifier: 'HN-1', title: 'Truyen Kieu' });
  const browser = await launchChromium();
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signIn(page, app.baseUrl);
  const { consoleErrors, offSite } = watchPage(page, app.baseUrl);

  await page.goto(`${app.baseUrl}/bien-muc/tai-lieu/${item.id}`);
  await page.getByRole('link', { name: 'Sửa mô tả (Dublin Core)' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mô tả: Truyen Kieu' }).waitFor();
  await page.getByLabel('Nhan đề 1', { exact: true }).fill('Truyện Kiều');
  t.is(await page.getByLabel('Ngôn ngữ (BCP 47)').first().inputValue(), '', 'the stored title had no language');
  await page.getByLabel('Ngôn ngữ (BCP 47)').first().fill('vi');
  await page.getByLabel('Nhan đề 2', { exact: true }).fill('The Tale of Kieu');
  await page.locator('#dc-title-1-lang').fill('en');
  await Promise.all([page.waitForURL(/\/bien-muc\/tai-lieu\/[^/]+\?luu=mo-ta/), page.getByRole('button', { name: 'Lưu' }).click()]);
  t.regex(await page.getByRole('status').first().innerText(), /Đã lưu mô tả Dublin Core/);

  await page.goto(`${app.baseUrl}/tai-lieu/${item.id}`);
  await page.getByRole('heading', { level: 1, name: 'Truyện Kiều' }).waitFor();
  t.is(await page.locator('dd[lang="vi"]', { hasText: 'Truyện Kiều' }).count(), 1);
  t.is(await page.locator('dd[lang="en"]', { hasText: 'The Tale of Kieu' }).count(), 1);
  t.deepEqual(consoleErrors, []);
  t.deepEqual(offSite, []);
});

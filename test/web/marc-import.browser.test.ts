import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import marcjs, { type MarcjsRecord } from 'marcjs';
import { launchChromium, signIn, watchPage } from '../helpers/browser.ts';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, startAppOnFreePort } from '../helpers/running-app.ts';

type Field = Parameters<MarcjsRecord['append']>[0];

/** A bibliographic record built with marcjs itself, leader/09 "a" (UTF-8), as test/e2e/marc-import.test.ts builds them. */
function marcRecord(...fields: Field[]): MarcjsRecord {
  const record = new marcjs.Record();
  record.leader = '00000nam a2200000 a 4500';
  record.append(...fields);
  return record;
}

/** Two good records (one all Vietnamese marks), one without a title (an error), one repeating the first call number (skipped). */
function catalogue(): string {
  const records = [
    marcRecord(
      ['001', 'KIEU-1'],
      ['090', '  ', 'a', '895.9221', 'b', 'NG-D'],
      ['100', '0 ', 'a', 'Nguyễn Du,', 'd', '1765-1820.'],
      ['245', '10', 'a', 'Truyện Kiều /', 'c', 'Nguyễn Du'],
      ['260', '  ', 'a', 'Hà Nội :', 'b', 'Văn học,', 'c', '2015.'],
    ),
    marcRecord(['001', 'DVSK-2'], ['245', '10', 'a', 'Đại Việt sử ký toàn thư']),
    marcRecord(['001', 'NO-TITLE-3'], ['090', '  ', 'a', '959.7'], ['500', '  ', 'a', 'Thiếu nhan đề']),
    marcRecord(['001', 'KIEU-1B'], ['090', '  ', 'a', '895.9221', 'b', 'NG-D'], ['245', '10', 'a', 'Truyện Kiều (bản khác)']),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n${records.map((record) => marcjs.Marc.format(record, 'marcxml')).join('')}</collection>\n`;
}

test('an administrator uploads a MARCXML file through the dashboard form and sees what was imported, skipped and refused', async (t) => {
  t.timeout(120_000);
  const app = await startAppOnFreePort('web-marc-import', { HARVEST_INTERVAL_MINUTES: '0' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marc-upload-'));
  const browser = await launchChromium();
  try {
    const library = await postJson<{ id: string }>(`${app.baseUrl}/api/libraries`, { slug: 'hue', name: 'Thư viện tỉnh Thừa Thiên Huế', province: 'Huế', kind: 'provincial' });
    const collection = await postJson<{ id: string }>(`${app.baseUrl}/api/collections`, {
      libraryId: library.id, slug: 'han-nom', title: 'Tư liệu Hán Nôm', category: 'rare', holdingsCount: 1,
    });
    const file = path.join(dir, 'bien-muc.xml');
    await writeFile(file, catalogue());

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { consoleErrors, offSite } = watchPage(page, app.baseUrl);
    await signIn(page, app.baseUrl);
    await page.goto(`${app.baseUrl}/quan-tri`);
    await page.getByLabel(/cho “Tư liệu Hán Nôm”/).setInputFiles(file);
    const form = page.locator(`form[data-collection-id="${collection.id}"]`);
    const answered = page.waitForResponse((response) => response.url() === `${app.baseUrl}/api/collections/${collection.id}/marc`);
    await form.getByRole('button', { name: 'Nhập', exact: true }).click();
    const response = await answered;
    t.is(response.status(), 200);
    t.is(response.request().method(), 'POST');

    // The form reloads the page, so the figures are the server's, then shows the report.
    const result = form.locator('.holdings-import__result[data-imported]');
    await result.waitFor();
    t.is(await result.getAttribute('data-imported'), '2');
    const text = await result.innerText();
    t.regex(text, /^Đã nhập 2, cập nhật 0, bỏ qua 1, lỗi 1\. Vốn tài liệu: 2\./u);
    t.regex(text, /Bỏ qua biểu ghi 4 \(895\.9221 NG-D\): ký hiệu đã có ở một biểu ghi trước trong tệp/u);
    t.regex(text, /Lỗi biểu ghi 3 \(001: NO-TITLE-3\): thiếu nhan đề \(trường 245 \$a\)/u);
    t.is(await page.locator(`tr[data-level="collection"][data-id="${collection.id}"]`).getAttribute('data-holdings'), '2');

    const items = (await (await fetch(`${app.baseUrl}/api/items?collectionId=${collection.id}`, { headers: ADMIN_HEADERS })).json()) as {
      data: { identifier: string; title: string; status: string }[];
    };
    t.deepEqual(
      items.data.map(({ identifier, title, status }) => ({ identifier, title, status })).sort((a, b) => a.identifier.localeCompare(b.identifier)),
      [
        { identifier: '895.9221 NG-D', title: 'Truyện Kiều', status: 'registered' },
        { identifier: 'MARC-DVSK-2', title: 'Đại Việt sử ký toàn thư', status: 'registered' },
      ],
    );
    t.is(items.data.find((item) => item.identifier === 'MARC-DVSK-2')?.title, 'Đại Việt sử ký toàn thư'.normalize('NFC'));
    t.deepEqual(consoleErrors, []);
    t.deepEqual(offSite, []);
  } finally {
    await browser.close();
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
});

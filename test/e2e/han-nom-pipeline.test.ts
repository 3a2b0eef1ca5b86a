import test from 'ava';
import sharp from 'sharp';

import { pdfText } from '../helpers/pdf-text.ts';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, startAppOnFreePort, type RunningApp } from '../helpers/running-app.ts';
import { composeKieuPage } from '../pipeline/ocr/layout/layout-test-pages.ts';

let app: RunningApp;

test.before(async () => {
  app = await startAppOnFreePort('han-nom-pipeline');
});

test.after.always(async () => {
  await app?.close();
});

test('a woodblock page in a nom-vert collection: read by the Nôm recogniser column by column, searchable by character in IIIF and in the PDF, right to left', async (t) => {
  const api = `${app.baseUrl}/api`;
  const library = await postJson(`${api}/libraries`, { slug: 'han-nom', name: 'Thư viện tỉnh Nam Định', province: 'Nam Định', kind: 'provincial' });
  const collection = await postJson(`${api}/collections`, {
    libraryId: library.id,
    slug: 'han-nom',
    title: 'Sách Hán Nôm',
    category: 'rare',
    ocrProfile: 'nom-vert',
  });
  const item = await postJson(`${api}/items`, { collectionId: collection.id, identifier: 'HN-01', title: 'Truyện Kiều (1866)' });
  const drawn = await composeKieuPage();
  // Twice the composited size, as a 300 dpi scan of a small leaf would be.
  const scan = await sharp(drawn.png).resize({ width: drawn.raster.width * 2 }).withMetadata({ density: 300 }).png().toBuffer();
  const form = new FormData();
  form.append('file', new Blob([scan]), '0001.png');
  const uploaded = await fetch(`${api}/items/${item.id}/pages`, { method: 'POST', headers: ADMIN_HEADERS, body: form });
  t.is(uploaded.status, 202, await uploaded.clone().text());
  const { pageIds } = (await uploaded.json()) as { pageIds: string[] };
  t.is((await fetch(`${api}/items/${item.id}/process`, { method: 'POST', headers: ADMIN_HEADERS })).status, 202);

  const deadline = Date.now() + 600_000;
  for (;;) {
    const { status } = (await (await fetch(`${api}/items/${item.id}`, { headers: ADMIN_HEADERS })).json()) as { status: string };
    if (status === 'digitised') break;
    if (status === 'failed' || Date.now() > deadline) return t.fail(`item ended ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const hocr = await (await fetch(`${api}/pages/${pageIds[0]}/hocr`, { headers: ADMIN_HEADERS })).text();
  t.regex(hocr, /content="thu-vien-so nom-vert/u, 'the Nôm recogniser read the page');
  const columns = (await (await fetch(`${api}/pages/${pageIds[0]}/text`, { headers: ADMIN_HEADERS })).text()).split('\n').filter(Boolean);
  t.true(columns.length >= 16, `${columns.length} columns read`);

  // A character the recogniser read is found by IIIF Content Search on its own glyph.
  const character = Array.from(columns.reduce((a, b) => (Array.from(b).length > Array.from(a).length ? b : a)))[0]!;
  const search = (await (await fetch(`${app.baseUrl}/iiif/search/${item.id}?q=${encodeURIComponent(character)}`)).json()) as {
    items: { target: string }[];
  };
  t.true(search.items.length >= 1, `no hit for ${character}`);
  const manifest = (await (await fetch(`${app.baseUrl}/iiif/manifest/${item.id}`)).json()) as {
    viewingDirection: string;
    items: { width: number }[];
  };
  t.is(manifest.viewingDirection, 'right-to-left');
  for (const hit of search.items) {
    const [, , , width] = /#xywh=(\d+),(\d+),(\d+),(\d+)$/u.exec(hit.target)!.slice(1).map(Number);
    t.true(width! > 0 && width! < manifest.items[0]!.width / 10, `a hit is one character, not a column: ${hit.target}`);
  }

  const pdf = Buffer.from(await (await fetch(`${app.baseUrl}/api/items/${item.id}/pdf`, { headers: ADMIN_HEADERS })).arrayBuffer());
  t.true((await pdfText(pdf)).includes(character), 'the PDF text layer holds the recognised character');
});

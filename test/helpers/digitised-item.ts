import sharp from 'sharp';
import { postJson } from './post-json.ts';
import { rotateContent } from '../pipeline/deskew-helpers/text-page.ts';
import { generateVietnamesePage } from '../pipeline/ocr/test-pages.ts';
import { ADMIN_HEADERS } from './running-app.ts';


/**
 * Registers a public item with one generated page of Vietnamese text, runs the pipeline and
 * waits until the item is digitised. Returns the ids.
 */
export async function digitisedItem(baseUrl: string, slug: string): Promise<{ itemId: string; pageIds: string[] }> {
  const api = `${baseUrl}/api`;
  const library = await postJson(`${api}/libraries`, { slug, name: 'Thư viện tỉnh Đắk Nông', province: 'Đắk Nông', kind: 'provincial' });
  const collection = await postJson(`${api}/collections`, { libraryId: library.id, slug: 'dia-chi', title: 'Địa chí', category: 'dia-chi' });
  const item = await postJson(`${api}/items`, { collectionId: collection.id, identifier: 'ĐC-01', title: 'Thư viện tỉnh Đắk Nông' });
  const page = await sharp(await rotateContent((await generateVietnamesePage()).png, 1)).withMetadata({ density: 300 }).png().toBuffer();
  const form = new FormData();
  form.append('file', new Blob([page]), '0001.png');
  const uploaded = await fetch(`${api}/items/${item.id}/pages`, { method: 'POST', headers: ADMIN_HEADERS, body: form });
  if (uploaded.status !== 202) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
  const { pageIds } = (await uploaded.json()) as { pageIds: string[] };
  await fetch(`${api}/items/${item.id}/process`, { method: 'POST', headers: ADMIN_HEADERS });
  const deadline = Date.now() + 180_000;
  for (;;) {
    const { status } = (await (await fetch(`${api}/items/${item.id}`)).json()) as { status: string };
    if (status === 'digitised') return { itemId: item.id, pageIds };
    if (status === 'failed' || Date.now() > deadline) throw new Error(`item ${item.id} ended ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

import test from 'ava';
import type { HarvestRun, HarvestSource, UnionSearchResponse } from '../../repository/index.ts';
import { digitisedItem } from '../helpers/digitised-item.ts';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, freePort, startAppOnFreePort, type RunningApp } from '../helpers/running-app.ts';

/** Two instances of the product on loopback, each harvesting the other (issue 9). */
const apps: RunningApp[] = [];
test.after.always(async () => {
  await Promise.all(apps.map((app) => app.close()));
});

const json = { 'content-type': 'application/json', ...ADMIN_HEADERS };

async function call<T>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T };
}

async function item(baseUrl: string, collectionId: string, title: string, dc: Record<string, string[]> = {}): Promise<string> {
  const dublinCore = Object.fromEntries(Object.entries(dc).map(([element, values]) => [element, values.map((value) => ({ value }))]));
  return (await postJson(`${baseUrl}/api/items`, { collectionId, identifier: title.slice(0, 20), title, dublinCore })).id;
}

const harvest = (app: RunningApp, sourceId: string) => call<HarvestRun>(`${app.baseUrl}/api/harvest-sources/${sourceId}/harvest`, { method: 'POST', headers: ADMIN_HEADERS });
const union = async (app: RunningApp, q: string) => (await call<UnionSearchResponse>(`${app.baseUrl}/api/union-search?q=${encodeURIComponent(q)}`)).body;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('two libraries harvest each other and the union catalogue groups their common works', async (t) => {
  t.timeout(180_000);
  const [a, b] = await Promise.all([startAppOnFreePort('union-a', { HARVEST_INTERVAL_MINUTES: '0' }), startAppOnFreePort('union-b', { HARVEST_INTERVAL_MINUTES: '0' })]);
  apps.push(a, b);

  // A: the digitised "Thư viện tỉnh Đắk Nông" (library of that name), and two books.
  const digitised = await digitisedItem(a.baseUrl, 'dak-nong');
  const { collectionId: collectionA } = (await (await fetch(`${a.baseUrl}/api/items/${digitised.itemId}`)).json()) as { collectionId: string };
  await item(a.baseUrl, collectionA, 'Truyện Kiều', { creator: ['Nguyễn Du'], date: ['1820'], identifier: ['urn:isbn:0306406152'] });
  await item(a.baseUrl, collectionA, 'Lục Vân Tiên', { creator: ['Nguyễn Đình Chiểu'], date: ['1889'] });

  // B: the same works spelled otherwise (ISBN-13 under another title; no diacritics).
  const libraryB = await postJson(`${b.baseUrl}/api/libraries`, { slug: 'lam-dong', name: 'Thư viện tỉnh Lâm Đồng', province: 'Lâm Đồng', kind: 'provincial' });
  const collectionB = (await postJson(`${b.baseUrl}/api/collections`, { libraryId: libraryB.id, slug: 'sach', title: 'Sách', category: 'other' })).id;
  await item(b.baseUrl, collectionB, 'Kim Vân Kiều truyện', { creator: ['Nguyễn Du'], identifier: ['ISBN 978-0-306-40615-7'] });
  await item(b.baseUrl, collectionB, 'Luc Van Tien', { creator: ['Nguyen Dinh Chieu'], date: ['1889-01-01'] });
  await item(b.baseUrl, collectionB, 'Thu vien tinh Dak Nong');
  const secret = await item(b.baseUrl, collectionB, 'Sổ tay mật vụ');
  // The next harvest's `from` will be a second before this one's responseDate (whole seconds):
  // an item written less than 2 s before this harvest could fall inside it and be fetched again.
  await pause(2100);

  const sourceOnA = await postJson<HarvestSource>(`${a.baseUrl}/api/harvest-sources`, { name: 'Thư viện tỉnh Lâm Đồng', baseUrl: `${b.baseUrl}/oai` });
  const sourceOnB = await postJson<HarvestSource>(`${b.baseUrl}/api/harvest-sources`, { name: 'Thư viện tỉnh Đắk Nông', baseUrl: `${a.baseUrl}/oai` });
  t.is((await call(`${a.baseUrl}/api/harvest-sources`)).status, 401, 'only administrators manage sources');

  // The product offers marcxml, so that is what each harvests (its 020 gives the ISBNs).
  const firstOnA = await harvest(a, sourceOnA.id);
  t.is(firstOnA.status, 200, JSON.stringify(firstOnA.body));
  t.like(firstOnA.body, { from: null, metadataPrefix: 'marcxml', harvested: 4, deleted: 0, skipped: 0, recordCount: 4 });
  const firstOnB = await harvest(b, sourceOnB.id);
  t.like(firstOnB.body, { from: null, metadataPrefix: 'marcxml', harvested: 3, skipped: 0, recordCount: 3 });

  // Shared ISBN (ISBN-10 here, ISBN-13 there), found without diacritics.
  const kieu = await union(a, 'truyen kieu');
  t.is(kieu.total, 1);
  t.deepEqual(kieu.groups[0]!.holdings.map((h) => [h.library, h.origin]), [['Thư viện tỉnh Đắk Nông', 'local'], ['Thư viện tỉnh Lâm Đồng', 'harvested']]);
  t.deepEqual(kieu.groups[0]!.standardNumbers, ['isbn:9780306406157']);
  t.deepEqual(kieu.groups[0]!.holdings.map((h) => h.metadataPrefix), [null, 'marcxml']);
  // And the other way: A's `urn:isbn:` (ISBN-10) reaches B through A's MARC 020.
  const kimVanKieu = await union(b, 'truyen kieu');
  t.deepEqual(kimVanKieu.groups.map((g) => g.holdings.map((h) => [h.library, h.origin, h.title])), [
    [
      ['Thư viện tỉnh Lâm Đồng', 'local', 'Kim Vân Kiều truyện'],
      ['Thư viện tỉnh Đắk Nông', 'harvested', 'Truyện Kiều'],
    ],
  ]);
  const page = await (await fetch(`${a.baseUrl}/muc-luc-lien-hop?q=truyen+kieu`)).text();
  t.true(page.includes('Mục lục liên hợp') && page.includes('Thư viện tỉnh Lâm Đồng') && page.includes('Kim Vân Kiều truyện'));
  t.true((await (await fetch(`${a.baseUrl}/muc-luc-lien-hop?q=truyen+kieu&lang=en`)).text()).includes('Union catalogue'));

  // Same folded title + first author + year.
  const lucVanTien = await union(b, 'lục vân tiên');
  t.is(lucVanTien.total, 1);
  t.deepEqual(lucVanTien.groups[0]!.holdings.map((h) => h.library).sort(), ['Thư viện tỉnh Lâm Đồng', 'Thư viện tỉnh Đắk Nông']);

  // The digital copy held by A, seen from B with its manifest link, which works.
  const dakNong = await union(b, 'dak nong');
  const group = dakNong.groups.find((g) => g.holdings.length === 2);
  t.truthy(group, JSON.stringify(dakNong));
  t.true(group!.digitalCopy);
  const held = group!.holdings.find((h) => h.origin === 'harvested')!;
  t.is(held.manifestUrl, `${a.baseUrl}/iiif/manifest/${digitised.itemId}`);
  t.is(held.documentUrl, `${a.baseUrl}/tai-lieu/${digitised.itemId}`);
  t.is((await fetch(held.manifestUrl!)).status, 200);
  t.false(group!.holdings.find((h) => h.origin === 'local')!.digitalCopy);

  // Incremental: only what changed since the last success; a confidential item is withdrawn.
  await pause(1100);
  await item(b.baseUrl, collectionB, 'Chinh phụ ngâm', { creator: ['Đặng Trần Côn'] });
  const patched = await fetch(`${b.baseUrl}/api/items/${secret}`, { method: 'PATCH', headers: json, body: JSON.stringify({ accessLevel: 'confidential' }) });
  t.is(patched.status, 200);
  t.is((await union(a, 'so tay mat vu')).total, 1);
  const second = await harvest(a, sourceOnA.id);
  t.is(second.status, 200);
  t.regex(second.body.from ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/u);
  t.like(second.body, { harvested: 1, deleted: 1, recordCount: 4 });
  t.is((await union(a, 'so tay mat vu')).total, 0);
  t.is((await union(a, 'chinh phu ngam')).groups[0]?.holdings[0]?.library, 'Thư viện tỉnh Lâm Đồng');

  // A source that is down: a clear error stored, the harvester goes on, and the next run works.
  const down = await postJson<HarvestSource>(`${a.baseUrl}/api/harvest-sources`, { name: 'Thư viện tắt máy', baseUrl: `http://127.0.0.1:${await freePort()}/oai` });
  const failed = await call<{ error: { message: string } }>(`${a.baseUrl}/api/harvest-sources/${down.id}/harvest`, { method: 'POST', headers: ADMIN_HEADERS });
  t.is(failed.status, 503);
  const listed = (await call<{ data: HarvestSource[] }>(`${a.baseUrl}/api/harvest-sources`, { headers: ADMIN_HEADERS })).body.data;
  t.regex(listed.find((s) => s.id === down.id)!.lastError ?? '', /Could not reach http:\/\/127\.0\.0\.1:\d+\/oai\?verb=Identify/u);
  const fixed = await call<HarvestSource>(`${a.baseUrl}/api/harvest-sources/${down.id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ baseUrl: `${b.baseUrl}/oai` }) });
  t.is(fixed.status, 409, 'one source per base URL');
  const renamed = await call<HarvestSource>(`${a.baseUrl}/api/harvest-sources/${down.id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ baseUrl: `${a.baseUrl}/oai` }) });
  t.is(renamed.status, 200);
  const retried = await harvest(a, down.id);
  t.is(retried.status, 200);
  const after = (await call<{ data: HarvestSource[] }>(`${a.baseUrl}/api/harvest-sources`, { headers: ADMIN_HEADERS })).body.data.find((s) => s.id === down.id)!;
  t.is(after.lastError, null);
  t.is(after.recordCount, 3);
});

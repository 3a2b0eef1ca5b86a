import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { listDocumentFolder, listDocumentFolders } from '../../scanners/folder/document-folder.ts';
import { FileStabilityTracker } from '../../scanners/folder/file-stability.ts';
import { readItemReference } from '../../scanners/folder/item-sidecar.ts';
import { sortNaturally } from '../../scanners/folder/natural-order.ts';
import { StationError } from '../../scanners/station-error.ts';

test('natural order: numbers by value, with or without leading zeros, letters without case', (t) => {
  t.deepEqual(sortNaturally(['10.tif', '9.tif', '1.tif', '2.tif']), ['1.tif', '2.tif', '9.tif', '10.tif']);
  t.deepEqual(sortNaturally(['0010.tif', '0002.tif', '0001.tif']), ['0001.tif', '0002.tif', '0010.tif']);
  t.deepEqual(sortNaturally(['scan_12.tif', 'Scan_3.tif', 'bia.tif']), ['bia.tif', 'Scan_3.tif', 'scan_12.tif']);
  t.deepEqual(sortNaturally(['b.tif', 'B.tif']), ['B.tif', 'b.tif'], 'ties are broken the same way on every machine');
});

test('a file is stable only after its size and time have stayed the same for the whole wait', (t) => {
  const tracker = new FileStabilityTracker(1000);
  t.false(tracker.observe('/a.tif', { size: 10, mtimeMs: 1 }, 0), 'first look');
  t.false(tracker.observe('/a.tif', { size: 10, mtimeMs: 1 }, 999));
  t.true(tracker.observe('/a.tif', { size: 10, mtimeMs: 1 }, 1000));
  t.false(tracker.observe('/a.tif', { size: 20, mtimeMs: 2 }, 1500), 'grew: the wait starts again');
  t.false(tracker.observe('/a.tif', { size: 20, mtimeMs: 2 }, 2400));
  t.true(tracker.observe('/a.tif', { size: 20, mtimeMs: 2 }, 2500));
  t.false(tracker.observe('/a.tif', { size: 20, mtimeMs: 3 }, 2600), 'rewritten at the same size');
  t.false(tracker.observe('/done', { size: 0, mtimeMs: 1 }, 0));
  t.true(tracker.observe('/done', { size: 0, mtimeMs: 1 }, 5000), 'an empty marker settles like any file');
  t.is(tracker.lastChange(['/a.tif', '/done']), 2600);
  tracker.forgetUnder('/');
  t.is(tracker.lastChange(['/a.tif']), undefined);
});

test('a document folder lists its pages in natural order without markers, sidecars and hidden files; the hot folder its document folders', async (t) => {
  const hot = await mkdtemp(path.join(os.tmpdir(), 'hot-'));
  try {
    const folder = path.join(hot, 'ĐC-1');
    await mkdir(folder);
    for (const name of ['10.tif', '9.tif', 'done', 'item.json', '.~scan.tif', 'Thumbs.db', 'notes.pdf', '1.tif.part']) await writeFile(path.join(folder, name), 'x');
    await mkdir(path.join(hot, 'done'));
    await mkdir(path.join(hot, 'rejected'));
    await mkdir(path.join(hot, '.station'));
    await mkdir(path.join(hot, 'ĐC-2'));
    const listing = await listDocumentFolder(folder);
    t.deepEqual(listing.pages, ['9.tif', '10.tif', 'notes.pdf'], 'a wrong format stays a page, for the checks to report');
    t.true(listing.doneMarker);
    t.deepEqual((await listDocumentFolders(hot)).map((entry) => path.basename(entry)), ['ĐC-1', 'ĐC-2']);
  } finally {
    await rm(hot, { recursive: true, force: true });
  }
});

test('the item comes from item.json, item.csv or the folder name, in NFC; a bad sidecar is a clear error', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'sidecar-'));
  try {
    const nfd = 'Địa chí Nghệ An'.normalize('NFD');
    const byName = path.join(root, 'ĐC-0007'.normalize('NFD'));
    await mkdir(byName);
    t.deepEqual(await readItemReference(byName, []), { kind: 'identifier', identifier: 'ĐC-0007', metadata: { title: 'ĐC-0007' }, source: 'folder-name' });

    const json = path.join(root, 'json');
    await mkdir(json);
    await writeFile(path.join(json, 'item.json'), `\uFEFF${JSON.stringify({ identifier: 'ĐC-8', collectionId: 'c1', title: nfd, creator: 'Phan Bội Châu', date: '1925', language: 'vi', script: 'Latn' })}`);
    t.deepEqual(await readItemReference(json, ['item.json']), {
      kind: 'identifier',
      identifier: 'ĐC-8',
      collectionId: 'c1',
      metadata: { title: 'Địa chí Nghệ An', creator: 'Phan Bội Châu', date: '1925', language: 'vi', script: 'Latn', description: undefined },
      source: 'item.json',
    });

    const csv = path.join(root, 'csv');
    await mkdir(csv);
    await writeFile(path.join(csv, 'item.csv'), 'itemId,title\r\nabc-123,\r\n');
    t.deepEqual(await readItemReference(csv, ['item.csv']), { kind: 'item-id', itemId: 'abc-123', source: 'item.csv' });

    await writeFile(path.join(csv, 'item.csv'), 'identifier,title\nA,Một\nB,Hai\n');
    await t.throwsAsync(readItemReference(csv, ['item.csv']), { instanceOf: StationError, message: /exactly one record, not 2/ });
    await writeFile(path.join(json, 'item.json'), '{ "title": "Không có ký hiệu" }');
    await t.throwsAsync(readItemReference(json, ['item.json']), { instanceOf: StationError, message: /item\.json: .*"itemId" or "identifier"/ });
    await writeFile(path.join(json, 'item.json'), '{ broken');
    await t.throwsAsync(readItemReference(json, ['item.json']), { instanceOf: StationError, message: /not valid JSON/ });
    await writeFile(path.join(json, 'item.json'), '{ "identifier": "X", "script": "latin" }');
    await t.throwsAsync(readItemReference(json, ['item.json']), { instanceOf: StationError, message: /script: an ISO 15924 code/ });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

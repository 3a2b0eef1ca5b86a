import test from 'ava';
import { buildItemRecord, type ItemRows } from '../../../repository/records/item-record.ts';

const file = (key: string, sha256: string) => ({ key, sha256, size: 10, kind: key.startsWith('masters') ? 'master' : 'thumb' });
const rows = (status: string, files: ReturnType<typeof file>[], title = 'Địa chí Cao Bằng'): ItemRows => ({
  item: { id: 'item-1', status, title, identifier: 'ĐC-1', dublin_core: { title: [{ value: title }] } },
  pages: [],
  texts: [],
  files,
});
const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 8, minute));

test('versions follow the item at rest: created, files added, a derivative replaced, the description changed; none while processing or when nothing changed', (t) => {
  const registered = buildItemRecord(rows('registered', []), undefined, at(0));
  t.is(registered.head, 'v1');
  t.is(registered.versions.v1!.message, 'created with 0 files');

  const processing = buildItemRecord(rows('processing', [file('masters/item-1/a.png', 'aa')]), registered, at(1));
  t.is(processing.head, 'v1', 'no version while the item is being processed');
  t.deepEqual(processing.files.map((entry) => entry.key), ['masters/item-1/a.png'], 'the files follow the database at once');

  const digitised = buildItemRecord(rows('digitised', [file('masters/item-1/a.png', 'aa'), file('derivatives/item-1/p/thumb.jpg', 'bb')]), processing, at(2));
  t.is(digitised.head, 'v2');
  t.is(digitised.versions.v2!.message, 'files: 2 added');
  t.deepEqual(digitised.versions.v2!.state, { aa: ['masters/item-1/a.png'], bb: ['derivatives/item-1/p/thumb.jpg'] });
  t.is(digitised.versions.v2!.created, at(2).toISOString());

  t.is(buildItemRecord(rows('digitised', [file('masters/item-1/a.png', 'aa'), file('derivatives/item-1/p/thumb.jpg', 'bb')]), digitised, at(3)).head, 'v2', 'unchanged: no version');

  const rethumbed = buildItemRecord(rows('digitised', [file('masters/item-1/a.png', 'aa'), file('derivatives/item-1/p/thumb.jpg', 'cc')]), digitised, at(4));
  t.is(rethumbed.versions.v3!.message, 'files: 1 replaced');
  t.deepEqual(rethumbed.versions.v2, digitised.versions.v2, 'earlier versions are kept as they were');

  const renamed = buildItemRecord(rows('digitised', [file('masters/item-1/a.png', 'aa')], 'Địa chí tỉnh Cao Bằng'), rethumbed, at(5));
  t.is(renamed.versions.v4!.message, 'files: 1 removed; description changed');
  t.deepEqual(Object.keys(renamed.versions), ['v1', 'v2', 'v3', 'v4']);
});

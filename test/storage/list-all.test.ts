import test from 'ava';

import { listAllPages } from '../../storage/list-all.ts';
import type { ListOptions, ListPage } from '../../storage/index.ts';

test('listAllPages follows nextStartAfter until it is absent, passing the prefix and page size on', async (t) => {
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const calls: { prefix: string; options: ListOptions }[] = [];
  const list = async (prefix: string, options: ListOptions): Promise<ListPage> => {
    calls.push({ prefix, options });
    const rest = keys.filter((k) => options.startAfter === undefined || k > options.startAfter);
    const objects = rest.slice(0, options.limit).map((key) => ({ key, size: 1, lastModified: new Date(0) }));
    const page: ListPage = { objects };
    if (rest.length > (options.limit ?? 1000)) page.nextStartAfter = objects.at(-1)?.key;
    return page;
  };
  const seen: string[] = [];
  for await (const summary of listAllPages(list, 'p/', 3)) seen.push(summary.key);
  t.deepEqual(seen, keys);
  t.deepEqual(calls, [
    { prefix: 'p/', options: { limit: 3 } },
    { prefix: 'p/', options: { startAfter: 'c', limit: 3 } },
    { prefix: 'p/', options: { startAfter: 'f', limit: 3 } },
  ]);
});

test('listAllPages keeps going past a page that is empty but not the last', async (t) => {
  const pages: ListPage[] = [
    { objects: [], nextStartAfter: 'skipped-foreign-name' },
    { objects: [{ key: 'z', size: 1, lastModified: new Date(0) }] },
  ];
  const seen: string[] = [];
  for await (const summary of listAllPages(async () => pages.shift() ?? { objects: [] }, '')) seen.push(summary.key);
  t.deepEqual(seen, ['z']);
});

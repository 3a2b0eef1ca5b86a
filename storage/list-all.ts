import { MAX_LIST_LIMIT } from './list-options.ts';
import type { ListOptions, ListPage, ObjectSummary } from './object-store.port.ts';

/** `listAll` for every adapter: follows `nextStartAfter` through `list` pages until there is none. */
export async function* listAllPages(
  list: (prefix: string, options: ListOptions) => Promise<ListPage>,
  prefix: string,
  pageSize = MAX_LIST_LIMIT,
): AsyncGenerator<ObjectSummary, void, undefined> {
  let startAfter: string | undefined;
  for (;;) {
    const page = await list(prefix, startAfter === undefined ? { limit: pageSize } : { startAfter, limit: pageSize });
    yield* page.objects;
    if (page.nextStartAfter === undefined) return;
    startAfter = page.nextStartAfter;
  }
}

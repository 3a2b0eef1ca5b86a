import { sql } from 'kysely';
import type { Database } from '../../repository/index.ts';

export interface LedgerEntry {
  key: string;
  sha256: string;
  size: number;
  content_type: string;
}

/** Rows per query: fewer round trips, little memory. */
const PAGE_SIZE = 5000;

/**
 * Every row of the `stored_objects` ledger in byte order of the key, the order the object
 * stores list in (keys are ASCII), so the two can be walked side by side. Paged by key, not
 * by offset, so rows written meanwhile (a live server) never make a page skip or repeat a row.
 */
export async function* ledgerEntries(database: Database): AsyncGenerator<LedgerEntry> {
  const byteOrder = sql<string>`key collate "C"`;
  let after: string | undefined;
  for (;;) {
    let query = database.db.selectFrom('stored_objects').select(['key', 'sha256', 'size', 'content_type']).orderBy(byteOrder).limit(PAGE_SIZE);
    if (after !== undefined) query = query.where(byteOrder, '>', after);
    const rows = await query.execute();
    yield* rows;
    const last = rows.at(-1);
    if (rows.length < PAGE_SIZE || last === undefined) return;
    after = last.key;
  }
}

import { sql } from 'kysely';
import type { Database } from '../database/database.port.ts';
import { inUtcSnapshot, selectRows, type Row } from './catalogue-rows.ts';
import type { ItemRows } from './item-record.ts';

/** The library's row, or undefined when it no longer exists. */
export async function readLibraryRow(database: Database, id: string): Promise<Row | undefined> {
  return inUtcSnapshot(database, async (trx) => (await selectRows(trx, sql`select to_jsonb(l) as row from libraries l where id = ${id}`))[0]);
}

/** The collection's row, or undefined when it no longer exists. */
export async function readCollectionRow(database: Database, id: string): Promise<Row | undefined> {
  return inUtcSnapshot(database, async (trx) => (await selectRows(trx, sql`select to_jsonb(c) as row from collections c where id = ${id}`))[0]);
}

/**
 * Everything the database holds about one item, in one snapshot, or undefined when it no
 * longer exists. Generated columns are left out (PostgreSQL recomputes them), and so is the
 * OCR text, which the page's `text.txt` object holds.
 */
export async function readItemRows(database: Database, id: string): Promise<ItemRows | undefined> {
  return inUtcSnapshot(database, async (trx) => {
    const [item] = await selectRows(trx, sql`select to_jsonb(i) - 'search_folded' as row from items i where id = ${id}`);
    if (item === undefined) return undefined;
    return {
      item,
      pages: await selectRows(trx, sql`select to_jsonb(p) as row from pages p where item_id = ${id} order by seq`),
      texts: await selectRows(trx, sql`select to_jsonb(t) - 'text' - 'folded' as row from page_texts t where item_id = ${id} order by page_id collate "C"`),
      files: await selectRows(trx, sql`select to_jsonb(o) as row from stored_objects o where item_id = ${id} order by key collate "C"`),
    };
  });
}

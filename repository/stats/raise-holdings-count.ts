import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from '../database/schema.ts';

/**
 * After a catalogue import (CSV or MARC): the collection's holdings count becomes at least the
 * number of its registered items, never lower (the library may hold more than it catalogued).
 * Returns the count.
 */
export async function raiseHoldingsCount(db: Kysely<DatabaseSchema>, collectionId: string): Promise<number> {
  const holdings = await sql<{ holdings_count: number }>`
    update collections
       set holdings_count = greatest(holdings_count, (select count(*) from items where collection_id = ${collectionId})::integer),
           updated_at = case when holdings_count < (select count(*) from items where collection_id = ${collectionId}) then now() else updated_at end
     where id = ${collectionId}
    returning holdings_count`.execute(db);
  return holdings.rows[0]!.holdings_count;
}

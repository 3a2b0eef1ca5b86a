import type { Paged } from './domain.types.ts';

/** The repositories' largest page (`limit` may not exceed 1000). */
const BATCH = 1000;

/** Every row of an offset-paged repository listing, fetched in batches of 1000. */
export async function listAll<T>(fetch: (limit: number, offset: number) => Promise<Paged<T>>): Promise<T[]> {
  const rows: T[] = [];
  for (let offset = 0; ; offset += BATCH) {
    const page = await fetch(BATCH, offset);
    rows.push(...page.rows);
    if (page.rows.length < BATCH || rows.length >= page.total) return rows;
  }
}

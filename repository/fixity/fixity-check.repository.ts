import { sql, type Kysely } from 'kysely';
import { translateDatabaseError } from '../database/database-errors.ts';
import type { StoredObject } from '../database/domain.types.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import { toStoredObject } from '../database/stored-object.repository.ts';

export type FixityOutcome = 'ok' | 'mismatch' | 'missing' | 'unreadable';

/** One object's audit: what was recorded when it was written, what was read back now. */
export interface FixityResult {
  key: string;
  itemId: string | null;
  outcome: FixityOutcome;
  expectedSha256: string;
  actualSha256: string | null;
  actualSize: number | null;
  /** Why it could not be read (`unreadable`), for the operator. */
  detail: string | null;
  checkedAt: Date;
}

/** A failing object with the document it belongs to, for the dashboard. */
export interface FixityFailure extends FixityResult {
  itemIdentifier: string | null;
  itemTitle: string | null;
  collectionId: string | null;
}

/** The last audit of one collection's objects. */
export interface CollectionFixity {
  libraryId: string;
  libraryName: string;
  collectionId: string;
  collectionTitle: string;
  objects: number;
  /** Objects never audited since they were written. */
  unchecked: number;
  failing: number;
  oldestCheck: Date | null;
  newestCheck: Date | null;
}

/** Results of fixity audits: the last one per stored object. */
export class FixityCheckRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  async record(result: FixityResult): Promise<void> {
    const row = {
      key: result.key,
      checked_at: result.checkedAt,
      outcome: result.outcome,
      expected_sha256: result.expectedSha256,
      actual_sha256: result.actualSha256,
      actual_size: result.actualSize,
      detail: result.detail,
    };
    await this.#run(() =>
      this.#db
        .insertInto('fixity_checks')
        .values(row)
        .onConflict((conflict) => conflict.column('key').doUpdateSet(row))
        .execute(),
    );
  }

  /**
   * Objects whose audit is most overdue: never checked first (oldest written first), then by
   * the time of their last check, and an object rewritten since its last check as never checked.
   */
  async due(limit: number): Promise<StoredObject[]> {
    const rows = await this.#run(() =>
      this.#db
        .selectFrom('stored_objects')
        .leftJoin('fixity_checks', 'fixity_checks.key', 'stored_objects.key')
        .selectAll('stored_objects')
        .orderBy(sql`case when fixity_checks.checked_at is null or fixity_checks.checked_at < stored_objects.updated_at then 0 else 1 end`)
        .orderBy(sql`coalesce(fixity_checks.checked_at, stored_objects.updated_at)`)
        .orderBy('stored_objects.key')
        .limit(limit)
        .execute(),
    );
    return rows.map(toStoredObject);
  }

  /** Objects whose last audit failed and that are still recorded (rewriting an object clears nothing until it is audited again). */
  async failures(limit = 500): Promise<FixityFailure[]> {
    const rows = await this.#run(() =>
      this.#db
        .selectFrom('fixity_checks')
        .innerJoin('stored_objects', 'stored_objects.key', 'fixity_checks.key')
        .leftJoin('items', 'items.id', 'stored_objects.item_id')
        .selectAll('fixity_checks')
        .select(['stored_objects.item_id', 'items.identifier', 'items.title', 'items.collection_id'])
        .where('fixity_checks.outcome', '<>', 'ok')
        .orderBy('fixity_checks.checked_at', 'desc')
        .orderBy('fixity_checks.key')
        .limit(limit)
        .execute(),
    );
    return rows.map((row) => ({
      key: row.key,
      itemId: row.item_id,
      outcome: row.outcome,
      expectedSha256: row.expected_sha256,
      actualSha256: row.actual_sha256,
      actualSize: row.actual_size === null ? null : Number(row.actual_size),
      detail: row.detail,
      checkedAt: row.checked_at,
      itemIdentifier: row.identifier,
      itemTitle: row.title,
      collectionId: row.collection_id,
    }));
  }

  /** Per collection: how many of its objects were audited, when, and how many fail now. */
  async reportByCollection(): Promise<CollectionFixity[]> {
    const rows = await this.#run(() =>
      sql<{
        library_id: string;
        library_name: string;
        collection_id: string;
        collection_title: string;
        objects: string;
        unchecked: string;
        failing: string;
        oldest_check: Date | null;
        newest_check: Date | null;
      }>`
        select l.id as library_id, l.name as library_name, c.id as collection_id, c.title as collection_title,
               count(o.key) as objects,
               count(o.key) filter (where f.key is null or f.checked_at < o.updated_at) as unchecked,
               count(o.key) filter (where f.outcome <> 'ok') as failing,
               min(f.checked_at) as oldest_check,
               max(f.checked_at) as newest_check
        from collections c
        join libraries l on l.id = c.library_id
        left join items i on i.collection_id = c.id
        left join stored_objects o on o.item_id = i.id
        left join fixity_checks f on f.key = o.key
        group by l.id, l.name, c.id, c.title
        order by l.name, c.title`.execute(this.#db),
    );
    return rows.rows.map((row) => ({
      libraryId: row.library_id,
      libraryName: row.library_name,
      collectionId: row.collection_id,
      collectionTitle: row.collection_title,
      objects: Number(row.objects),
      unchecked: Number(row.unchecked),
      failing: Number(row.failing),
      oldestCheck: row.oldest_check === null ? null : new Date(row.oldest_check),
      newestCheck: row.newest_check === null ? null : new Date(row.newest_check),
    }));
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}

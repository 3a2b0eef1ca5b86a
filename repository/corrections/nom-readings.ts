import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from '../database/schema.ts';
import { readingKey, type ReadingEntry } from './build-nom-readings.ts';

/** A character offered for a typed reading. */
export interface ReadingCandidate {
  character: string;
  reading: string;
  /** How often the corpus and the library's own corrections give this character for this reading. */
  count: number;
}

/** Readings operators chose while correcting (`nom_readings_learned`), per library. */
export class LearnedReadingRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /** Counts one more use of `character` for `reading` in the library. */
  async record(libraryId: string, reading: string, character: string): Promise<void> {
    const value = reading.normalize('NFC').trim().toLocaleLowerCase('vi');
    await this.#db
      .insertInto('nom_readings_learned')
      .values({ library_id: libraryId, reading: value, folded: readingKey(value), character: character.normalize('NFC') })
      .onConflict((oc) => oc.columns(['library_id', 'reading', 'character']).doUpdateSet({ count: sql<number>`nom_readings_learned.count + 1`, updated_at: sql<Date>`now()` }))
      .execute();
  }

  async byKey(libraryId: string, key: string): Promise<ReadingEntry[]> {
    const rows = await this.#db.selectFrom('nom_readings_learned').select(['reading', 'folded', 'character', 'count']).where('library_id', '=', libraryId).where('folded', '=', key).execute();
    return rows.map((row) => ({ key: row.folded, reading: row.reading, character: row.character, count: row.count }));
  }
}

/**
 * Quốc ngữ → Nôm/Hán lookup for the correction editor: the table built from the corpus plus
 * what the library's operators chose. `cua` finds every reading folded to `cua` (của, cửa…);
 * `cửa`, typed with its marks, finds that reading first and the others after it.
 */
export class NomReadingsLookup {
  readonly #load: () => Promise<readonly ReadingEntry[]>;
  #byKey: Promise<Map<string, ReadingEntry[]>> | undefined;
  readonly #learned: LearnedReadingRepository;

  /** `load` gives the corpus table (read once, on the first lookup). */
  constructor(load: () => Promise<readonly ReadingEntry[]>, learned: LearnedReadingRepository) {
    this.#load = load;
    this.#learned = learned;
  }

  async #table(): Promise<Map<string, ReadingEntry[]>> {
    this.#byKey ??= this.#load().then((entries) => {
      const byKey = new Map<string, ReadingEntry[]>();
      for (const entry of entries) byKey.set(entry.key, [...(byKey.get(entry.key) ?? []), entry]);
      return byKey;
    });
    return this.#byKey;
  }

  async lookup(query: string, libraryId: string | undefined, limit = 9): Promise<ReadingCandidate[]> {
    const typed = query.normalize('NFC').trim().toLocaleLowerCase('vi');
    const key = readingKey(typed);
    if (key === '') return [];
    const learned = libraryId === undefined ? [] : await this.#learned.byKey(libraryId, key);
    const merged = new Map<string, ReadingCandidate>();
    for (const entry of [...((await this.#table()).get(key) ?? []), ...learned]) {
      const id = `${entry.reading}\u0000${entry.character}`;
      const found = merged.get(id);
      if (found) found.count += entry.count;
      else merged.set(id, { character: entry.character, reading: entry.reading, count: entry.count });
    }
    const exact = typed !== key;
    return [...merged.values()]
      .sort((a, b) => Number(exact && b.reading === typed) - Number(exact && a.reading === typed) || b.count - a.count || (a.character < b.character ? -1 : 1))
      .filter((candidate, index, all) => all.findIndex((other) => other.character === candidate.character) === index)
      .slice(0, limit);
  }
}

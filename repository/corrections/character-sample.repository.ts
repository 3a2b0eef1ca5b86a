import { buffer } from 'node:stream/consumers';
import type { Kysely } from 'kysely';
import type { ObjectStore } from '../../storage/index.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import type { Box } from './stored-ocr-page.ts';

/** A labelled crop of one corrected box: training data for the recogniser. */
export interface CharacterSample {
  id: string;
  libraryId: string;
  itemId: string;
  pageId: string;
  /** NFC; may be beyond the BMP or a Private Use Area code point. */
  label: string;
  /** Where the crop was taken, in pixels of the OCR'd image (before the margin). */
  box: Box;
  correctionId: string | null;
  /** The PNG's key in the object store (`training/{libraryId}/{id}.png`). */
  key: string;
  sha256: string;
  width: number;
  height: number;
  createdAt: Date;
}

export type NewCharacterSample = Omit<CharacterSample, 'createdAt'>;

/** A sample with its greyscale PNG: what the recogniser adds as a template. */
export interface LabelledImage {
  label: string;
  png: Buffer;
  sample: CharacterSample;
}

const PAGE_SIZE = 500;

/** The `character_samples` table (migration 0016) and the PNGs it points at. */
export class CharacterSampleRepository {
  readonly #db: Kysely<DatabaseSchema>;
  readonly #store: ObjectStore;

  constructor(db: Kysely<DatabaseSchema>, store: ObjectStore) {
    this.#db = db;
    this.#store = store;
  }

  async insert(sample: NewCharacterSample): Promise<void> {
    await this.#db
      .insertInto('character_samples')
      .values({
        id: sample.id,
        library_id: sample.libraryId,
        item_id: sample.itemId,
        page_id: sample.pageId,
        label: sample.label,
        box: JSON.stringify(sample.box),
        correction_id: sample.correctionId,
        key: sample.key,
        sha256: sample.sha256,
        width: sample.width,
        height: sample.height,
      })
      .execute();
  }

  /**
   * Changes whenever a sample is added or removed: the Nôm recogniser rebuilds its templates from
   * the samples when this differs from what it built them from.
   */
  async version(): Promise<string> {
    const row = await this.#db
      .selectFrom('character_samples')
      .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.max('created_at').as('latest')])
      .executeTakeFirstOrThrow();
    return `${String(row.count)}@${row.latest === null ? '-' : new Date(row.latest).toISOString()}`;
  }

  /** The samples by id (of one library, or of all), a page at a time (never the whole table in memory). */
  async *samples(libraryId?: string): AsyncGenerator<CharacterSample> {
    let after = '';
    for (;;) {
      const rows = await this.#db
        .selectFrom('character_samples')
        .selectAll()
        .$if(libraryId !== undefined, (query) => query.where('library_id', '=', libraryId!))
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE_SIZE)
        .execute();
      for (const row of rows) yield toSample(row);
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Every sample of the library with its PNG bytes: what the Nôm recogniser is fed at start. */
  async listForLibrary(libraryId: string): Promise<LabelledImage[]> {
    const images: LabelledImage[] = [];
    for await (const sample of this.samples(libraryId)) images.push({ label: sample.label, png: await this.image(sample), sample });
    return images;
  }

  /** The sample's PNG (the store's `NotFoundError` when it is gone). */
  async image(sample: CharacterSample): Promise<Buffer> {
    return buffer(await this.#store.get(sample.key));
  }
}

function toSample(row: {
  id: string;
  library_id: string;
  item_id: string;
  page_id: string;
  label: string;
  box: Box;
  correction_id: string | null;
  key: string;
  sha256: string;
  width: number;
  height: number;
  created_at: Date;
}): CharacterSample {
  return {
    id: row.id,
    libraryId: row.library_id,
    itemId: row.item_id,
    pageId: row.page_id,
    label: row.label,
    box: row.box,
    correctionId: row.correction_id,
    key: row.key,
    sha256: row.sha256,
    width: row.width,
    height: row.height,
    createdAt: row.created_at,
  };
}

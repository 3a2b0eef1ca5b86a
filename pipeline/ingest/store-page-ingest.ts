import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import {
  ConflictError,
  InvalidInputError,
  type ObjectStore,
} from '../../storage/index.ts';
import {
  createRepositories,
  type Database,
  type IngestedFile,
  type NewPage,
  type PageIngest,
  type ReceivedFile,
} from '../../repository/index.ts';
import { masterKey } from '../../storage/index.ts';
import { SNIFF_HEADER_LENGTH, sniffImageType } from '../stages/sniff-image-type.ts';
import { listTiffPages, type TiffPageInfo } from '../stages/validate.stage.ts';

async function readHeader(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_HEADER_LENGTH);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_HEADER_LENGTH, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The images of the file from their headers (see `listTiffPages`), so that a file the stages
 * cannot process is refused at upload, before anything is stored; the refusal names the file.
 */
async function listImages(file: ReceivedFile): Promise<TiffPageInfo[]> {
  try {
    return await listTiffPages(file.path);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new InvalidInputError(`File "${file.filename}" was not accepted: ${error.message}`, { cause: error, details: error.details });
  }
}

/**
 * Receives an operator's file into an item: checks its real type from its first bytes and
 * its images' headers, stores it unchanged as a master (keyed by sha256, so the same scan is
 * the same object), and creates its pages. A multi-page TIFF is stored once and becomes one
 * page per image.
 */
export class StorePageIngest implements PageIngest {
  readonly #database: Database;
  readonly #store: ObjectStore;

  constructor(database: Database, store: ObjectStore) {
    this.#database = database;
    this.#store = store;
  }

  async ingest(itemId: string, file: ReceivedFile): Promise<IngestedFile> {
    const repositories = createRepositories(this.#database.db);
    const item = await repositories.items.getById(itemId);
    const sniffed = sniffImageType(await readHeader(file.path));
    if (!sniffed.accepted) throw new InvalidInputError(`File "${file.filename}" was not accepted: ${sniffed.reason}`);

    const existing = await repositories.pages.listByMaster(item.id, file.sha256);
    if (existing.length > 0) return this.#duplicate(file, existing.map((page) => page.id));

    const images = await listImages(file);
    if (images.length > 1 && file.seq !== undefined) {
      throw new InvalidInputError(
        `File "${file.filename}" holds ${images.length} pages: leave out "seq" for a multi-page TIFF (its pages go at the end)`,
      );
    }
    const key = masterKey(item.id, file.sha256, sniffed.extension);
    const stored = await this.#store.put(key, createReadStream(file.path), {
      contentType: sniffed.mimeType,
      expectedSha256: file.sha256,
    });

    try {
      const pageIds = await this.#database.db.transaction().execute(async (trx) => {
        const inTransaction = createRepositories(trx);
        await inTransaction.storedObjects.record({
          key,
          sha256: file.sha256,
          size: stored.size,
          contentType: sniffed.mimeType,
          itemId: item.id,
          kind: 'master',
        });
        const first = file.seq ?? (await inTransaction.pages.nextSeq(item.id));
        const base: NewPage = {
          itemId: item.id,
          seq: first,
          masterKey: key,
          masterSha256: file.sha256,
          masterSize: stored.size,
          contentType: sniffed.mimeType,
        };
        const created = [];
        if (images.length > 1) {
          for (const image of images) {
            const { width, height, dpi } = image;
            created.push(await inTransaction.pages.create({ ...base, seq: first + image.page, masterPage: image.page, width, height, dpi }));
          }
        } else {
          created.push(await inTransaction.pages.create(base));
        }
        if (item.status === 'registered') await inTransaction.items.update(item.id, { status: 'uploading' });
        return created.map((page) => page.id);
      });
      return { filename: file.filename, sha256: file.sha256, pageIds, duplicate: false };
    } catch (error) {
      // Two uploads of the same file raced: the other one made the pages.
      if (error instanceof ConflictError) {
        const raced = await repositories.pages.listByMaster(item.id, file.sha256);
        if (raced.length > 0) return this.#duplicate(file, raced.map((page) => page.id));
      }
      throw error;
    }
  }

  #duplicate(file: ReceivedFile, pageIds: string[]): IngestedFile {
    return { filename: file.filename, sha256: file.sha256, pageIds, duplicate: true };
  }
}

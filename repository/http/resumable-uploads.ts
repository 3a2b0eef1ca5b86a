import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { ConflictError, InvalidInputError, isAppError, NotFoundError, type AppError } from '../../storage/index.ts';
import { assertCanChangeLibrary, assertRole } from '../access/access-decision.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { ItemRepository } from '../database/item.repository.ts';
import { statusByErrorCode } from './error-handler.ts';
import type { ReceivedFile } from './ingest.port.ts';

/** Where the tus protocol is spoken: `POST` creates an upload, `HEAD` and `PATCH` go to `/api/uploads/{id}`. */
export const RESUMABLE_UPLOADS_PATH = '/api/uploads';

export interface ResumableUploadsOptions {
  /** Local folder holding the bytes received so far (`{id}`) and each upload's record (`{id}.json`). */
  directory: string;
  maxFileBytes: number;
  /** An upload left unfinished this long is deleted by the sweep. */
  expiryMs: number;
  items: Pick<ItemRepository, 'getById'>;
  logger: Logger;
  /** Stops the expiry sweep. */
  shutdown: AbortSignal;
}

/** A finished upload, ready to become pages. */
export interface CompletedUpload {
  itemId: string;
  /** The sha256 the client declared in the upload's metadata, if it did. */
  declaredSha256?: string;
  file: Omit<ReceivedFile, 'sha256'>;
}

const SHA256 = /^[0-9a-f]{64}$/;
const SEQ = /^[1-9]\d{0,8}$/;
/** Upload ids as the server makes them (16 random bytes, hex): nothing else names a file here. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;

/**
 * Resumable uploads of page scans over the tus 1.0 protocol (https://tus.io/protocols/resumable-upload),
 * served by `@tus/server` into a local folder. A client creates an upload with its length and
 * metadata (`itemId`, `filename`, optionally `sha256` and `seq`), sends the bytes in as many
 * `PATCH` requests as its connection allows, asks `HEAD` where to continue after a drop, and
 * finally hands the finished upload to `POST /api/items/{itemId}/pages`, which checks the
 * sha256 and makes the pages. Keeping that last step separate makes it retryable: it is
 * idempotent, unlike a tus `PATCH` whose answer was lost.
 *
 * The bytes wait on this server's disk, so behind a load balancer the uploads of one client
 * must reach the same server (or share the folder).
 */
export class ResumableUploads {
  readonly router: Router;
  readonly #store: FileStore;
  readonly #directory: string;

  constructor(options: ResumableUploadsOptions) {
    this.#directory = options.directory;
    this.#store = new FileStore({ directory: options.directory, expirationPeriodInMilliseconds: options.expiryMs });
    const server = new Server({
      path: RESUMABLE_UPLOADS_PATH,
      datastore: this.#store,
      maxSize: options.maxFileBytes,
      relativeLocation: true,
      onUploadCreate: async (_req, upload) => ({ metadata: await validateNewUpload(upload, options.items) }),
      onResponseError: (_req, error) => (isAppError(error) ? { status_code: statusByErrorCode[error.code], body: errorBody(error) } : undefined),
    });
    this.router = Router();
    this.router.all([RESUMABLE_UPLOADS_PATH, `${RESUMABLE_UPLOADS_PATH}/:uploadId`], async (req, res) => {
      if (req.method !== 'OPTIONS') await this.#authorize(req, options.items);
      await server.handle(req, res);
    });

    const sweep = setInterval(() => {
      server.cleanUpExpiredUploads().then(
        (removed) => {
          if (removed > 0) options.logger.info({ removed }, 'unfinished uploads expired and were deleted');
        },
        (error: unknown) => options.logger.warn({ err: error }, 'could not sweep expired uploads'),
      );
    }, Math.min(options.expiryMs, 60 * 60 * 1000));
    sweep.unref();
    options.shutdown.addEventListener('abort', () => clearInterval(sweep), { once: true });
  }

  /**
   * The finished upload `id` of `itemId`. `NotFoundError` when no such upload exists (never
   * made, expired, or already turned into pages); `ConflictError` while bytes are missing.
   */
  async completed(id: string, itemId: string): Promise<CompletedUpload> {
    const upload = await this.#find(id);
    const metadata = upload.metadata ?? {};
    if (metadata.itemId !== itemId) {
      throw new ConflictError(`Upload ${id} was made for another document (${metadata.itemId ?? 'none'}), not ${itemId}`);
    }
    if (upload.size === undefined || upload.offset !== upload.size) {
      throw new ConflictError(
        `Upload ${id} ("${metadata.filename ?? ''}") has ${upload.offset} of ${upload.size ?? '?'} bytes: finish sending it, then add it to the document`,
      );
    }
    return {
      itemId,
      declaredSha256: metadata.sha256 ?? undefined,
      file: {
        path: path.join(this.#directory, id),
        filename: metadata.filename ?? 'unnamed',
        size: upload.size,
        seq: metadata.seq ? Number(metadata.seq) : undefined,
      },
    };
  }

  /** The sha256 of the bytes received for a finished upload. */
  async sha256(upload: CompletedUpload): Promise<string> {
    const hash = createHash('sha256');
    await pipeline(createReadStream(upload.file.path), hash);
    return hash.digest('hex');
  }

  /** Deletes an upload's bytes and record; idempotent. */
  async remove(id: string): Promise<void> {
    try {
      await this.#store.remove(id);
    } catch {
      // Already gone: what the caller wanted.
    }
  }

  /** Only staff may upload, and only to documents of their library: the item named at creation, or the one the upload was made for. */
  async #authorize(req: Request, items: Pick<ItemRepository, 'getById'>): Promise<void> {
    const viewer = viewerOf(req);
    assertRole(viewer, ['admin', 'operator'], 'upload page scans');
    const uploadId = req.params.uploadId as string | undefined;
    let itemId: string | undefined;
    if (uploadId === undefined) itemId = metadataValue(req.get('upload-metadata'), 'itemId');
    else if (UPLOAD_ID.test(uploadId)) itemId = (await this.#store.getUpload(uploadId).catch(() => undefined))?.metadata?.itemId ?? undefined;
    if (itemId === undefined) return;
    const item = await items.getById(itemId).catch(() => undefined);
    if (item !== undefined) assertCanChangeLibrary(viewer, item.libraryId, 'upload pages to this document');
  }

  async #find(id: string): Promise<Upload> {
    if (!UPLOAD_ID.test(id)) throw new NotFoundError(`No upload "${id}": upload ids are 32 hexadecimal digits`);
    try {
      return await this.#store.getUpload(id);
    } catch {
      throw new NotFoundError(`No upload ${id}: it was never made, expired unfinished, or was already added to the document`);
    }
  }
}

/**
 * The metadata a new upload must carry. Throws our own errors (`InvalidInputError`, the item's
 * `NotFoundError`): `onResponseError` answers them like every other route.
 */
async function validateNewUpload(upload: Upload, items: Pick<ItemRepository, 'getById'>): Promise<Upload['metadata']> {
  const metadata = upload.metadata ?? {};
  if (upload.sizeIsDeferred || upload.size === undefined) {
    throw new InvalidInputError('Send Upload-Length: the size of a page scan must be known when its upload starts');
  }
  if (!metadata.itemId) throw new InvalidInputError('Upload metadata "itemId" is missing: say which document the page belongs to');
  if (metadata.sha256 && !SHA256.test(metadata.sha256)) {
    throw new InvalidInputError(`Upload metadata "sha256" must be 64 lowercase hexadecimal digits, got "${metadata.sha256}"`);
  }
  if (metadata.seq && !SEQ.test(metadata.seq)) {
    throw new InvalidInputError(`Upload metadata "seq" must be a page number from 1, got "${metadata.seq}"`);
  }
  await items.getById(metadata.itemId);
  return { itemId: metadata.itemId, filename: (metadata.filename ?? 'unnamed').normalize('NFC'), sha256: metadata.sha256 ?? null, seq: metadata.seq ?? null };
}

/** One value of a tus `Upload-Metadata` header (`key base64,key base64`). */
function metadataValue(header: string | undefined, key: string): string | undefined {
  for (const pair of (header ?? '').split(',')) {
    const [name, value] = pair.trim().split(' ');
    if (name === key && value !== undefined) return Buffer.from(value, 'base64').toString('utf8');
  }
  return undefined;
}

function errorBody(error: AppError): string {
  return JSON.stringify({ error: { code: error.code, message: error.message } });
}

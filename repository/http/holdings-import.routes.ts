import busboy from 'busboy';
import { Router, type Request } from 'express';
import { InvalidInputError, NotFoundError, PayloadTooLargeError } from '../../storage/index.ts';
import { assertCanChangeLibrary } from '../access/access-decision.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { Database } from '../database/database.port.ts';
import { importHoldings } from '../stats/import-holdings.ts';

export interface HoldingsImportRoutesDependencies {
  database: Database;
  /** Largest CSV accepted, in bytes; 10 MB unless given. */
  maxBytes?: number;
}

export const HOLDINGS_IMPORT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * `POST /api/collections/:collectionId/holdings[?update=true]`: registers a catalogue export
 * (see `importHoldings`) and answers 200 with `{ imported, updated, skipped, errors, holdingsCount }`.
 * The body is the CSV itself (`Content-Type: text/csv`, UTF-8; a `charset` other than UTF-8 is
 * refused) or `multipart/form-data` with exactly one part named `file`. A BOM is tolerated;
 * bytes that are not UTF-8 refuse the whole request (400), as does a body over the limit (413).
 * `update` is `true` or `false` (default): with `true`, identifiers already registered are
 * updated rather than skipped.
 */
export function holdingsImportRoutes(deps: HoldingsImportRoutesDependencies): Router {
  const maxBytes = deps.maxBytes ?? HOLDINGS_IMPORT_MAX_BYTES;
  const router = Router();

  router.post('/api/collections/:collectionId/holdings', async (req, res) => {
    const update = updateFlag(req.query.update);
    const collectionId = req.params.collectionId as string;
    const collection = await deps.database.db.selectFrom('collections').select(['id', 'library_id']).where('id', '=', collectionId).executeTakeFirst();
    if (!collection) throw new NotFoundError(`Collection '${collectionId}' not found: import holdings into an existing collection`);
    assertCanChangeLibrary(viewerOf(req), collection.library_id, 'import holdings into this collection');
    const bytes = await receiveCsv(req, maxBytes);
    res.json(await importHoldings(deps.database.db, collectionId, decodeUtf8(bytes), { update }));
  });

  return router;
}

/** The `update` query flag of the import routes: `true` or `false` (default). */
export function updateFlag(value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new InvalidInputError('Query "update" must be "true" or "false"');
}

/** UTF-8 text without its BOM; throws `InvalidInputError` for bytes that are not UTF-8. */
function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new InvalidInputError('The CSV is not valid UTF-8: save it as "CSV UTF-8" and send it again', { cause });
  }
}

async function receiveCsv(req: Request, maxBytes: number): Promise<Buffer> {
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const tooLarge = () => new PayloadTooLargeError(`The CSV is larger than ${maxBytes} bytes: split it into several files`);
  if (contentType.startsWith('multipart/form-data')) return receiveMultipartFile(req, maxBytes, tooLarge);
  if (!/^(text\/csv|text\/plain|application\/csv)\s*(;|$)/.test(contentType)) {
    throw new InvalidInputError('Send the catalogue as text/csv (UTF-8), or as multipart/form-data with one "file" part');
  }
  const charset = /;\s*charset="?([^";\s]+)"?/.exec(contentType)?.[1];
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new InvalidInputError(`The CSV must be UTF-8, not ${charset}: save it as "CSV UTF-8" and send it again`);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function receiveMultipartFile(req: Request, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 2, fields: 20, fieldSize: 1024 } });
    } catch (error) {
      reject(new InvalidInputError(`Malformed multipart request: ${(error as Error).message}`));
      return;
    }
    let file: Buffer | undefined;
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure ??= error;
    };
    parser.on('file', (name, stream) => {
      if (name !== 'file' || file !== undefined) {
        fail(new InvalidInputError('Send exactly one part named "file" holding the CSV'));
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(tooLarge()));
      stream.on('end', () => {
        file = Buffer.concat(chunks);
      });
    });
    parser.on('filesLimit', () => fail(new InvalidInputError('Send exactly one part named "file" holding the CSV')));
    parser.on('error', (error: Error) => reject(new InvalidInputError(`Malformed multipart request: ${error.message}`)));
    parser.on('close', () => {
      if (failure !== undefined) reject(failure);
      else if (file === undefined) reject(new InvalidInputError('The request has no part named "file": attach the CSV as "file"'));
      else resolve(file);
    });
    req.pipe(parser);
  });
}

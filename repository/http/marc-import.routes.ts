import busboy from 'busboy';
import { Router, type Request } from 'express';
import type { Readable } from 'node:stream';
import { InvalidInputError, NotFoundError, PayloadTooLargeError } from '../../storage/index.ts';
import { assertCanChangeLibrary } from '../access/access-decision.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { Database } from '../database/database.port.ts';
import { importMarc } from '../marc/import-marc.ts';
import { updateFlag } from './holdings-import.routes.ts';

export interface MarcImportRoutesDependencies {
  database: Database;
  /** Largest file accepted, in bytes; 100 MB unless given. */
  maxBytes?: number;
}

export const MARC_IMPORT_MAX_BYTES = 100 * 1024 * 1024;

/** Media types a MARC file may come as; the content, not the type, says which format it is. */
const RAW_TYPES = /^(application\/(marc|marcxml\+xml|xml|octet-stream)|text\/xml)\s*(;|$)/;

/**
 * `POST /api/collections/:collectionId/marc[?update=true]`: registers the MARC 21 records of a
 * MARCXML or ISO 2709 file (see `importMarc`) and answers 200 with `{ imported, updated,
 * skipped, errors, holdingsCount }`. The body is the file itself (`application/marc`,
 * `application/marcxml+xml`, `application/xml`, `text/xml` or `application/octet-stream`) or
 * `multipart/form-data` whose first file part is named `file`. The body is read as a stream,
 * never whole: a body over the limit stops the import with 413 (batches written before stay).
 */
export function marcImportRoutes(deps: MarcImportRoutesDependencies): Router {
  const maxBytes = deps.maxBytes ?? MARC_IMPORT_MAX_BYTES;
  const router = Router();

  router.post('/api/collections/:collectionId/marc', async (req, res) => {
    const update = updateFlag(req.query.update);
    const collectionId = req.params.collectionId as string;
    const collection = await deps.database.db.selectFrom('collections').select(['id', 'library_id']).where('id', '=', collectionId).executeTakeFirst();
    if (!collection) throw new NotFoundError(`Collection '${collectionId}' not found: import MARC records into an existing collection`);
    assertCanChangeLibrary(viewerOf(req), collection.library_id, 'import MARC records into this collection');
    res.json(await importMarc(deps.database.db, collectionId, marcFileChunks(req, maxBytes), { update }));
  });

  return router;
}

/** The bytes of the MARC file as they arrive, whether the body is the file or a multipart form. */
async function* marcFileChunks(req: Request, maxBytes: number): AsyncGenerator<Buffer> {
  const tooLarge = () => new PayloadTooLargeError(`The MARC file is larger than ${maxBytes} bytes: split it into several files`);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge();
  }
  if (contentType.startsWith('multipart/form-data')) {
    yield* await multipartFile(req, maxBytes, tooLarge);
    return;
  }
  if (!RAW_TYPES.test(contentType)) {
    req.resume();
    throw new InvalidInputError('Send the MARC file as application/marc, application/marcxml+xml or application/octet-stream, or as multipart/form-data with one "file" part');
  }
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      throw tooLarge();
    }
    yield chunk;
  }
}

/** The stream of the first file part, which must be named `file`; it fails with `tooLarge` past the limit. */
function multipartFile(req: Request, maxBytes: number, tooLarge: () => Error): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 1024 } });
    } catch (error) {
      reject(new InvalidInputError(`Malformed multipart request: ${(error as Error).message}`));
      return;
    }
    let file: Readable | undefined;
    parser.on('file', (name, stream) => {
      if (name !== 'file') {
        stream.resume();
        reject(new InvalidInputError(`The file part is named "${name}": name it "file"`));
        return;
      }
      file = stream;
      stream.on('limit', () => stream.destroy(tooLarge()));
      resolve(stream);
    });
    parser.on('error', (error: Error) => {
      const failure = new InvalidInputError(`Malformed multipart request: ${error.message}`);
      if (file === undefined) reject(failure);
      else file.destroy(failure);
    });
    parser.on('close', () => reject(new InvalidInputError('The request has no part named "file": attach the MARC file as "file"')));
    req.pipe(parser);
  });
}

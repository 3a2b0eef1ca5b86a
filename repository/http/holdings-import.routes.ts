import { Router, type Request } from 'express';
import { InvalidInputError, NotFoundError } from '../../storage/index.ts';
import { assertCanChangeLibrary } from '../access/access-decision.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { Database } from '../database/database.port.ts';
import { importHoldings } from '../stats/import-holdings.ts';
import { receiveUploadedFile } from './uploaded-file.ts';

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

/** The CSV's bytes (a CSV is parsed whole, so it is read whole, up to the limit). */
async function receiveCsv(req: Request, maxBytes: number): Promise<Buffer> {
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const charset = /;\s*charset="?([^";\s]+)"?/.exec(contentType)?.[1];
  if (!contentType.startsWith('multipart/form-data') && charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    req.resume();
    throw new InvalidInputError(`The CSV must be UTF-8, not ${charset}: save it as "CSV UTF-8" and send it again`);
  }
  return receiveUploadedFile(req, {
    maxBytes,
    what: 'CSV',
    rawTypes: /^(text\/csv|text\/plain|application\/csv)\s*(;|$)/,
    wrongType: 'Send the catalogue as text/csv (UTF-8), or as multipart/form-data with one "file" part',
  });
}

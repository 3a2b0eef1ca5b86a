import { Router } from 'express';
import { NotFoundError } from '../../storage/index.ts';
import { assertCanChangeLibrary } from '../access/access-decision.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { Database } from '../database/database.port.ts';
import { importMarc } from '../marc/import-marc.ts';
import { updateFlag } from './holdings-import.routes.ts';
import { uploadedFileChunks } from './uploaded-file.ts';

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
    res.json(
      await importMarc(
        deps.database.db,
        collectionId,
        uploadedFileChunks(req, {
          maxBytes,
          what: 'MARC file',
          rawTypes: RAW_TYPES,
          wrongType: 'Send the MARC file as application/marc, application/marcxml+xml or application/octet-stream, or as multipart/form-data with one "file" part',
        }),
        { update },
      ),
    );
  });

  return router;
}

import { Router } from 'express';
import { assertCanChangeLibrary, assertRole } from '../access/access-decision.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { Database } from '../database/database.port.ts';
import { createRepositories } from '../database/repositories.ts';
import type { FixityAuditor } from '../fixity/fixity-auditor.ts';
import { FixityCheckRepository, type CollectionFixity } from '../fixity/fixity-check.repository.ts';
import { formatCsv } from '../stats/format-csv.ts';

export interface FixityRoutesDependencies {
  database: Database;
  auditor: FixityAuditor;
}

/**
 * Fixity for library staff:
 * - `POST /api/items/:id/fixity`: audits every object of the document now → `{ checked, bytes, failures }`
 *   (administrators, and operators of the document's library);
 * - `GET /api/reports/fixity` → `{ failures, collections }`: the objects failing their last
 *   audit, and per collection the last audit (objects, unchecked, failing, oldest and newest check);
 * - `GET /api/reports/fixity.csv`: the per-collection part as CSV.
 */
export function fixityRoutes(deps: FixityRoutesDependencies): Router {
  const router = Router();
  const checks = new FixityCheckRepository(deps.database.db);

  router.post('/api/items/:id/fixity', async (req, res) => {
    const item = await createRepositories(deps.database.db).items.getById(req.params.id);
    assertCanChangeLibrary(viewerOf(req), item.libraryId, 'audit the fixity of this document');
    res.set('Cache-Control', 'no-store').json(await deps.auditor.auditItem(item.id));
  });

  router.get('/api/reports/fixity', async (req, res) => {
    assertRole(viewerOf(req), ['admin', 'operator'], 'read the fixity report');
    const [failures, collections] = await Promise.all([checks.failures(), checks.reportByCollection()]);
    res.set('Cache-Control', 'no-store').json({ failures, collections });
  });

  router.get('/api/reports/fixity.csv', async (req, res) => {
    assertRole(viewerOf(req), ['admin', 'operator'], 'read the fixity report');
    res
      .status(200)
      .set({ 'Content-Type': 'text/csv; charset=utf-8; header=present', 'Content-Disposition': 'attachment; filename="bao-cao-toan-ven.csv"', 'Cache-Control': 'no-store' })
      .send(Buffer.from(fixityReportCsv(await checks.reportByCollection()), 'utf8'));
  });

  return router;
}

function fixityReportCsv(collections: readonly CollectionFixity[]): string {
  const day = (date: Date | null) => (date === null ? '' : date.toISOString());
  return formatCsv([
    ['library', 'collection', 'objects', 'unchecked', 'failing', 'oldest_check', 'newest_check'],
    ...collections.map((row) => [row.libraryName, row.collectionTitle, String(row.objects), String(row.unchecked), String(row.failing), day(row.oldestCheck), day(row.newestCheck)]),
  ]);
}

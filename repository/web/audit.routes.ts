import { Router, type Request } from 'express';
import { AuditLogRepository, type AuditEntry } from '../auth/audit-log.repository.ts';
import type { Database } from '../database/database.port.ts';
import { formatCsv } from '../stats/format-csv.ts';
import { UTF8_BOM } from '../stats/progress-report-csv.ts';
import { pageContext } from './page-context.ts';
import { sendPage } from './page-response.ts';
import { requirePageRole } from './require-page-role.ts';
import { auditView } from './views/audit.view.ts';

const PAGE_LIMIT = 200;
const CSV_LIMIT = 100_000;

/**
 * The audit log for administrators: `GET /quan-tri/nhat-ky[?action=]` shows the newest lines,
 * `GET /quan-tri/nhat-ky.csv[?action=&since=YYYY-MM-DD]` exports them (UTF-8 with BOM, for
 * spreadsheets), newest first.
 */
export function auditRoutes(deps: { database: Database }): Router {
  const router = Router();
  const audit = () => new AuditLogRepository(deps.database.db);
  const adminOnly = requirePageRole(['admin']);

  router.get('/quan-tri/nhat-ky', adminOnly, async (req, res) => {
    const action = filterValue(req);
    const entries = await audit().list({ limit: PAGE_LIMIT, action });
    sendPage(res, 200, auditView(pageContext(req, res), { entries, action, limit: PAGE_LIMIT }));
  });

  router.get('/quan-tri/nhat-ky.csv', adminOnly, async (req, res) => {
    const since = typeof req.query.since === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(req.query.since) ? new Date(`${req.query.since}T00:00:00+07:00`) : undefined;
    const entries = await audit().list({ limit: CSV_LIMIT, action: filterValue(req), since });
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', 'attachment; filename="nhat-ky-truy-cap.csv"')
      .send(UTF8_BOM + formatCsv([CSV_HEADER, ...entries.map(csvRow)]));
  });

  return router;
}

const CSV_HEADER = ['at', 'actor', 'via', 'action', 'target_type', 'target_id', 'outcome', 'ip', 'detail'];

function csvRow(entry: AuditEntry): string[] {
  return [
    entry.at.toISOString(),
    entry.actorName,
    entry.actorVia,
    entry.action,
    entry.targetType ?? '',
    entry.targetId ?? '',
    entry.outcome,
    entry.ip ?? '',
    JSON.stringify(entry.detail),
  ];
}

function filterValue(req: Request): string | undefined {
  const value = req.query.action;
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 100) : undefined;
}

import type { Logger } from 'pino';
import { FixityAuditor, StoredObjectRepository, type Database, type FixityOutcome } from '../../repository/index.ts';
import type { ObjectStore } from '../../storage/index.ts';

export interface AuditSummary {
  /** Rows of the ledger. */
  recorded: number;
  checked: number;
  bytes: number;
  failures: number;
  /** The first failures; the auditor logs and records every one. */
  failureExamples: { key: string; outcome: FixityOutcome }[];
}

/** Objects per audit run: bounded memory, whatever the ledger's size. */
const BATCH = 1000;
const EXAMPLES = 20;

/**
 * The fixity audit of every object of the ledger, unthrottled: each one is read back from the
 * store and compared with its recorded sha256 (a missing object is a failure). Each run takes
 * the most overdue objects, and the ones just checked become the least overdue, so
 * consecutive runs cover the ledger once.
 */
export async function auditAllObjects(database: Database, store: ObjectStore, logger: Logger): Promise<AuditSummary> {
  const { total: recorded } = await new StoredObjectRepository(database.db).list({ limit: 1 });
  const auditor = new FixityAuditor({ database, store, logger, bytesPerSecond: 0 });
  const summary: AuditSummary = { recorded, checked: 0, bytes: 0, failures: 0, failureExamples: [] };
  while (summary.checked < recorded) {
    const run = await auditor.auditDue(Math.min(BATCH, recorded - summary.checked));
    if (run.checked === 0) break;
    summary.checked += run.checked;
    summary.bytes += run.bytes;
    summary.failures += run.failures.length;
    for (const failure of run.failures.slice(0, EXAMPLES - summary.failureExamples.length)) {
      summary.failureExamples.push({ key: failure.key, outcome: failure.outcome });
    }
  }
  return summary;
}

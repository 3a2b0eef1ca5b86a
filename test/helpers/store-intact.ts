import type { ExecutionContext } from 'ava';
import { pino } from 'pino';
import { FixityAuditor } from '../../repository/index.ts';
import type { Database } from '../../repository/index.ts';
import { RECORDS_PREFIX, type ObjectStore } from '../../storage/index.ts';

/**
 * Nothing lost, nothing duplicated, nothing corrupt: every object the ledger records reads
 * back with its sha256 (a full fixity audit), and the store holds no object outside the ledger
 * (so no partial or orphaned write; the catalogue's records are not in the ledger by design),
 * on either adapter.
 */
export async function assertStoreIntact(t: ExecutionContext, services: { database: Database; store: ObjectStore }): Promise<void> {
  const { database, store } = services;
  const recorded = await database.db.selectFrom('stored_objects').select('key').execute();
  const auditor = new FixityAuditor({ database, store, logger: pino({ level: 'silent' }), bytesPerSecond: 0 });
  const audit = await auditor.auditDue(recorded.length + 1);
  t.deepEqual(audit.failures, [], 'every recorded object reads back intact');
  const stored: string[] = [];
  for await (const object of store.listAll('')) if (!object.key.startsWith(RECORDS_PREFIX)) stored.push(object.key);
  t.deepEqual(stored.sort(), recorded.map((row) => row.key).sort(), 'the store holds exactly the recorded objects');
}

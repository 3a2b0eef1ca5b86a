import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { isAppError, type ObjectStore } from '../../storage/index.ts';
import { AuditLogRepository } from '../auth/audit-log.repository.ts';
import type { Database } from '../database/database.port.ts';
import type { StoredObject } from '../database/domain.types.ts';
import { createRepositories } from '../database/repositories.ts';
import { FixityCheckRepository, type FixityResult } from './fixity-check.repository.ts';
import { ByteRate } from './byte-rate.ts';

export interface FixityAuditorOptions {
  database: Database;
  store: ObjectStore;
  logger: Logger;
  /** Most bytes read per second by all audits of this process; ≤ 0 for no limit. */
  bytesPerSecond: number;
}

/** What one audit run found. */
export interface FixityRun {
  checked: number;
  bytes: number;
  failures: FixityResult[];
}

/**
 * The fixity audit (DSpace's checksum checker, Archivematica's fixity): re-reads stored
 * objects, hashes them again and compares with the sha256 recorded when they were written.
 * Every result is kept (`fixity_checks`); a failure (changed bytes, missing object, read
 * error) is also logged and written to the audit log naming the object.
 */
export class FixityAuditor {
  readonly #options: FixityAuditorOptions;
  readonly #checks: FixityCheckRepository;
  readonly #audit: AuditLogRepository;
  readonly #rate: ByteRate;

  constructor(options: FixityAuditorOptions) {
    this.#options = options;
    this.#checks = new FixityCheckRepository(options.database.db);
    this.#audit = new AuditLogRepository(options.database.db);
    this.#rate = new ByteRate(options.bytesPerSecond);
  }

  /** Audits every object of one document now (the on-demand audit). Throws `NotFoundError` for an unknown document. */
  async auditItem(itemId: string): Promise<FixityRun> {
    const repositories = createRepositories(this.#options.database.db);
    await repositories.items.getById(itemId);
    return this.#run(await repositories.storedObjects.listByItem(itemId));
  }

  /** Audits the `limit` objects whose audit is most overdue (the scheduled audit); stops between two objects when `signal` aborts. */
  async auditDue(limit: number, signal?: AbortSignal): Promise<FixityRun> {
    return this.#run(await this.#checks.due(limit), signal);
  }

  async #run(objects: readonly StoredObject[], signal?: AbortSignal): Promise<FixityRun> {
    const run: FixityRun = { checked: 0, bytes: 0, failures: [] };
    for (const object of objects) {
      if (signal?.aborted === true) break;
      const result = await this.check(object);
      await this.#checks.record(result);
      run.checked += 1;
      run.bytes += result.actualSize ?? 0;
      if (result.outcome !== 'ok') {
        run.failures.push(result);
        await this.#reportFailure(result);
      }
    }
    return run;
  }

  /** Reads one object back and compares its sha256 and size with the record. */
  async check(object: Pick<StoredObject, 'key' | 'sha256' | 'size' | 'itemId'>): Promise<FixityResult> {
    const base = { key: object.key, itemId: object.itemId, expectedSha256: object.sha256 };
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of await this.#options.store.get(object.key)) {
        const bytes = chunk as Buffer;
        await this.#rate.take(bytes.length);
        hash.update(bytes);
        size += bytes.length;
      }
    } catch (error) {
      const missing = isAppError(error) && error.code === 'NOT_FOUND';
      return { ...base, outcome: missing ? 'missing' : 'unreadable', actualSha256: null, actualSize: null, detail: missing ? null : (error as Error).message, checkedAt: new Date() };
    }
    const actualSha256 = hash.digest('hex');
    const intact = actualSha256 === object.sha256 && size === object.size;
    return { ...base, outcome: intact ? 'ok' : 'mismatch', actualSha256, actualSize: size, detail: null, checkedAt: new Date() };
  }

  async #reportFailure(result: FixityResult): Promise<void> {
    this.#options.logger.error({ key: result.key, itemId: result.itemId, outcome: result.outcome, expected: result.expectedSha256, actual: result.actualSha256 }, `fixity audit: ${result.key} is ${result.outcome}`);
    await this.#audit.record({
      viewer: 'system',
      action: 'fixity.failure',
      target: { type: 'object', id: result.key },
      outcome: 'failed',
      detail: { outcome: result.outcome, itemId: result.itemId, expectedSha256: result.expectedSha256, actualSha256: result.actualSha256, actualSize: result.actualSize, detail: result.detail },
    });
  }
}

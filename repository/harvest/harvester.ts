import type { Logger } from 'pino';
import { UpstreamError } from '../../storage/index.ts';
import type { Database } from '../database/database.port.ts';
import { chooseMetadataFormat, type MetadataSyntax } from './choose-metadata-format.ts';
import { HarvestedRecordRepository, type StorableRecord } from './harvested-record.repository.ts';
import { HarvestSourceRepository, type HarvestSource } from './harvest-source.repository.ts';
import { oaiRequest } from './oai-client.ts';
import type { OaiResponse } from './parse-oai-response.ts';

export interface HarvesterOptions {
  database: Database;
  logger: Logger;
  /** Longest wait for one OAI-PMH response. */
  requestTimeoutMs: number;
  /** Aborted when the server stops: harvests in progress (on demand too) stop at their next request. */
  shutdown?: AbortSignal;
}

/** What one harvest of one source did. */
export interface HarvestRun {
  sourceId: string;
  /** The `from` sent; null for a full harvest. */
  from: string | null;
  /** The format asked for, as the source names it (`marcxml`, `marc21`, `oai_dc`). */
  metadataPrefix: string;
  harvested: number;
  deleted: number;
  /** Records left out because their metadata could not be read (each logged with its reason). */
  skipped: number;
  pages: number;
  recordCount: number;
}

/**
 * `from` for the next incremental harvest: a second before the source's clock read when the last
 * successful one started (a record changed in that very second is fetched again rather than
 * missed), at the granularity the source announced in Identify.
 */
export function nextFrom(lastSuccessFrom: string | null, granularity: 'day' | 'seconds'): string | null {
  if (lastSuccessFrom === null) return null;
  const instant = new Date(Date.parse(lastSuccessFrom) - 1000);
  if (Number.isNaN(instant.getTime())) return null;
  return granularity === 'day' ? instant.toISOString().slice(0, 10) : `${instant.toISOString().slice(0, 19)}Z`;
}

/**
 * Harvests OAI-PMH sources into `harvested_records`: Identify (granularity, the source's clock),
 * ListMetadataFormats (MARC 21 when offered, else `oai_dc`: see `chooseMetadataFormat`), then
 * ListRecords page by page through resumption tokens, each page stored before the next is
 * fetched (memory is one page). Incremental from the last success, unless the format differs
 * from that success's: then full, so what is held is never a silent mix of two. A harvest that
 * fails keeps what earlier pages stored, records the error on the source and is retried whole
 * from the same `from` next time. Two calls for one source share one run.
 */
export class Harvester {
  private readonly sources: HarvestSourceRepository;
  private readonly records: HarvestedRecordRepository;
  private readonly options: HarvesterOptions;
  private readonly running = new Map<string, Promise<HarvestRun>>();

  constructor(options: HarvesterOptions) {
    this.options = options;
    this.sources = new HarvestSourceRepository(options.database.db);
    this.records = new HarvestedRecordRepository(options.database.db);
  }

  /** Harvests one source now; throws (after storing it on the source) what made it fail. */
  harvest(sourceId: string, signal?: AbortSignal): Promise<HarvestRun> {
    let run = this.running.get(sourceId);
    if (run === undefined) {
      const signals = [signal, this.options.shutdown].filter((s): s is AbortSignal => s !== undefined);
      run = this.run(sourceId, signals.length === 0 ? undefined : AbortSignal.any(signals)).finally(() => this.running.delete(sourceId));
      this.running.set(sourceId, run);
    }
    return run;
  }

  /** Harvests each due source in turn; a failing source is logged and the others go on. */
  async harvestDue(signal?: AbortSignal): Promise<{ harvested: number; failed: number }> {
    let harvested = 0;
    let failed = 0;
    for (const source of await this.sources.due()) {
      if (signal?.aborted === true) break;
      try {
        await this.harvest(source.id, signal);
        harvested += 1;
      } catch {
        failed += 1;
      }
    }
    return { harvested, failed };
  }

  private async run(sourceId: string, signal?: AbortSignal): Promise<HarvestRun> {
    const source = await this.sources.getById(sourceId);
    const logger = this.options.logger.child({ harvestSource: source.id, baseUrl: source.baseUrl });
    const startedAt = new Date();
    await this.sources.markAttempt(source.id, startedAt);
    let from: string | null = null;
    try {
      const request = (parameters: Record<string, string>, syntax: MetadataSyntax = 'oai_dc') =>
        oaiRequest(source.baseUrl, parameters, { timeoutMs: this.options.requestTimeoutMs, signal, syntax });
      const identify = await request({ verb: 'Identify' });
      throwOnErrors(source, identify);
      const offered = await request({ verb: 'ListMetadataFormats' });
      throwOnErrors(source, offered);
      const format = chooseMetadataFormat(offered.metadataFormats);
      const switched = source.lastSuccessFrom !== null && source.metadataPrefix !== format.prefix;
      if (switched) logger.info({ previous: source.metadataPrefix, metadataPrefix: format.prefix }, 'the source offers another format than last time: harvesting it all again in that one');
      from = switched ? null : nextFrom(source.lastSuccessFrom, identify.granularity ?? 'seconds');
      const run: HarvestRun = { sourceId: source.id, from, metadataPrefix: format.prefix, harvested: 0, deleted: 0, skipped: 0, pages: 0, recordCount: 0 };
      let parameters: Record<string, string> = {
        verb: 'ListRecords',
        metadataPrefix: format.prefix,
        ...(source.setSpec === null ? {} : { set: source.setSpec }),
        ...(from === null ? {} : { from }),
      };
      for (;;) {
        const page = await request(parameters, format.syntax);
        // §3.6: noRecordsMatch is the answer of a source with nothing new — a success.
        if (page.errors.some((error) => error.code === 'noRecordsMatch')) break;
        throwOnErrors(source, page);
        const storable: StorableRecord[] = [];
        for (const record of page.records) {
          if (record.kind !== 'malformed') storable.push(record);
          else logger.warn({ identifier: record.identifier, metadataPrefix: format.prefix, reason: record.reason }, 'harvested record skipped: its metadata cannot be read');
        }
        run.skipped += page.records.length - storable.length;
        const counts = await this.records.apply(source.id, format.prefix, storable);
        run.harvested += counts.harvested;
        run.deleted += counts.deleted;
        run.pages += 1;
        if (page.resumptionToken === undefined) break;
        parameters = { verb: 'ListRecords', resumptionToken: page.resumptionToken };
      }
      await this.sources.markSuccess(source.id, { startedAt, requestFrom: from, harvested: run.harvested, deleted: run.deleted, responseDate: identify.responseDate, metadataPrefix: format.prefix });
      run.recordCount = (await this.sources.getById(source.id)).recordCount;
      logger.info({ from, metadataPrefix: format.prefix, harvested: run.harvested, deleted: run.deleted, skipped: run.skipped, pages: run.pages, records: run.recordCount }, 'harvest finished');
      return run;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.sources.markFailure(source.id, from, message);
      logger.warn({ err: error, from }, 'harvest failed; the error is stored on the source and the next harvest tries again');
      throw error;
    }
  }
}

function throwOnErrors(source: HarvestSource, response: OaiResponse): void {
  const error = response.errors[0];
  if (error === undefined) return;
  throw new UpstreamError(`${source.baseUrl} refused the request: ${error.code} (${error.message}); check the source's settings (set, metadata format)`);
}

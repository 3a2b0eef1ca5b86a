import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../storage/index.ts';
import { translateDatabaseError } from '../database/database-errors.ts';
import type { DatabaseSchema, HarvestSourceTable } from '../database/schema.ts';
import { definedOnly, newId, parseInput, text } from '../database/validation.ts';

/** A remote OAI-PMH repository and how its last harvests went. */
export interface HarvestSource {
  id: string;
  name: string;
  baseUrl: string;
  metadataPrefix: string;
  setSpec: string | null;
  enabled: boolean;
  intervalMinutes: number;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastSuccessFrom: string | null;
  lastRequestFrom: string | null;
  lastError: string | null;
  lastHarvested: number;
  lastDeleted: number;
  recordCount: number;
}

const baseUrl = z
  .string()
  .trim()
  .url('must be a URL such as http://thuvien.example.vn/oai')
  // zod runs these even when `.url()` refused the value: only a parsable URL is looked into.
  .refine((value) => !URL.canParse(value) || /^https?:$/u.test(new URL(value).protocol), 'must be an http or https URL')
  .refine((value) => !URL.canParse(value) || new URL(value).search === '', 'must be the OAI-PMH base URL, without a query (?verb=… is added by the harvester)');

const newSourceSchema = z.strictObject({
  name: text(200),
  baseUrl,
  setSpec: text(200).nullable().optional(),
  enabled: z.boolean().optional(),
  intervalMinutes: z.number().int('must be a whole number').min(1, 'must be at least 1').max(525_600).optional(),
});
const patchSchema = newSourceSchema.partial();

export type NewHarvestSource = z.input<typeof newSourceSchema>;
export type HarvestSourcePatch = z.input<typeof patchSchema>;

/** What one finished harvest changed on its source. */
export interface HarvestOutcome {
  startedAt: Date;
  requestFrom: string | null;
  harvested: number;
  deleted: number;
}

/** The `harvest_sources` table: sources, their settings and the outcome of their last harvest. */
export class HarvestSourceRepository {
  private readonly db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.db = db;
  }

  async create(input: unknown): Promise<HarvestSource> {
    const value = parseInput(newSourceSchema, input, 'harvest source');
    const row = await this.db
      .insertInto('harvest_sources')
      .values({ id: newId(), name: value.name, base_url: value.baseUrl, set_spec: value.setSpec ?? null, enabled: value.enabled, interval_minutes: value.intervalMinutes })
      .onConflict((oc) => oc.column('base_url').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) {
      throw new ConflictError(`A harvest source with the base URL ${value.baseUrl} exists already: change that one instead`, { details: { field: 'baseUrl' } });
    }
    return present(row);
  }

  async list(): Promise<HarvestSource[]> {
    return (await this.db.selectFrom('harvest_sources').selectAll().orderBy('name').orderBy('id').execute()).map(present);
  }

  async getById(id: string): Promise<HarvestSource> {
    const row = await this.db.selectFrom('harvest_sources').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No harvest source ${id}: list them with GET /api/harvest-sources`);
    return present(row);
  }

  async update(id: string, input: unknown): Promise<HarvestSource> {
    const value = parseInput(patchSchema, input, 'harvest source change');
    const changes = definedOnly({ name: value.name, base_url: value.baseUrl, set_spec: value.setSpec, enabled: value.enabled, interval_minutes: value.intervalMinutes });
    // Another set or URL is another list of records: the next harvest starts from scratch.
    const restart = value.baseUrl !== undefined || value.setSpec !== undefined ? { last_success_from: null } : {};
    const row = await this.db
      .updateTable('harvest_sources')
      .set({ ...changes, ...restart, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
      .catch((error: unknown) => {
        throw translateDatabaseError(error, {
          harvest_sources_base_url_key: (_fields, cause) => new ConflictError(`Another harvest source has the base URL ${value.baseUrl ?? ''}: change that one instead`, { cause, details: { field: 'baseUrl' } }),
        });
      });
    if (row === undefined) throw new NotFoundError(`No harvest source ${id}: list them with GET /api/harvest-sources`);
    return present(row);
  }

  /**
   * Removes the source and, by the foreign key's cascade in the same statement, every record
   * harvested from it, so the union never shows a holder that is no longer configured.
   */
  async delete(id: string): Promise<{ name: string; records: number }> {
    return this.db.transaction().execute(async (trx) => {
      const { records } = await trx
        .selectFrom('harvested_records')
        .select((eb) => eb.fn.countAll<number>().as('records'))
        .where('source_id', '=', id)
        .executeTakeFirstOrThrow();
      const row = await trx.deleteFrom('harvest_sources').where('id', '=', id).returning('name').executeTakeFirst();
      if (row === undefined) throw new NotFoundError(`No harvest source ${id}: list them with GET /api/harvest-sources`);
      return { name: row.name, records: Number(records) };
    });
  }

  /**
   * The records held now per source id (sources without any are absent): `recordCount` is
   * written by a successful harvest only, and a failed one may have stored some pages.
   */
  async heldRecordCounts(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('harvested_records')
      .select(['source_id', (eb) => eb.fn.countAll<number>().as('records')])
      .groupBy('source_id')
      .execute();
    return new Map(rows.map((row) => [row.source_id, Number(row.records)]));
  }

  /** Enabled sources whose interval has passed since their last attempt (or never tried). */
  async due(): Promise<HarvestSource[]> {
    const rows = await this.db
      .selectFrom('harvest_sources')
      .selectAll()
      .where('enabled', '=', true)
      .where((eb) => eb.or([eb('last_attempt_at', 'is', null), eb(sql`last_attempt_at + interval_minutes * interval '1 minute'`, '<=', sql`now()`)]))
      .orderBy('last_attempt_at', (ob) => ob.asc().nullsFirst())
      .execute();
    return rows.map(present);
  }

  async markAttempt(id: string, at: Date): Promise<void> {
    await this.db.updateTable('harvest_sources').set({ last_attempt_at: at }).where('id', '=', id).execute();
  }

  /** Also keeps the run's `metadataPrefix`: the format of what is held, which the next incremental harvest must use. */
  async markSuccess(id: string, outcome: HarvestOutcome & { responseDate: string; metadataPrefix: string }): Promise<void> {
    await this.db
      .updateTable('harvest_sources')
      .set({
        metadata_prefix: outcome.metadataPrefix,
        last_success_at: outcome.startedAt,
        last_success_from: outcome.responseDate,
        last_request_from: outcome.requestFrom,
        last_error: null,
        last_harvested: outcome.harvested,
        last_deleted: outcome.deleted,
        record_count: sql<number>`(select count(*)::int from harvested_records where source_id = ${id})`,
      })
      .where('id', '=', id)
      .execute();
  }

  async markFailure(id: string, requestFrom: string | null, message: string): Promise<void> {
    await this.db.updateTable('harvest_sources').set({ last_error: message, last_request_from: requestFrom }).where('id', '=', id).execute();
  }
}

function present(row: Selectable<HarvestSourceTable>): HarvestSource {
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.base_url,
    metadataPrefix: row.metadata_prefix,
    setSpec: row.set_spec,
    enabled: row.enabled,
    intervalMinutes: row.interval_minutes,
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    lastSuccessFrom: row.last_success_from,
    lastRequestFrom: row.last_request_from,
    lastError: row.last_error,
    lastHarvested: row.last_harvested,
    lastDeleted: row.last_deleted,
    recordCount: row.record_count,
  };
}

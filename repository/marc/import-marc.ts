import { sql, type Kysely, type Transaction } from 'kysely';
import { NotFoundError } from '../../storage/index.ts';
import { translateDatabaseError } from '../database/database-errors.ts';
import { DUBLIN_CORE_ELEMENTS } from '../database/domain.types.ts';
import type { DatabaseSchema, MarcInJson } from '../database/schema.ts';
import { newId } from '../database/validation.ts';
import { HOLDINGS_FIELD_LIMITS } from '../stats/import-holdings.ts';
import { raiseHoldingsCount } from '../stats/raise-holdings-count.ts';
import { marcItemIdentifier } from './marc-item-identifier.ts';
import { marcToDublinCore, type MarcDescription } from './marc-to-dublin-core.ts';
import { readMarcRecords, type MarcReadProblem } from './read-marc-records.ts';

export interface MarcImportOptions {
  /** Replace the catalogue description of identifiers already in the collection instead of skipping them. */
  update?: boolean;
}

/** What a MARC import did, record by record (`record` is the 1-based position in the file). */
export interface MarcImportResult {
  /** New items registered. */
  imported: number;
  /** Existing items whose description and MARC record were replaced (only with `update`). */
  updated: number;
  /** Records not applied though readable. `identifier` is absent when it could not be worked out (MARC-8). */
  skipped: { record: number; identifier?: string; controlNumber?: string; reason: string; code: MarcSkipCode }[];
  /** Records that could not be read or are invalid; they never stop the rest of the file. */
  errors: { record: number; controlNumber?: string; reason: string; problems: MarcProblem[] }[];
  /** The collection's holdings count after the import. */
  holdingsCount: number;
}

export type MarcSkipCode = 'repeated-in-file' | 'already-registered' | 'marc-8' | 'not-bibliographic';

export type MarcProblem =
  | MarcReadProblem
  | { code: 'title-missing' | 'identifier-missing' }
  | { code: 'too-long'; field: string; length: number; limit: number }
  | { code: 'too-many-values'; field: string; count: number; limit: number };

interface MarcItem {
  position: number;
  controlNumber?: string;
  identifier: string;
  description: MarcDescription;
  record: MarcInJson;
}

const BATCH = 500;
/** As the item repository's Dublin Core input: 4000 characters a value, 200 values an element. */
const DC_VALUE_LIMIT = 4000;
const DC_VALUES_LIMIT = 200;
/** Leader/06 of authority (z), holdings (u v x y), classification (w) and community (q) records. */
const NOT_BIBLIOGRAPHIC = new Set(['z', 'u', 'v', 'x', 'y', 'w', 'q']);

/**
 * Registers the MARC 21 bibliographic records of a file (MARCXML or ISO 2709, told apart by
 * content; see `readMarcRecords`) as items of a collection, status `registered`, like
 * `importHoldings` does for a CSV. Each item gets the identifier of `marcItemIdentifier`
 * (call number, else `MARC-<001>`), the title, language and Dublin Core of
 * `marcToDublinCore`, and the record itself as MARC-in-JSON (`items.marc_record`).
 *
 * The file is read as a stream and written in batches of 500 records, each in its own
 * transaction ending, as `importHoldings`, by raising the holdings count to the number of
 * items: memory stays that of one batch whatever the file's size. A failure after some
 * batches leaves them imported; sending the file again skips (or with `update` updates) them.
 *
 * An identifier already in the collection is skipped, or with `update` gets the record's
 * title, language (when the record has one), MARC record, and the Dublin Core elements the
 * record gives (elements it does not give, e.g. rights added by an operator, are kept).
 * Throws `NotFoundError` for an unknown collection, `InvalidInputError` for a file that is
 * empty or neither format.
 */
export async function importMarc(
  db: Kysely<DatabaseSchema>,
  collectionId: string,
  chunks: AsyncIterable<Buffer>,
  options: MarcImportOptions = {},
): Promise<MarcImportResult> {
  const collection = await run(() => db.selectFrom('collections').select('holdings_count').where('id', '=', collectionId).executeTakeFirst());
  if (!collection) throw new NotFoundError(`Collection '${collectionId}' not found: import MARC records into an existing collection`);
  const result: MarcImportResult = { imported: 0, updated: 0, skipped: [], errors: [], holdingsCount: collection.holdings_count };
  // Identifiers only, not records: a million short strings is a few tens of MB.
  const seen = new Set<string>();
  let batch: MarcItem[] = [];

  for await (const outcome of readMarcRecords(chunks)) {
    const { position } = outcome;
    if (outcome.kind === 'broken') {
      result.errors.push({ record: position, ...known(outcome.controlNumber), reason: outcome.reason, problems: [outcome.problem] });
      continue;
    }
    if (outcome.kind === 'marc-8') {
      result.skipped.push({
        record: position,
        ...known(outcome.controlNumber),
        reason: 'encoded in MARC-8 (leader/09 blank), which cannot be converted: export the records in UTF-8 (MARC 21 Unicode) and send them again',
        code: 'marc-8',
      });
      continue;
    }
    const { record } = outcome;
    const controlNumber = record.fields.map((field) => field['001']).find((value) => typeof value === 'string')?.trim() || undefined;
    const identifier = marcItemIdentifier(record);
    if (NOT_BIBLIOGRAPHIC.has(record.leader.charAt(6))) {
      result.skipped.push({
        record: position,
        ...(identifier === undefined ? {} : { identifier }),
        ...known(controlNumber),
        reason: `not a bibliographic record (leader/06 "${record.leader.charAt(6)}"): only catalogue records of documents are imported`,
        code: 'not-bibliographic',
      });
      continue;
    }
    const description = marcToDublinCore(record);
    const problems = itemProblems(identifier, description);
    if (problems.length > 0 || identifier === undefined) {
      result.errors.push({ record: position, ...known(controlNumber), reason: problems.map(([text]) => text).join('; '), problems: problems.map(([, coded]) => coded) });
      continue;
    }
    if (seen.has(identifier)) {
      result.skipped.push({ record: position, identifier, ...known(controlNumber), reason: 'repeats an identifier from an earlier record of this file', code: 'repeated-in-file' });
      continue;
    }
    seen.add(identifier);
    batch.push({ position, ...known(controlNumber), identifier, description, record });
    if (batch.length >= BATCH) {
      await writeBatch(db, collectionId, batch, options, result);
      batch = [];
    }
  }
  if (batch.length > 0) await writeBatch(db, collectionId, batch, options, result);
  return result;
}

/** Inserts the new items of a batch, updates (or skips) the registered ones, raises the holdings count. */
async function writeBatch(db: Kysely<DatabaseSchema>, collectionId: string, batch: MarcItem[], options: MarcImportOptions, result: MarcImportResult): Promise<void> {
  await run(() =>
    db.transaction().execute(async (trx) => {
      const collection = await trx.selectFrom('collections').select('id').where('id', '=', collectionId).forUpdate().executeTakeFirst();
      if (!collection) throw new NotFoundError(`Collection '${collectionId}' was deleted during the MARC import`);
      const existing = new Set(
        (
          await trx
            .selectFrom('items')
            .select('identifier')
            .where('collection_id', '=', collectionId)
            .where('identifier', 'in', batch.map((item) => item.identifier))
            .execute()
        ).map((row) => row.identifier),
      );
      const toInsert = batch.filter((item) => !existing.has(item.identifier));
      const registered = batch.filter((item) => existing.has(item.identifier));
      if (options.update !== true) {
        for (const item of registered) {
          result.skipped.push({
            record: item.position,
            identifier: item.identifier,
            ...known(item.controlNumber),
            reason: 'already registered in this collection (send ?update=true to update it)',
            code: 'already-registered',
          });
        }
      }
      if (toInsert.length > 0) {
        const inserted = await trx
          .insertInto('items')
          .values(
            toInsert.map((item) => ({
              id: newId(),
              collection_id: collectionId,
              identifier: item.identifier,
              title: item.description.title,
              dublin_core: JSON.stringify(item.description.dublinCore),
              language: item.description.language,
              status: 'registered' as const,
              marc_record: JSON.stringify(item.record),
            })),
          )
          .returning('id')
          .execute();
        result.imported += inserted.length;
      }
      if (options.update === true && registered.length > 0) result.updated += await updateItems(trx, collectionId, registered);
      result.holdingsCount = await raiseHoldingsCount(trx, collectionId);
    }),
  );
}

async function updateItems(trx: Transaction<DatabaseSchema>, collectionId: string, items: MarcItem[]): Promise<number> {
  const values = sql.join(
    items.map(
      ({ identifier, description, record }) =>
        sql`(${identifier}::text, ${description.title}::text, ${JSON.stringify(description.dublinCore)}::jsonb, ${description.language ?? null}::text, ${JSON.stringify(record)}::jsonb)`,
    ),
  );
  const updated = await sql<{ id: string }>`
    update items
       set title = v.title, dublin_core = items.dublin_core || v.dc, language = coalesce(v.language, items.language),
           marc_record = v.marc, updated_at = now()
      from (values ${values}) as v (identifier, title, dc, language, marc)
     where items.collection_id = ${collectionId} and items.identifier = v.identifier
    returning items.id`.execute(trx);
  return updated.rows.length;
}

function itemProblems(identifier: string | undefined, description: MarcDescription): [string, MarcProblem][] {
  const problems: [string, MarcProblem][] = [];
  if (identifier === undefined) {
    problems.push(['no call number (090, 852, 952 $o, 099 or 084) and no control number (001): the item cannot be identified', { code: 'identifier-missing' }]);
  } else if (identifier.length > HOLDINGS_FIELD_LIMITS.identifier) {
    const limit = HOLDINGS_FIELD_LIMITS.identifier;
    problems.push([`identifier is ${identifier.length} characters long; at most ${limit} are allowed`, { code: 'too-long', field: 'identifier', length: identifier.length, limit }]);
  }
  if (description.title === '') problems.push(['no title (245 $a): every record needs one', { code: 'title-missing' }]);
  else if (description.title.length > HOLDINGS_FIELD_LIMITS.title) {
    const limit = HOLDINGS_FIELD_LIMITS.title;
    problems.push([`title is ${description.title.length} characters long; at most ${limit} are allowed`, { code: 'too-long', field: 'title', length: description.title.length, limit }]);
  }
  for (const element of DUBLIN_CORE_ELEMENTS) {
    const values = description.dublinCore[element] ?? [];
    if (values.length > DC_VALUES_LIMIT) {
      problems.push([`${element} has ${values.length} values; at most ${DC_VALUES_LIMIT} are allowed`, { code: 'too-many-values', field: element, count: values.length, limit: DC_VALUES_LIMIT }]);
    }
    const longest = Math.max(0, ...values.map(({ value }) => value.length));
    if (longest > DC_VALUE_LIMIT && element !== 'title') {
      problems.push([`${element} is ${longest} characters long; at most ${DC_VALUE_LIMIT} are allowed`, { code: 'too-long', field: element, length: longest, limit: DC_VALUE_LIMIT }]);
    }
  }
  return problems;
}

/** `{ controlNumber }` when it is known, else nothing, so the key stays absent in the JSON. */
function known(controlNumber: string | undefined): { controlNumber?: string } {
  return controlNumber === undefined ? {} : { controlNumber };
}

async function run<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

import { sql, type Kysely } from 'kysely';
import { InvalidInputError, NotFoundError } from '../../storage/index.ts';
import { translateDatabaseError } from '../database/database-errors.ts';
import type { DatabaseSchema, StoredDublinCore } from '../database/schema.ts';
import { newId } from '../database/validation.ts';
import { parseCsv, type CsvProblem } from './parse-csv.ts';
import { raiseHoldingsCount } from './raise-holdings-count.ts';

/** Longest field values accepted (UTF-16 code units, after trimming and NFC), as the item repository. */
export const HOLDINGS_FIELD_LIMITS = { identifier: 200, title: 2000, author: 500 } as const;

export interface HoldingsImportOptions {
  /** Update the title, author and year of identifiers already in the collection instead of skipping them. */
  update?: boolean;
}

export interface HoldingsImportResult {
  /** New items registered. */
  imported: number;
  /** Existing items whose catalogue fields were updated (only with `update`). */
  updated: number;
  /** Rows not applied though well-formed: the identifier exists already, or came earlier in the file. */
  skipped: { line: number; identifier: string; reason: string; code: HoldingsSkipCode }[];
  /**
   * Rows that could not be read or are invalid; they never stop the rest of the batch. `reason`
   * says it in English, `problems` as codes with their values for pages in other languages.
   */
  errors: { line: number; reason: string; problems: HoldingsProblem[] }[];
  /** The collection's holdings count after the import. */
  holdingsCount: number;
}

export type HoldingsSkipCode = 'repeated-in-file' | 'already-registered';

/** One thing wrong with a row: a CSV syntax problem (with the 1-based `column`) or a field's value. */
export type HoldingsProblem =
  | { code: CsvProblem; column: number }
  | { code: 'identifier-empty' | 'title-empty' }
  | { code: 'too-long'; field: 'identifier' | 'title' | 'author'; length: number; limit: number }
  | { code: 'year-invalid'; value: string };

interface HoldingRecord {
  line: number;
  identifier: string;
  title: string;
  author: string;
  year: string;
}

const BATCH = 1000;
const YEAR = /^\d{1,4}$/;

/**
 * Registers a library catalogue export as items of a collection, so that progress has a true
 * denominator. `csv` is the decoded text (BOM already removed): a header row naming the
 * columns `identifier`, `title` (required), `author`, `year` (optional) in any order and case;
 * other columns are ignored. Every value is trimmed and put in NFC. Each row becomes an item
 * with status `registered` (not digitised), the title, and Dublin Core `title`, `creator`
 * (author) and `date` (year). A row with an empty identifier or title, a year that is not 1–4
 * digits, a field over `HOLDINGS_FIELD_LIMITS` or broken CSV quoting is reported in `errors`;
 * blank lines are ignored. An identifier already in the collection is skipped, or with
 * `update` has its title replaced and its author and year replaced when the row gives them
 * (an empty cell keeps the stored value); a repeated identifier in the file is skipped after its first row.
 *
 * All changes happen in one transaction, which ends by raising the collection's holdings count
 * to the number of its items when that is larger (holdingsCount = max(holdingsCount,
 * registered)): a library cannot hold fewer documents than it has catalogued. It is never lowered.
 *
 * Throws `NotFoundError` for an unknown collection, `InvalidInputError` when the header row is
 * missing or lacks `identifier` or `title`.
 */
export async function importHoldings(
  db: Kysely<DatabaseSchema>,
  collectionId: string,
  csv: string,
  options: HoldingsImportOptions = {},
): Promise<HoldingsImportResult> {
  const rows = parseCsv(csv);
  const header = rows.find((row) => !(row.kind === 'record' && row.fields.every((field) => field.trim() === '')));
  if (header === undefined) throw new InvalidInputError('The CSV is empty: send a header row "identifier,title,author,year" and one row per record');
  if (header.kind === 'error') throw new InvalidInputError(`The header row (line ${header.line}) cannot be read: ${header.reason}`);
  const names = header.fields.map((name) => name.trim().normalize('NFC').toLowerCase());
  const column = (name: string) => names.indexOf(name);
  const columns = { identifier: column('identifier'), title: column('title'), author: column('author'), year: column('year') };
  const missing = (['identifier', 'title'] as const).filter((name) => columns[name] === -1);
  if (missing.length > 0) {
    throw new InvalidInputError(
      `The header row (line ${header.line}) has no ${missing.map((name) => `"${name}"`).join(' or ')} column: the first row must name the columns, e.g. identifier,title,author,year`,
    );
  }

  const result: HoldingsImportResult = { imported: 0, updated: 0, skipped: [], errors: [], holdingsCount: 0 };
  const records: HoldingRecord[] = [];
  for (const row of rows.slice(rows.indexOf(header) + 1)) {
    if (row.kind === 'error') {
      result.errors.push({ line: row.line, reason: row.reason, problems: [{ code: row.problem, column: row.field }] });
      continue;
    }
    if (row.fields.every((field) => field.trim() === '')) continue;
    const cell = (index: number) => (index === -1 ? '' : (row.fields[index] ?? '').trim().normalize('NFC'));
    const record = { line: row.line, identifier: cell(columns.identifier), title: cell(columns.title), author: cell(columns.author), year: cell(columns.year) };
    const problems = recordProblems(record);
    if (problems.length > 0) {
      result.errors.push({ line: row.line, reason: problems.map(([text]) => text).join('; '), problems: problems.map(([, coded]) => coded) });
    }
    else records.push(record);
  }

  try {
    return await db.transaction().execute(async (trx) => {
      const collection = await trx.selectFrom('collections').select('id').where('id', '=', collectionId).forUpdate().executeTakeFirst();
      if (!collection) throw new NotFoundError(`Collection '${collectionId}' not found: import holdings into an existing collection`);
      const existing = new Set(
        (await trx.selectFrom('items').select('identifier').where('collection_id', '=', collectionId).execute()).map((row) => row.identifier),
      );
      const seen = new Set<string>();
      const toInsert: HoldingRecord[] = [];
      const toUpdate: HoldingRecord[] = [];
      for (const record of records) {
        if (seen.has(record.identifier)) {
          result.skipped.push({
            line: record.line,
            identifier: record.identifier,
            reason: 'repeats an identifier from an earlier row of this file',
            code: 'repeated-in-file',
          });
          continue;
        }
        seen.add(record.identifier);
        if (!existing.has(record.identifier)) toInsert.push(record);
        else if (options.update === true) toUpdate.push(record);
        else {
          result.skipped.push({
            line: record.line,
            identifier: record.identifier,
            reason: 'already registered in this collection (send ?update=true to update it)',
            code: 'already-registered',
          });
        }
      }

      for (let start = 0; start < toInsert.length; start += BATCH) {
        const batch = toInsert.slice(start, start + BATCH);
        const inserted = await trx
          .insertInto('items')
          .values(
            batch.map((record) => ({
              id: newId(),
              collection_id: collectionId,
              identifier: record.identifier,
              title: record.title,
              dublin_core: JSON.stringify(dublinCore(record)),
              status: 'registered' as const,
            })),
          )
          .returning('identifier')
          .execute();
        result.imported += inserted.length;
      }

      for (let start = 0; start < toUpdate.length; start += BATCH) {
        const batch = toUpdate.slice(start, start + BATCH);
        const values = sql.join(batch.map((record) => sql`(${record.identifier}, ${record.title}, ${JSON.stringify(dublinCore(record))})`));
        const updated = await sql<{ id: string }>`
          update items
             set title = v.title, dublin_core = items.dublin_core || v.dc::jsonb, updated_at = now()
            from (values ${values}) as v (identifier, title, dc)
           where items.collection_id = ${collectionId} and items.identifier = v.identifier
          returning items.id`.execute(trx);
        result.updated += updated.rows.length;
      }

      result.holdingsCount = await raiseHoldingsCount(trx, collectionId);
      return result;
    });
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

/** What is wrong with a row: each problem in English and as a code. */
function recordProblems(record: HoldingRecord): [string, HoldingsProblem][] {
  const problems: [string, HoldingsProblem][] = [];
  if (record.identifier === '') problems.push(['identifier is empty: every record needs its call number', { code: 'identifier-empty' }]);
  if (record.title === '') problems.push(['title is empty', { code: 'title-empty' }]);
  for (const field of ['identifier', 'title', 'author'] as const) {
    const limit = HOLDINGS_FIELD_LIMITS[field];
    const length = record[field].length;
    if (length > limit) problems.push([`${field} is ${length} characters long; at most ${limit} are allowed`, { code: 'too-long', field, length, limit }]);
  }
  if (record.year !== '' && (!YEAR.test(record.year) || Number(record.year) === 0)) {
    const value = record.year.slice(0, 20);
    problems.push([`year "${value}" is not a year: write 1 to 4 digits, e.g. 1925, or leave it empty`, { code: 'year-invalid', value }]);
  }
  return problems;
}

/** The Dublin Core elements a catalogue row gives: title, and creator and date when present. */
function dublinCore(record: HoldingRecord): StoredDublinCore {
  const stored: StoredDublinCore = { title: [{ value: record.title }] };
  if (record.author !== '') stored.creator = [{ value: record.author }];
  if (record.year !== '') stored.date = [{ value: record.year }];
  return stored;
}

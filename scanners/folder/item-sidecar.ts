import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { StationError } from '../station-error.ts';

/** Catalogue fields a station may send to register a document the server does not know yet. */
export interface ItemMetadata {
  title: string;
  creator?: string;
  date?: string;
  language?: string;
  script?: string;
  description?: string;
}

/** Which document a folder's pages belong to. */
export type ItemReference =
  | { kind: 'item-id'; itemId: string; source: SidecarName }
  | { kind: 'identifier'; identifier: string; collectionId?: string; metadata: ItemMetadata; source: SidecarName | 'folder-name' };

export const SIDECAR_NAMES = ['item.json', 'item.csv'] as const;
export type SidecarName = (typeof SIDECAR_NAMES)[number];

const nfc = (max: number) => z.string().trim().normalize('NFC').min(1).max(max);
const sidecarSchema = z
  .strictObject({
    itemId: nfc(64).optional(),
    identifier: nfc(200).optional(),
    collectionId: nfc(64).optional(),
    title: nfc(2000).optional(),
    creator: nfc(500).optional(),
    date: nfc(100).optional(),
    language: z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a language tag such as 'vi' or 'zh-Hant'").optional(),
    script: z.string().trim().regex(/^[A-Z][a-z]{3}$/, "an ISO 15924 code such as 'Latn' or 'Hani'").optional(),
    description: nfc(4000).optional(),
  })
  .refine((value) => value.itemId !== undefined || value.identifier !== undefined, 'give "itemId" or "identifier"');

/**
 * The item a document folder names: from `item.json` (an object) or `item.csv` (a header row
 * and one record) with `itemId`, or `identifier` (+ optional `collectionId`, `title`,
 * `creator`, `date`, `language`, `script`, `description`); without a sidecar the folder's own
 * name is the identifier (its title too, until a cataloguer edits it). Empty CSV cells count as
 * absent. Throws `StationError` saying which file and field is wrong.
 */
export async function readItemReference(folder: string, names: readonly string[]): Promise<ItemReference> {
  const sidecar = SIDECAR_NAMES.find((name) => names.includes(name));
  if (sidecar === undefined) {
    const identifier = path.basename(folder).normalize('NFC').trim();
    return { kind: 'identifier', identifier, metadata: { title: identifier }, source: 'folder-name' };
  }
  const file = path.join(folder, sidecar);
  const raw = sidecar === 'item.json' ? parseJson(await readFile(file, 'utf8'), file) : parseSingleRecord(await readFile(file, 'utf8'), file);
  const result = sidecarSchema.safeParse(raw);
  if (!result.success) {
    throw new StationError(`${file}: ${result.error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`).join('; ')}`);
  }
  const value = result.data;
  if (value.itemId !== undefined) return { kind: 'item-id', itemId: value.itemId, source: sidecar };
  const identifier = value.identifier!;
  return {
    kind: 'identifier',
    identifier,
    collectionId: value.collectionId,
    metadata: {
      title: value.title ?? identifier,
      creator: value.creator,
      date: value.date,
      language: value.language,
      script: value.script,
      description: value.description,
    },
    source: sidecar,
  };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new StationError(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** `item.csv`: a header row naming the fields and exactly one record; empty cells dropped. */
function parseSingleRecord(text: string, file: string): Record<string, string> {
  let records: Record<string, string>[];
  try {
    records = parse(text, { bom: true, columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    throw new StationError(`${file} cannot be read as CSV: ${(error as Error).message}`, { cause: error });
  }
  if (records.length !== 1) throw new StationError(`${file} must hold a header row and exactly one record, not ${records.length}`);
  return Object.fromEntries(Object.entries(records[0]!).filter(([, cell]) => cell !== ''));
}

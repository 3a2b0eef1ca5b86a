import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Row } from './catalogue-rows.ts';

/**
 * The JSON record of one item in the object store (`records/items/{id}.json`): the item's
 * database rows (item, pages, the search texts' bookkeeping, the ledger of its files with
 * sha256 and size) and its version history, shaped after an OCFL 1.1 inventory (`head`,
 * `digestAlgorithm`, `versions` with `created`, `message` and `state` mapping each digest to
 * the keys holding those bytes). README "Self-describing storage" says how close it is.
 */
export const ITEM_RECORD_FORMAT = 'thu-vien-so/item-record/1';
export const LIBRARY_RECORD_FORMAT = 'thu-vien-so/library-record/1';
export const COLLECTION_RECORD_FORMAT = 'thu-vien-so/collection-record/1';

const rowSchema = z.record(z.string(), z.unknown());

const versionSchema = z.object({
  created: z.string(),
  message: z.string(),
  /** sha256 of the item's descriptive fields: a change of description is a new version too. */
  descriptionSha256: z.string(),
  state: z.record(z.string(), z.array(z.string())),
});

export const itemRecordSchema = z.object({
  format: z.literal(ITEM_RECORD_FORMAT),
  id: z.string(),
  digestAlgorithm: z.literal('sha256'),
  head: z.string().nullable(),
  item: rowSchema,
  pages: z.array(rowSchema),
  /** `page_texts` rows without the text itself, which is the page's `text.txt` object. */
  texts: z.array(rowSchema),
  files: z.array(rowSchema),
  versions: z.record(z.string(), versionSchema),
});

export const libraryRecordSchema = z.object({ format: z.literal(LIBRARY_RECORD_FORMAT), id: z.string(), library: rowSchema });
export const collectionRecordSchema = z.object({ format: z.literal(COLLECTION_RECORD_FORMAT), id: z.string(), collection: rowSchema });

export type ItemRecord = z.infer<typeof itemRecordSchema>;
export type RecordVersion = z.infer<typeof versionSchema>;

/** An item's rows as one snapshot read them. */
export interface ItemRows {
  item: Row;
  pages: Row[];
  texts: Row[];
  files: Row[];
}

/** The fields that describe the document, as opposed to its processing state. */
const DESCRIPTIVE_FIELDS = ['collection_id', 'identifier', 'title', 'dublin_core', 'language', 'script', 'access_level', 'ocr_profile'];

/** A version is cut only when the item is at rest, not at every step of its processing. */
const SETTLED_STATUSES = new Set(['registered', 'digitised', 'failed']);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Digest → the keys holding those bytes, keys sorted, digests in order: the OCFL `state` block. */
function fileState(files: readonly Row[]): Record<string, string[]> {
  const state: Record<string, string[]> = {};
  for (const file of files) (state[String(file.sha256)] ??= []).push(String(file.key));
  return Object.fromEntries(
    Object.keys(state)
      .sort()
      .map((digest) => [digest, state[digest]!.sort()]),
  );
}

function keysByDigest(state: Record<string, string[]>): Map<string, string> {
  return new Map(Object.entries(state).flatMap(([digest, keys]) => keys.map((key) => [key, digest] as const)));
}

/** What changed since `last`, for the version's message; undefined when nothing did. */
function describeChange(last: RecordVersion | undefined, state: Record<string, string[]>, descriptionSha256: string): string | undefined {
  const now = keysByDigest(state);
  if (last === undefined) return `created with ${now.size} file${now.size === 1 ? '' : 's'}`;
  const before = keysByDigest(last.state);
  const added = [...now.keys()].filter((key) => !before.has(key)).length;
  const replaced = [...now.keys()].filter((key) => before.has(key) && before.get(key) !== now.get(key)).length;
  const removed = [...before.keys()].filter((key) => !now.has(key)).length;
  const parts = [
    ...(added > 0 ? [`${added} added`] : []),
    ...(replaced > 0 ? [`${replaced} replaced`] : []),
    ...(removed > 0 ? [`${removed} removed`] : []),
  ];
  const changes = [...(parts.length > 0 ? [`files: ${parts.join(', ')}`] : []), ...(descriptionSha256 !== last.descriptionSha256 ? ['description changed'] : [])];
  return changes.length > 0 ? changes.join('; ') : undefined;
}

/**
 * The record of an item from its current rows and its previous record (for the history).
 * A new version is added when the item is at rest and its files or description differ from
 * the head version; while it is being processed the record follows the rows without one.
 */
export function buildItemRecord(rows: ItemRows, previous: ItemRecord | undefined, now: Date): ItemRecord {
  const versions = { ...previous?.versions };
  let head = previous?.head ?? null;
  if (SETTLED_STATUSES.has(String(rows.item.status))) {
    const state = fileState(rows.files);
    const descriptionSha256 = sha256(JSON.stringify(DESCRIPTIVE_FIELDS.map((field) => rows.item[field] ?? null)));
    const message = describeChange(head === null ? undefined : versions[head], state, descriptionSha256);
    if (message !== undefined) {
      head = `v${Object.keys(versions).length + 1}`;
      versions[head] = { created: now.toISOString(), message, descriptionSha256, state };
    }
  }
  return { format: ITEM_RECORD_FORMAT, id: String(rows.item.id), digestAlgorithm: 'sha256', head, ...rows, versions };
}

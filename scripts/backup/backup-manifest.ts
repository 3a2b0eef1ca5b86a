import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../storage/index.ts';

/** Names inside one backup folder. */
export const BACKUP_FILES = {
  manifest: 'manifest.json',
  /** One JSON line per copied object (see object-list.ts): the list stays on disk, never whole in memory. */
  objectList: 'objects.jsonl',
  objects: 'objects',
  /** Files being written; renamed into place once complete. */
  partial: '.partial',
} as const;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().min(0);

const manifestSchema = z.object({
  format: z.literal('thu-vien-so-backup/1'),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  setup: z.object({ database: z.enum(['embedded', 'server']), store: z.enum(['filesystem', 's3']) }),
  database: z.object({
    file: z.enum(['database.tar.gz', 'database.pgdump']),
    /** `pglite-data-dir`: PGlite's `dumpDataDir` tarball; `pg-dump-custom`: `pg_dump --format=custom` of one schema. */
    kind: z.enum(['pglite-data-dir', 'pg-dump-custom']),
    schema: z.string(),
    size: count,
    sha256,
  }),
  objects: z.object({
    list: z.literal(BACKUP_FILES.objectList),
    listSha256: sha256,
    count,
    bytes: count,
    /** Rows of the `stored_objects` ledger at backup time. */
    recorded: count,
    /** The catalogue's own records (`records/…`), which the ledger does not name by design (0 in backups made before they existed). */
    records: count.default(0),
    /** Other objects in the store that the ledger does not name (copied all the same). */
    unrecorded: count,
    /** Ledger rows without an object in the store: not in this backup. */
    missing: count,
    /** Objects whose bytes did not match the ledger's sha256 or size (copied as found). */
    mismatched: count,
    /** The first problems found, for the operator; every one is also in the backup's log. */
    problemExamples: z.array(z.object({ key: z.string(), problem: z.enum(['missing', 'mismatched']) })),
  }),
});

export type BackupManifest = z.infer<typeof manifestSchema>;
export type DatabaseDump = BackupManifest['database'];

/** Written last, through a temporary name: a folder without it is an unfinished backup. */
export async function writeManifest(backupDir: string, manifest: BackupManifest): Promise<void> {
  const temp = path.join(backupDir, BACKUP_FILES.partial, BACKUP_FILES.manifest);
  await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`, { flush: true });
  await rename(temp, path.join(backupDir, BACKUP_FILES.manifest));
}

/** Throws `NotFoundError` for a folder without manifest (unfinished or not a backup), `InvalidInputError` for an unreadable one. */
export async function readManifest(backupDir: string): Promise<BackupManifest> {
  const file = path.join(backupDir, BACKUP_FILES.manifest);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new NotFoundError(
      `${file} does not exist: ${backupDir} is not a finished backup (a backup that stopped part way has no manifest). Use another backup folder.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${file} is not valid JSON: the backup is damaged; use another backup folder`, { cause: error });
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    throw new InvalidInputError(`${file} is not a backup manifest this version can read: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { ObjectStore } from '../../storage/index.ts';
import { BACKUP_FILES } from './backup-manifest.ts';
import { readObjectList } from './object-list.ts';

/** Objects between two progress lines in the log. */
const PROGRESS_EVERY = 1000;

/**
 * Puts every object of the backup into the store (filesystem or S3, whichever the backup came
 * from), streaming from the file; the store checks each one's sha256 as it writes
 * (`expectedSha256`) and keeps nothing that does not match.
 */
export async function restoreObjects(store: ObjectStore, backupDir: string, logger: Logger): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  for await (const entry of readObjectList(path.join(backupDir, BACKUP_FILES.objectList))) {
    const body = createReadStream(path.join(backupDir, BACKUP_FILES.objects, entry.key));
    await store.put(entry.key, body, { expectedSha256: entry.sha256, contentType: entry.contentType });
    count += 1;
    bytes += entry.size;
    if (count % PROGRESS_EVERY === 0) logger.info({ objects: count, bytes }, 'restore: objects stored so far');
  }
  return { count, bytes };
}

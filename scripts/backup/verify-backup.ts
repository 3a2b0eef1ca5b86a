import path from 'node:path';
import { InvalidInputError } from '../../storage/index.ts';
import { BACKUP_FILES, type BackupManifest } from './backup-manifest.ts';
import { fingerprintFile, type Fingerprint } from './hashed-file.ts';
import { readObjectList } from './object-list.ts';

/** How many damaged files the error names. */
const NAMED = 10;

/**
 * Reads every file of the backup once and compares it with the manifest (database dump,
 * object list) and the object list (each object's size and sha256). Throws
 * `InvalidInputError` naming the damaged files when anything differs or is missing, so a
 * restore can refuse before it changes anything.
 */
export async function verifyBackup(backupDir: string, manifest: BackupManifest): Promise<void> {
  const damaged: string[] = [];
  const check = async (relative: string, expected: Fingerprint) => {
    const problem = describeDifference(await fingerprintOrMissing(path.join(backupDir, relative)), expected);
    if (problem !== undefined) damaged.push(`${relative} ${problem}`);
  };

  await check(manifest.database.file, manifest.database);
  const listFile = path.join(backupDir, BACKUP_FILES.objectList);
  const list = await fingerprintOrMissing(listFile);
  if (list?.sha256 !== manifest.objects.listSha256) {
    damaged.push(`${BACKUP_FILES.objectList} ${list === undefined ? 'is missing' : 'has another sha256 than the manifest'}`);
  } else {
    let count = 0;
    let bytes = 0;
    for await (const entry of readObjectList(listFile)) {
      await check(path.posix.join(BACKUP_FILES.objects, entry.key), entry);
      count += 1;
      bytes += entry.size;
    }
    if (count !== manifest.objects.count || bytes !== manifest.objects.bytes) {
      damaged.push(`${BACKUP_FILES.objectList} lists ${count} objects of ${bytes} bytes, the manifest ${manifest.objects.count} of ${manifest.objects.bytes}`);
    }
  }
  if (damaged.length > 0) {
    const more = damaged.length > NAMED ? ` and ${damaged.length - NAMED} more` : '';
    throw new InvalidInputError(
      `The backup ${backupDir} is damaged, nothing was changed: ${damaged.slice(0, NAMED).join('; ')}${more}. Use another backup folder.`,
      { details: { damaged: damaged.length } },
    );
  }
}

async function fingerprintOrMissing(file: string): Promise<Fingerprint | undefined> {
  try {
    return await fingerprintFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function describeDifference(actual: Fingerprint | undefined, expected: Fingerprint): string | undefined {
  if (actual === undefined) return 'is missing';
  if (actual.size !== expected.size) return `has ${actual.size} bytes instead of ${expected.size}`;
  if (actual.sha256 !== expected.sha256) return `has sha256 ${actual.sha256} instead of ${expected.sha256}`;
  return undefined;
}

import { rename } from 'node:fs/promises';
import path from 'node:path';
import { embeddedDatabaseDir } from '../../repository/index.ts';
import type { Config } from '../config.ts';
import { BACKUP_FILES, type DatabaseDump } from './backup-manifest.ts';
import { fingerprintFile, writeHashed } from './hashed-file.ts';
import { dumpPgliteDataDir } from './pglite-data-dir.ts';
import { runPostgresTool } from './postgres-tools.ts';

/**
 * Writes the database into the backup folder: PGlite's data-directory tarball for the
 * embedded database (the whole directory; nothing else may have it open, see
 * `assertEmbeddedDatabaseIdle`), or `pg_dump --format=custom` of `schema` on a server.
 */
export async function dumpDatabase(config: Config, schema: string, backupDir: string): Promise<DatabaseDump> {
  const tempDir = path.join(backupDir, BACKUP_FILES.partial);
  if (config.databaseUrl === undefined) {
    const file = 'database.tar.gz';
    const written = await writeHashed(await dumpPgliteDataDir(embeddedDatabaseDir(config.dataDir)), path.join(backupDir, file), tempDir);
    return { file, kind: 'pglite-data-dir', schema, ...written };
  }
  const file = 'database.pgdump';
  const temp = path.join(tempDir, file);
  await runPostgresTool('pg_dump', ['--format=custom', `--schema=${schema}`, `--file=${temp}`], config.databaseUrl);
  const written = await fingerprintFile(temp);
  await rename(temp, path.join(backupDir, file));
  return { file, kind: 'pg-dump-custom', schema, ...written };
}

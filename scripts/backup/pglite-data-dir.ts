import { openAsBlob } from 'node:fs';
import { access, readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { PGlite } from '@electric-sql/pglite';
import { ConfigurationError, ConflictError } from '../../storage/index.ts';

/**
 * The embedded database's files, handled as a whole: PGlite's own `dumpDataDir` (a gzipped
 * tarball of the data directory) and `loadDataDir`. The application opens the same directory
 * through `PgliteDatabase` (repository/), which keeps its PGlite instance to itself.
 */

/**
 * PGlite allows one process per data directory and locks nothing itself, but a running
 * instance keeps `postmaster.pid` in it (removed on close): refuse to touch the directory
 * while it is there.
 */
export async function assertEmbeddedDatabaseIdle(directory: string): Promise<void> {
  if (!(await exists(path.join(directory, 'postmaster.pid')))) return;
  throw new ConflictError(
    `The embedded database in ${directory} is in use (${path.join(directory, 'postmaster.pid')} exists): stop the server (npm start) first, since PGlite allows one process at a time. ` +
      'If no server is running, the last one stopped without closing the database: start it once, stop it with Ctrl-C, and try again.',
  );
}

/** Whether the directory holds a database (PGlite would otherwise create an empty one there). */
async function embeddedDatabaseExists(directory: string): Promise<boolean> {
  return exists(path.join(directory, 'PG_VERSION'));
}

export async function isEmptyOrMissing(directory: string): Promise<boolean> {
  try {
    return (await readdir(directory)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * The gzipped tarball of the data directory. PGlite builds it in memory (its API returns a
 * Blob), so this holds the whole compressed database for a moment; the embedded setup is meant
 * for small installations.
 */
export async function dumpPgliteDataDir(directory: string): Promise<Readable> {
  if (!(await embeddedDatabaseExists(directory))) {
    throw new ConfigurationError(`There is no embedded database in ${directory}: check DATA_DIR (it must be the server's), or set DATABASE_URL for a PostgreSQL server`);
  }
  const pglite = await PGlite.create({ dataDir: directory });
  try {
    const tarball = await pglite.dumpDataDir('gzip');
    return Readable.fromWeb(tarball.stream() as WebReadableStream<Uint8Array>);
  } finally {
    await pglite.close();
  }
}

/**
 * Creates the data directory from a `dumpPgliteDataDir` tarball. A directory already there is
 * moved aside (to `<directory>.replaced-<time>`, never deleted), since PGlite loads only into
 * an empty one. Resolves with where it went, if anywhere.
 */
export async function loadPgliteDataDir(directory: string, tarball: string, now: Date): Promise<string | undefined> {
  let movedTo: string | undefined;
  if (!(await isEmptyOrMissing(directory))) {
    movedTo = `${directory}.replaced-${now.toISOString().replaceAll(':', '-')}`;
    await rename(directory, movedTo);
  }
  const pglite = await PGlite.create({ dataDir: directory, loadDataDir: await openAsBlob(tarball) });
  await pglite.close();
  return movedTo;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

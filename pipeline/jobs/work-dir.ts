import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SCRATCH_OWNER, type ObjectStore } from '../../storage/index.ts';

/** A job's private scratch folder under `root`, removed however the job ends (or, if the process dies, at the next start). */
export async function withWorkDir<T>(root: string, use: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(root, { recursive: true });
  const dir = await mkdtemp(path.join(root, `${SCRATCH_OWNER}-job-`));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Streams a stored object to a local file (stages work from files: libvips reads them lazily). */
export async function downloadObject(store: ObjectStore, key: string, file: string): Promise<string> {
  await pipeline(await store.get(key), createWriteStream(file));
  return file;
}

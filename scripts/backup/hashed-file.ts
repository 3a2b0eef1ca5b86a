import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Fingerprint {
  sha256: string;
  size: number;
}

/**
 * Streams `source` into a temporary file in `tempDir` (same filesystem as `target`), hashing
 * the bytes as they pass, and renames it to `target` only once complete and flushed: a
 * `target` that exists is always whole. Never holds the whole body in memory.
 */
export async function writeHashed(source: Readable, target: string, tempDir: string): Promise<Fingerprint> {
  const temp = path.join(tempDir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(temp, { flags: 'wx', flush: true }),
    );
    await mkdir(path.dirname(target), { recursive: true });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { sha256: hash.digest('hex'), size };
}

/** sha256 and size of a file, read as a stream. */
export async function fingerprintFile(file: string): Promise<Fingerprint> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

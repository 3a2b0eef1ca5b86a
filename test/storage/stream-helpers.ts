import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** Reads a stream to the end into one Buffer (small objects only). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** sha256 and size of a stream, computed chunk by chunk (never holds the whole stream). */
export async function hashStream(stream: AsyncIterable<unknown>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Uint8Array;
    hash.update(bytes);
    size += bytes.byteLength;
  }
  return { sha256: hash.digest('hex'), size };
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

const CHUNK = 64 * 1024;

/** A 64 KiB block of deterministic pseudo-random bytes for `seed`. */
function baseBlock(seed: number): Buffer {
  const block = Buffer.alloc(CHUNK);
  let digest = createHash('sha256').update(`block-${seed}`).digest();
  for (let offset = 0; offset < CHUNK; offset += digest.length) {
    digest.copy(block, offset);
    digest = createHash('sha256').update(digest).digest();
  }
  return block;
}

/**
 * Deterministic pseudo-random chunks (64 KiB, the last one shorter) adding up to `size`
 * bytes; every chunk differs (its index and the seed are stamped in), so a mix of two
 * bodies never hashes like either. Generated lazily: never `size` bytes at once.
 */
export function* patternChunks(size: number, seed: number): Generator<Buffer> {
  const base = baseBlock(seed);
  let index = 0;
  for (let offset = 0; offset < size; offset += CHUNK, index += 1) {
    const length = Math.min(CHUNK, size - offset);
    const chunk = Buffer.from(base.subarray(0, length));
    if (length >= 8) {
      chunk.writeUInt32BE(index, 0);
      chunk.writeUInt32BE(seed, 4);
    }
    yield chunk;
  }
}

/** The bytes of {@link patternChunks} as one Buffer (for small sizes). */
export function patternBytes(size: number, seed: number): Buffer {
  return Buffer.concat([...patternChunks(size, seed)]);
}

/** sha256 of {@link patternChunks} without holding the bytes. */
export function patternSha256(size: number, seed: number): string {
  const hash = createHash('sha256');
  for (const chunk of patternChunks(size, seed)) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * A byte stream of {@link patternChunks}. `pauseEvery` chunks it yields to the event loop
 * (a macrotask), so concurrent writers and readers really interleave; `onChunk` sees each
 * chunk index as it is produced.
 */
export function patternStream(
  size: number,
  seed: number,
  options: { pauseEvery?: number; onChunk?: (index: number) => void } = {},
): Readable {
  const { pauseEvery = 0, onChunk } = options;
  async function* generate() {
    let index = 0;
    for (const chunk of patternChunks(size, seed)) {
      onChunk?.(index);
      if (pauseEvery > 0 && index % pauseEvery === 0) await new Promise((resolve) => setImmediate(resolve));
      index += 1;
      yield chunk;
    }
  }
  return Readable.from(generate(), { objectMode: false });
}

/** A byte stream that yields `goodBytes` of pattern data, then fails with `error`. */
export function failingStream(goodBytes: number, error: Error): Readable {
  async function* generate() {
    yield* patternChunks(goodBytes, 99);
    await new Promise((resolve) => setImmediate(resolve));
    throw error;
  }
  return Readable.from(generate(), { objectMode: false });
}

import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

import { AppError, UpstreamError } from './errors.ts';
import { errorCode } from './error-code.ts';
import { BodySourceError, consumeBody } from './object-body.ts';
import { describeKey } from './object-key.ts';
import type { ObjectBody } from './object-store.port.ts';
import { SCRATCH_OWNER } from './scratch-files.ts';

/** One upload part: a byte range of the body and the checksums its request carries. */
export interface BodyPart {
  offset: number;
  size: number;
  /** Base64 MD5, sent as Content-MD5 so the server rejects damaged bytes. */
  md5Base64: string;
  /** Hex sha256 of the part, for the signed `x-amz-content-sha256` header (plain-HTTP endpoints only). */
  sha256?: string;
}

/**
 * A body made re-readable: held in memory when it came as bytes, otherwise spooled to a
 * temporary file. Its size and sha256 are known before anything is uploaded, so the sha256
 * can go into the object's metadata and any request can be retried from the start.
 */
export interface PreparedBody {
  size: number;
  sha256: string;
  /** Consecutive parts of `partSize` bytes (the last one shorter); exactly one part when `size <= partSize`. */
  parts: BodyPart[];
  /** A fresh source of bytes `offset .. offset + size - 1`: a Buffer slice, or a stream of the spool file. */
  open(offset: number, size: number): Buffer | Readable;
  /** Removes the spool file, if any. */
  dispose(): Promise<void>;
}

export interface PrepareOptions {
  partSize: number;
  /** Folder for spool files (created if missing). */
  tempDir: string;
  /** Whether each part also needs its sha256 (signed payloads over plain HTTP). */
  partSha256: boolean;
}

/** Splits bytes at part boundaries while hashing them: whole sha256, and MD5 (plus sha256) per part. */
class PartHasher {
  readonly whole = createHash('sha256');
  readonly parts: BodyPart[] = [];
  private size = 0;
  private partStart = 0;
  private md5: Hash = createHash('md5');
  private sha: Hash | undefined;

  constructor(private readonly options: PrepareOptions) {
    this.sha = options.partSha256 ? createHash('sha256') : undefined;
  }

  update(chunk: Buffer): void {
    this.whole.update(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const room = this.options.partSize - (this.size - this.partStart);
      const piece = chunk.subarray(offset, offset + room);
      this.md5.update(piece);
      this.sha?.update(piece);
      this.size += piece.length;
      offset += piece.length;
      if (this.size - this.partStart === this.options.partSize) this.closePart();
    }
  }

  finish(): { size: number; sha256: string; parts: BodyPart[] } {
    if (this.size > this.partStart || this.parts.length === 0) this.closePart();
    return { size: this.size, sha256: this.whole.digest('hex'), parts: this.parts };
  }

  private closePart(): void {
    const part: BodyPart = {
      offset: this.partStart,
      size: this.size - this.partStart,
      md5Base64: this.md5.digest('base64'),
    };
    if (this.sha !== undefined) part.sha256 = this.sha.digest('hex');
    this.parts.push(part);
    this.partStart = this.size;
    this.md5 = createHash('md5');
    this.sha = this.options.partSha256 ? createHash('sha256') : undefined;
  }
}

/**
 * Makes `body` re-readable and measures it (see {@link PreparedBody}). A stream is written
 * to a spool file chunk by chunk, so memory stays bounded whatever its length; the file is
 * removed again if anything fails. Errors of the body stream come out as
 * {@link BodySourceError}.
 */
export async function prepareBody(body: ObjectBody, key: string, options: PrepareOptions): Promise<PreparedBody> {
  const hasher = new PartHasher(options);
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    hasher.update(bytes);
    return {
      ...hasher.finish(),
      open: (offset, size) => bytes.subarray(offset, offset + size),
      dispose: async () => undefined,
    };
  }

  const file = path.join(
    options.tempDir,
    `${SCRATCH_OWNER}-s3-upload-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}.part`,
  );
  let handle: FileHandle | undefined;
  let created = false;
  try {
    await mkdir(options.tempDir, { recursive: true });
    handle = await open(file, 'wx', 0o600);
    created = true;
    const spool = handle;
    await consumeBody(body, key, async (chunk) => {
      hasher.update(chunk);
      let offset = 0;
      while (offset < chunk.length) {
        const { bytesWritten } = await spool.write(chunk, offset, chunk.length - offset);
        offset += bytesWritten;
      }
    });
    await handle.close();
    handle = undefined;
  } catch (error) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    if (created) await unlink(file).catch(() => undefined);
    if (error instanceof BodySourceError || error instanceof AppError) throw error;
    const code = errorCode(error);
    const full = code === 'ENOSPC' || code === 'EDQUOT';
    throw new UpstreamError(
      full
        ? `cannot stage the upload of ${describeKey(key)}: the temporary folder ${options.tempDir} is full; free space there or choose another temporary folder`
        : `cannot stage the upload of ${describeKey(key)} in ${options.tempDir} (${code ?? String(error)}): check that the temporary folder is writable`,
      { cause: error },
    );
  }
  return {
    ...hasher.finish(),
    open: (offset, size) =>
      size === 0 ? Buffer.alloc(0) : createReadStream(file, { start: offset, end: offset + size - 1 }),
    dispose: () => unlink(file).catch(() => undefined),
  };
}

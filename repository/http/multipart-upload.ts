import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import { ChecksumMismatchError, InvalidInputError, PayloadTooLargeError, SCRATCH_OWNER } from '../../storage/index.ts';
import type { ReceivedFile } from './ingest.port.ts';

export interface UploadLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Largest request body, in bytes: every file with its multipart framing. */
  maxRequestBytes: number;
  /** Most files in one request. */
  maxFiles: number;
}

export interface ReceivedUpload {
  files: ReceivedFile[];
  /** Deletes the temporary files. */
  discard(): Promise<void>;
}

const SHA256 = /^[0-9a-fA-F]{64}$/;

function requestTooLarge(limits: UploadLimits): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `The request is larger than the limit of ${limits.maxRequestBytes} bytes for one upload (UPLOAD_MAX_REQUEST_BYTES), so nothing was kept. ` +
      'Send the pages in several requests, or each file as a resumable upload.',
  );
}

/**
 * Streams a `multipart/form-data` request to temporary files under `spoolDir`, hashing each
 * file as it is written, so no upload is ever held in memory. Fields `seq` and `sha256`
 * apply to the `file` part that follows them. A client sha256 that differs from the bytes
 * received fails the whole request and
 * nothing is kept (`ChecksumMismatchError`, 422); so does a file over the size limit, a
 * request over the total limit (by its Content-Length before anything is written, and by
 * the bytes received for a chunked one), too many files (`PayloadTooLargeError`, 413), or a
 * dropped connection.
 */
export async function receiveMultipartUpload(req: Request, spoolDir: string, limits: UploadLimits): Promise<ReceivedUpload> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    throw new InvalidInputError('Send the pages as multipart/form-data with one or more "file" parts');
  }
  if (Number(req.headers['content-length']) > limits.maxRequestBytes) throw requestTooLarge(limits);
  await mkdir(spoolDir, { recursive: true });
  // Slots in the order the parts arrived: the writes finish in any order, the pages must not.
  const slots: (ReceivedFile | undefined)[] = [];
  const written: string[] = [];
  const writes: Promise<void>[] = [];
  const discard = async () => {
    await Promise.all(written.map((file) => rm(file, { force: true })));
  };

  try {
    await new Promise<void>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: req.headers,
          limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: limits.maxFiles * 4, fieldSize: 1024 },
        });
      } catch (error) {
        reject(new InvalidInputError(`Malformed multipart request: ${(error as Error).message}`));
        return;
      }
      let pendingFields: { seq?: number; sha256?: string } = {};
      let failed = false;
      let received = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          if (received > limits.maxRequestBytes) {
            fail(requestTooLarge(limits));
            callback();
          } else {
            callback(null, chunk);
          }
        },
      });
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        req.unpipe(counter);
        req.resume();
        // Ends the file part being received, so that its write settles before the files are
        // removed; on the next tick, since busboy goes on using that part after its events.
        process.nextTick(() => parser.destroy());
        reject(error);
      };

      parser.on('field', (name, value) => {
        if (name === 'seq') {
          if (!/^[1-9]\d{0,8}$/.test(value)) fail(new InvalidInputError(`Field "seq" must be a page number from 1, got "${value}"`));
          else pendingFields.seq = Number(value);
        } else if (name === 'sha256') {
          if (!SHA256.test(value)) fail(new InvalidInputError(`Field "sha256" must be 64 hexadecimal digits, got "${value}"`));
          else pendingFields.sha256 = value.toLowerCase();
        }
      });

      parser.on('file', (name, stream, info) => {
        if (name !== 'file' || failed) {
          stream.resume();
          return;
        }
        const fields = pendingFields;
        pendingFields = {};
        const slot = slots.push(undefined) - 1;
        const target = path.join(spoolDir, `${SCRATCH_OWNER}-${randomUUID()}.upload`);
        written.push(target);
        const hash = createHash('sha256');
        let size = 0;
        const hasher = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        });
        stream.on('limit', () =>
          fail(
            new PayloadTooLargeError(
              `File "${info.filename}" is larger than the limit of ${limits.maxFileBytes} bytes (UPLOAD_MAX_BYTES)`,
            ),
          ),
        );
        writes.push(
          pipeline(stream, hasher, createWriteStream(target)).then(() => {
            if (failed) return;
            const sha256 = hash.digest('hex');
            if (fields.sha256 !== undefined && fields.sha256 !== sha256) {
              fail(
                new ChecksumMismatchError(
                  `File "${info.filename}" arrived damaged: its sha256 is ${sha256}, the station sent ${fields.sha256}. Nothing was kept; send it again.`,
                ),
              );
              return;
            }
            slots[slot] = { path: target, filename: info.filename ?? 'unnamed', size, sha256, seq: fields.seq };
          }, fail),
        );
      });

      parser.on('filesLimit', () => fail(new PayloadTooLargeError(`Too many files in one request: at most ${limits.maxFiles}`)));
      parser.on('error', (error: Error) => fail(new InvalidInputError(`Malformed multipart request: ${error.message}`)));
      parser.on('close', () => {
        Promise.all(writes).then(() => {
          if (failed) return;
          if (slots.length === 0) fail(new InvalidInputError('No "file" part in the request: attach at least one page scan'));
          else resolve();
        }, fail);
      });
      req.on('aborted', () => fail(new InvalidInputError('The upload was interrupted before it finished; nothing was kept')));
      req.pipe(counter).pipe(parser);
    });
  } catch (error) {
    // A write still open would recreate or keep its file after the removal.
    await Promise.allSettled(writes);
    await discard();
    throw error;
  }
  return { files: slots.filter((file): file is ReceivedFile => file !== undefined), discard };
}

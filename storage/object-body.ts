import { Readable } from 'node:stream';

import { InvalidInputError } from './errors.ts';
import { describeKey } from './object-key.ts';
import type { ObjectBody } from './object-store.port.ts';

/**
 * Wraps an error raised by the caller's body stream, so a store can tell it from its own
 * write errors: a store cleans up, then rethrows `sourceError` unchanged.
 */
export class BodySourceError extends Error {
  constructor(readonly sourceError: unknown) {
    super('the body stream failed before it ended', { cause: sourceError });
    this.name = 'BodySourceError';
  }
}

/**
 * Feeds the bytes of `body` to `onChunk` one chunk at a time, awaiting each call, so a
 * stream is never held whole in memory and backpressure is respected. Errors of the body
 * stream are thrown as {@link BodySourceError}; a chunk that is not bytes is an
 * `InvalidInputError`. If `onChunk` fails, the body stream is destroyed and the error rethrown.
 */
export async function consumeBody(
  body: ObjectBody,
  key: string,
  onChunk: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  if (Buffer.isBuffer(body)) {
    if (body.length > 0) await onChunk(body);
    return;
  }
  if (body instanceof Uint8Array) {
    if (body.byteLength > 0) await onChunk(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    return;
  }
  if (!(body instanceof Readable)) {
    throw new InvalidInputError(
      `body for ${describeKey(key)} must be a Buffer, a Uint8Array or a Readable stream`,
    );
  }
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw new BodySourceError(error);
      }
      if (next.done === true) return;
      const chunk: unknown = next.value;
      if (!(chunk instanceof Uint8Array)) {
        throw new InvalidInputError(
          `body stream for ${describeKey(key)} yielded a ${typeof chunk} instead of bytes: pass a byte stream (no setEncoding, no object mode)`,
        );
      }
      if (chunk.byteLength === 0) continue;
      await onChunk(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
  } catch (error) {
    if (!(error instanceof BodySourceError)) {
      body.destroy();
    }
    throw error;
  }
}

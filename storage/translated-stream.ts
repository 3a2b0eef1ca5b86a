import { finished, PassThrough, type Readable } from 'node:stream';

/**
 * Returns a stream with the bytes of `source` whose errors (including a premature end) are
 * passed through `translate` first, so no raw Node or vendor error reaches a reader.
 * Destroying the returned stream destroys `source` (freeing its file handle or socket).
 */
export function withTranslatedErrors(source: Readable, translate: (error: unknown) => Error): Readable {
  const out = new PassThrough();
  source.pipe(out);
  finished(source, (error) => {
    // After the source ended, `out` has all the bytes; a late socket error changes nothing.
    if (error && !out.writableEnded) out.destroy(translate(error));
  });
  out.on('close', () => {
    if (!source.destroyed) source.destroy();
  });
  return out;
}

import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { InvalidInputError, PayloadTooLargeError } from '../../storage/index.ts';

/** How an import route takes its file. */
export interface UploadedFileRules {
  maxBytes: number;
  /** What the file is, for messages: `CSV`, `MARC file`. */
  what: string;
  /** Media types accepted when the body is the file itself. */
  rawTypes: RegExp;
  /** The message for any other media type, naming those accepted. */
  wrongType: string;
}

/**
 * The bytes of an uploaded file as they arrive, whether the body is the file itself (one of
 * `rawTypes`) or `multipart/form-data` whose first file part is named `file`; never the whole
 * file in memory. Throws `InvalidInputError` for another media type or a malformed form, and
 * `PayloadTooLargeError` past `maxBytes` (at once when Content-Length says so).
 */
export async function* uploadedFileChunks(req: Request, rules: UploadedFileRules): AsyncGenerator<Buffer> {
  const tooLarge = () => new PayloadTooLargeError(`The ${rules.what} is larger than ${rules.maxBytes} bytes: split it into several files`);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > rules.maxBytes) {
    req.resume();
    throw tooLarge();
  }
  if (contentType.startsWith('multipart/form-data')) {
    yield* await multipartFile(req, rules, tooLarge);
    return;
  }
  if (!rules.rawTypes.test(contentType)) {
    req.resume();
    throw new InvalidInputError(rules.wrongType);
  }
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > rules.maxBytes) {
      req.resume();
      throw tooLarge();
    }
    yield chunk;
  }
}

/** The whole uploaded file, for formats read at once (a CSV up to its limit). */
export async function receiveUploadedFile(req: Request, rules: UploadedFileRules): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of uploadedFileChunks(req, rules)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The stream of the first file part, which must be named `file`; it fails with `tooLarge` past the limit. */
function multipartFile(req: Request, rules: UploadedFileRules, tooLarge: () => Error): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: rules.maxBytes, files: 1, fields: 20, fieldSize: 1024 } });
    } catch (error) {
      reject(new InvalidInputError(`Malformed multipart request: ${(error as Error).message}`));
      return;
    }
    let file: Readable | undefined;
    parser.on('file', (name, stream) => {
      if (name !== 'file') {
        stream.resume();
        reject(new InvalidInputError(`The file part is named "${name}": name it "file"`));
        return;
      }
      file = stream;
      stream.on('limit', () => stream.destroy(tooLarge()));
      resolve(stream);
    });
    parser.on('error', (error: Error) => {
      const failure = new InvalidInputError(`Malformed multipart request: ${error.message}`);
      if (file === undefined) reject(failure);
      else file.destroy(failure);
    });
    parser.on('close', () => reject(new InvalidInputError(`The request has no part named "file": attach the ${rules.what} as "file"`)));
    req.pipe(parser);
  });
}

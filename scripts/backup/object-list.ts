import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { InvalidInputError, isValidKey } from '../../storage/index.ts';

const entrySchema = z.object({
  key: z.string().refine(isValidKey, 'not a valid object key'),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  contentType: z.string().min(1),
});

/** One copied object: where it goes back, and the bytes it must have. */
export type ObjectEntry = z.infer<typeof entrySchema>;

/** Appends entries, one JSON line each, hashing the list as it is written (its sha256 goes into the manifest). */
export class ObjectListWriter {
  readonly #out: WriteStream;
  readonly #hash = createHash('sha256');

  constructor(file: string) {
    this.#out = createWriteStream(file, { flags: 'wx', flush: true });
  }

  async add(entry: ObjectEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    this.#hash.update(line);
    if (!this.#out.write(line)) await once(this.#out, 'drain');
  }

  /** Closes the file; resolves with the list's sha256. */
  async close(): Promise<string> {
    this.#out.end();
    await finished(this.#out);
    return this.#hash.digest('hex');
  }
}

/** The entries of a list, line by line. Throws `InvalidInputError` naming the first bad line. */
export async function* readObjectList(file: string): AsyncGenerator<ObjectEntry> {
  let number = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    number += 1;
    if (line === '') continue;
    const parsed = entrySchema.safeParse(parseJson(line));
    if (!parsed.success) {
      throw new InvalidInputError(`${file} line ${number} is not an object entry (${z.prettifyError(parsed.error)}): the backup is damaged; use another backup folder`);
    }
    yield parsed.data;
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

import type { CharacterSample } from './character-sample.repository.ts';

const BLOCK = 512;

/**
 * The training data of a library as a POSIX tar (ustar), produced entry by entry so that it
 * can be streamed: `samples/{id}.png` for every sample, then `labels.tsv` (file, label, its
 * code points in U+ notation, library, item, page, box `x,y,width,height` in pixels of the
 * OCR'd image). Tar rather than zip: every training tool reads it, and it needs no library.
 */
export async function* writeTrainingTar(
  samples: AsyncIterable<CharacterSample>,
  image: (sample: CharacterSample) => Promise<Buffer>,
  mtime: Date,
): AsyncGenerator<Buffer> {
  const rows = ['file\tlabel\tcode_points\tlibrary\titem\tpage\tbox'];
  for await (const sample of samples) {
    const file = `samples/${sample.id}.png`;
    yield* entry(file, await image(sample), mtime);
    const { x, y, width, height } = sample.box;
    rows.push([file, sample.label, codePoints(sample.label), sample.libraryId, sample.itemId, sample.pageId, `${x},${y},${width},${height}`].join('\t'));
  }
  yield* entry('labels.tsv', Buffer.from(`${rows.join('\n')}\n`, 'utf8'), mtime);
  yield Buffer.alloc(BLOCK * 2);
}

/** `U+4E00 U+F0000`: each code point of the label, so a reader sees astral and Private Use Area characters for what they are. */
export function codePoints(text: string): string {
  return [...text].map((character) => `U+${(character.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}

function* entry(name: string, body: Buffer, mtime: Date): Generator<Buffer> {
  yield header(name, body.length, mtime);
  yield body;
  const padding = (BLOCK - (body.length % BLOCK)) % BLOCK;
  if (padding > 0) yield Buffer.alloc(padding);
}

function header(name: string, size: number, mtime: Date): Buffer {
  const block = Buffer.alloc(BLOCK);
  const field = (offset: number, length: number, value: string) => block.write(value, offset, length, 'ascii');
  const octal = (value: number, length: number) => `${value.toString(8).padStart(length - 1, '0')}\0`;
  field(0, 100, name);
  field(100, 8, octal(0o644, 8));
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(size, 12));
  field(136, 12, octal(Math.floor(mtime.getTime() / 1000), 12));
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  field(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

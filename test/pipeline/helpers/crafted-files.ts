import { readFile, writeFile } from 'node:fs/promises';
import zlib from 'node:zlib';

/** Hand-made files and headers for the validation tests. */

/** The 12-byte JPEG 2000 signature box followed by the start of an `ftyp` box (brand `jp2 `). */
export function jp2Bytes(): Uint8Array {
  return Uint8Array.from([
    0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a,
    0x00, 0x00, 0x00, 0x14, 0x66, 0x74, 0x79, 0x70, 0x6a, 0x70, 0x32, 0x20,
  ]);
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A decompression bomb: a valid PNG whose IHDR claims `width` × `height` RGB pixels (30 GB for
 * 100000 × 100000) while the file is about a kilobyte (a few compressed rows of zeros).
 */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = zlib.deflateSync(Buffer.alloc((width * 3 + 1) * 4));
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', rows), pngChunk('IEND', new Uint8Array())]);
}

/** The PNG's chunks as [type, data] pairs. */
export function pngChunks(png: Uint8Array): { type: string; data: Buffer }[] {
  const buffer = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at + 8 <= buffer.length; ) {
    const length = buffer.readUInt32BE(at);
    chunks.push({ type: buffer.toString('latin1', at + 4, at + 8), data: buffer.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

/** Rewrites a PNG file without the chunks of the given type (e.g. `pHYs`: no resolution). */
export async function removePngChunk(path: string, type: string): Promise<void> {
  const chunks = pngChunks(await readFile(path)).filter((chunk) => chunk.type !== type);
  await writeFile(path, Buffer.concat([PNG_SIGNATURE, ...chunks.map((chunk) => pngChunk(chunk.type, chunk.data))]));
}

/**
 * Inserts a JFIF APP0 segment right after SOI of a JPEG that has none (sharp writes none
 * unless asked for a density): `units` 0 = aspect ratio only, 1 = dots per inch, 2 = dots per cm.
 */
export function withJfif(jpeg: Uint8Array, units: 0 | 1 | 2, density: number): Buffer {
  const app0 = Buffer.alloc(18);
  app0.writeUInt16BE(0xffe0, 0);
  app0.writeUInt16BE(16, 2);
  app0.write('JFIF\0', 4, 'latin1');
  app0[9] = 1;
  app0[10] = 2;
  app0[11] = units;
  app0.writeUInt16BE(density, 12);
  app0.writeUInt16BE(density, 14);
  return Buffer.concat([jpeg.subarray(0, 2), app0, jpeg.subarray(2)]);
}

/** Writes the first `fraction` of `source` to `target` (a scan or upload cut short). */
export async function truncateCopy(source: string, target: string, fraction = 0.5): Promise<void> {
  const bytes = await readFile(source);
  await writeFile(target, bytes.subarray(0, Math.floor(bytes.length * fraction)));
}

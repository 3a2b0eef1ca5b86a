import { open } from 'node:fs/promises';

/**
 * A minimal uncompressed TIFF writer for tests, laid out the way many scanners write: header,
 * then the image directory, then the pixel strips (libvips puts the directory at the end, so
 * cutting its files loses the directory; cutting these loses pixel data). It can also leave
 * out the resolution tags entirely, which sharp cannot (it always writes at least 1 px/mm).
 */
export interface RawTiffOptions {
  width: number;
  height: number;
  /** Colour channels (1 greyscale, 3 RGB or CIELAB, 4 CMYK); the others are in `extraSamples`. */
  channels: 1 | 3 | 4;
  /** Default greyscale for 1 channel, RGB for 3. */
  photometric?: 'grey' | 'rgb' | 'cmyk' | 'cielab';
  /** ExtraSamples values of channels after the colour ones (0 unspecified, 2 unassociated alpha). */
  extraSamples?: number[];
  /** Default 8-bit unsigned integers. */
  sample?: { bits: 8 | 16 | 32; format: 'uint' | 'int' | 'float' };
  /** Fills one row (width × all channels × bytes per sample, little-endian) for row `y`. */
  fillRow: (row: Uint8Array, y: number) => void;
  /** XResolution = YResolution = numerator/denominator per `unit` (1 none, 2 inch, 3 cm); omit for none at all. */
  resolution?: { numerator: number; denominator: number; unit: 1 | 2 | 3 };
  /** Extra SHORT tags, written after the others and so out of order (a libtiff warning). */
  unsortedExtraTags?: { tag: number; value: number }[];
  /** Rows per strip (default 16). */
  rowsPerStrip?: number;
}

type Tag = { tag: number; type: 3 | 4 | 5; values: number[] };

const PHOTOMETRIC = { grey: 1, rgb: 2, cmyk: 5, cielab: 8 } as const;
const SAMPLE_FORMAT = { uint: 1, int: 2, float: 3 } as const;

const TYPE_SIZE = { 3: 2, 4: 4, 5: 8 } as const;

export async function writeRawTiff(path: string, options: RawTiffOptions): Promise<void> {
  const { width, height } = options;
  const extraSamples = options.extraSamples ?? [];
  const channels = options.channels + extraSamples.length;
  const sample = options.sample ?? { bits: 8, format: 'uint' };
  const photometric = options.photometric ?? (options.channels === 1 ? 'grey' : 'rgb');
  const rowsPerStrip = options.rowsPerStrip ?? 16;
  const rowBytes = (width * channels * sample.bits) / 8;
  const strips = Math.ceil(height / rowsPerStrip);
  const stripBytes = Array.from({ length: strips }, (_, i) => Math.min(rowsPerStrip, height - i * rowsPerStrip) * rowBytes);

  const tags: Tag[] = [
    { tag: 256, type: 4, values: [width] },
    { tag: 257, type: 4, values: [height] },
    { tag: 258, type: 3, values: Array.from({ length: channels }, () => sample.bits) },
    { tag: 259, type: 3, values: [1] },
    { tag: 262, type: 3, values: [PHOTOMETRIC[photometric]] },
    { tag: 273, type: 4, values: [] }, // StripOffsets, filled in below
    { tag: 277, type: 3, values: [channels] },
    { tag: 278, type: 4, values: [rowsPerStrip] },
    { tag: 279, type: 4, values: stripBytes },
  ];
  if (options.resolution) {
    const { numerator, denominator, unit } = options.resolution;
    tags.push({ tag: 282, type: 5, values: [numerator, denominator] }, { tag: 283, type: 5, values: [numerator, denominator] });
    tags.push({ tag: 296, type: 3, values: [unit] });
  }
  tags.push({ tag: 284, type: 3, values: [1] });
  if (extraSamples.length > 0) tags.push({ tag: 338, type: 3, values: extraSamples });
  if (options.sample) tags.push({ tag: 339, type: 3, values: Array.from({ length: channels }, () => SAMPLE_FORMAT[sample.format]) });
  tags.sort((a, b) => a.tag - b.tag);
  for (const extra of options.unsortedExtraTags ?? []) tags.push({ tag: extra.tag, type: 3, values: [extra.value] });

  const countOf = (t: Tag): number => (t.type === 5 ? t.values.length / 2 : t.tag === 273 ? strips : t.values.length);
  const directorySize = 2 + tags.length * 12 + 4;
  let extraOffset = 8 + directorySize;
  const placement = new Map<number, number>();
  for (const t of tags) {
    const size = countOf(t) * TYPE_SIZE[t.type];
    if (size > 4) {
      placement.set(t.tag, extraOffset);
      extraOffset += size;
    }
  }
  const dataOffset = extraOffset;
  const stripOffsets: number[] = [];
  for (let i = 0, at = dataOffset; i < strips; i += 1) {
    stripOffsets.push(at);
    at += stripBytes[i] ?? 0;
  }

  const head = Buffer.alloc(dataOffset);
  head.write('II', 0, 'latin1');
  head.writeUInt16LE(42, 2);
  head.writeUInt32LE(8, 4);
  head.writeUInt16LE(tags.length, 8);
  let p = 10;
  for (const t of tags) {
    const values = t.tag === 273 ? stripOffsets : t.values;
    head.writeUInt16LE(t.tag, p);
    head.writeUInt16LE(t.type, p + 2);
    head.writeUInt32LE(countOf(t), p + 4);
    const at = placement.get(t.tag);
    let q = at ?? p + 8;
    for (const value of values) {
      if (t.type === 3) {
        head.writeUInt16LE(value, q);
        q += 2;
      } else {
        head.writeUInt32LE(value, q);
        q += 4;
      }
    }
    if (at !== undefined) head.writeUInt32LE(at, p + 8);
    p += 12;
  }
  head.writeUInt32LE(0, p);

  const file = await open(path, 'w');
  try {
    await file.write(head);
    const block = Buffer.alloc(rowBytes * rowsPerStrip);
    for (let y = 0; y < height; y += rowsPerStrip) {
      const rows = Math.min(rowsPerStrip, height - y);
      for (let r = 0; r < rows; r += 1) options.fillRow(block.subarray(r * rowBytes, (r + 1) * rowBytes), y + r);
      await file.write(block.subarray(0, rows * rowBytes));
    }
  } finally {
    await file.close();
  }
}

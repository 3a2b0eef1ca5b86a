import { InvalidInputError } from '../../storage/index.ts';
import type { ByteReader } from './image-byte-reader.ts';

/** The resolution fields of a directory (also used for the EXIF block of a JPEG). */
export interface TiffResolution {
  /** XResolution/YResolution (282/283) as stored, in `resolutionUnit`s; `null` when absent or invalid. */
  xResolution: number | null;
  yResolution: number | null;
  /** ResolutionUnit (296): 1 none (aspect ratio only), 2 inch (the default), 3 centimetre. */
  resolutionUnit: number;
}

/**
 * The fields of one TIFF image file directory (IFD) that the pipeline needs, read straight
 * from the file: sharp's `metadata()` exposes neither the tile size nor the compression.
 * Tag numbers and defaults are from TIFF 6.0 (§8 baseline fields, §15 tiled images).
 */
export interface TiffDirectory extends TiffResolution {
  /** Byte offset of this IFD in the file. */
  offset: number;
  width: number;
  height: number;
  /** TileWidth/TileLength (322/323); `null` for a strip-based image. */
  tileWidth: number | null;
  tileHeight: number | null;
  /** Compression (259): 1 none, 5 LZW, 7 JPEG, 8 Deflate, 32773 PackBits, 4 CCITT G4, ... */
  compression: number;
  /** PhotometricInterpretation (262): 0/1 greyscale, 2 RGB, 5 CMYK, 6 YCbCr; `null` when absent. */
  photometric: number | null;
  samplesPerPixel: number;
  /** BitsPerSample (258) of the first sample. */
  bitsPerSample: number;
  /** NewSubfileType (254) bit field: bit 0 set = a reduced-resolution copy of another image. */
  subfileType: number;
  /** How many SubIFDs (330) hang off this directory (SubIFD-style pyramids use them). */
  subIfdCount: number;
}

/** Field type → size in bytes (TIFF 6.0 §2, BigTIFF adds 16-18). */
const TYPE_SIZE: Record<number, number> = {
  1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8,
};

const MAX_ENTRIES_PER_DIRECTORY = 4096;

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Where the value is: inside the entry, or at the offset the entry holds. */
  valueOffset: number;
}

function structureError(message: string): InvalidInputError {
  return new InvalidInputError(
    `The TIFF structure is damaged (${message}). The file is probably truncated or corrupt: export or upload it again.`,
    { details: { reason: 'corrupt' } },
  );
}

class TiffParser {
  private constructor(
    private readonly reader: ByteReader,
    private readonly littleEndian: boolean,
    private readonly big: boolean,
  ) {}

  static async open(reader: ByteReader): Promise<{ parser: TiffParser; firstOffset: number }> {
    const header = await reader.read(0, 16);
    if (header.length < 8) throw structureError('the file is shorter than a TIFF header');
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const order = view.getUint16(0, false);
    if (order !== 0x4949 && order !== 0x4d4d) throw structureError('no byte-order mark');
    const littleEndian = order === 0x4949;
    const version = view.getUint16(2, littleEndian);
    if (version === 42) {
      return { parser: new TiffParser(reader, littleEndian, false), firstOffset: view.getUint32(4, littleEndian) };
    }
    if (version === 43 && header.length >= 16) {
      return { parser: new TiffParser(reader, littleEndian, true), firstOffset: Number(view.getBigUint64(8, littleEndian)) };
    }
    throw structureError(`unknown TIFF version ${version}`);
  }

  private async view(offset: number, length: number): Promise<DataView> {
    const bytes = await this.reader.read(offset, length);
    if (bytes.length < length) throw structureError(`data at byte ${offset} lies beyond the end of the file`);
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private offsetAt(view: DataView, at: number): number {
    return this.big ? Number(view.getBigUint64(at, this.littleEndian)) : view.getUint32(at, this.littleEndian);
  }

  async directory(offset: number): Promise<{ entries: Entry[]; next: number }> {
    const countSize = this.big ? 8 : 2;
    const entrySize = this.big ? 20 : 12;
    const countView = await this.view(offset, countSize);
    const count = this.big ? Number(countView.getBigUint64(0, this.littleEndian)) : countView.getUint16(0, this.littleEndian);
    if (count === 0 || count > MAX_ENTRIES_PER_DIRECTORY) throw structureError(`a directory claims ${count} entries`);
    const view = await this.view(offset + countSize, count * entrySize + (this.big ? 8 : 4));
    const entries: Entry[] = [];
    for (let i = 0; i < count; i += 1) {
      const at = i * entrySize;
      const tag = view.getUint16(at, this.littleEndian);
      const type = view.getUint16(at + 2, this.littleEndian);
      const count = this.big ? Number(view.getBigUint64(at + 4, this.littleEndian)) : view.getUint32(at + 4, this.littleEndian);
      const valueAt = at + (this.big ? 12 : 8);
      const size = (TYPE_SIZE[type] ?? 0) * count;
      const inline = size <= (this.big ? 8 : 4);
      const valueOffset = inline ? offset + countSize + valueAt : this.offsetAt(view, valueAt);
      entries.push({ tag, type, count, valueOffset });
    }
    return { entries, next: this.offsetAt(view, count * entrySize) };
  }

  /** The `index`-th value of a numeric entry (rationals as a float). */
  async value(entry: Entry, index = 0): Promise<number> {
    const size = TYPE_SIZE[entry.type];
    if (size === undefined || index >= entry.count) throw structureError(`tag ${entry.tag} has no value ${index}`);
    const view = await this.view(entry.valueOffset + index * size, size);
    const le = this.littleEndian;
    switch (entry.type) {
      case 1:
      case 7:
        return view.getUint8(0);
      case 6:
        return view.getInt8(0);
      case 3:
        return view.getUint16(0, le);
      case 8:
        return view.getInt16(0, le);
      case 4:
      case 13:
        return view.getUint32(0, le);
      case 9:
        return view.getInt32(0, le);
      case 5:
      case 10: {
        const numerator = entry.type === 5 ? view.getUint32(0, le) : view.getInt32(0, le);
        const denominator = entry.type === 5 ? view.getUint32(4, le) : view.getInt32(4, le);
        return denominator === 0 ? Number.NaN : numerator / denominator;
      }
      case 11:
        return view.getFloat32(0, le);
      case 12:
        return view.getFloat64(0, le);
      case 16:
      case 18:
        return Number(view.getBigUint64(0, le));
      case 17:
        return Number(view.getBigInt64(0, le));
      default:
        throw structureError(`tag ${entry.tag} has a non-numeric type ${entry.type}`);
    }
  }
}

type TagGetter = (tag: number) => Promise<number | null>;

function tagGetter(parser: TiffParser, entries: Entry[]): { get: TagGetter; byTag: Map<number, Entry> } {
  const byTag = new Map(entries.map((entry) => [entry.tag, entry]));
  const get = async (tag: number): Promise<number | null> => {
    const entry = byTag.get(tag);
    return entry === undefined || entry.count === 0 ? null : parser.value(entry);
  };
  return { get, byTag };
}

function positive(value: number | null): number | null {
  return value !== null && Number.isFinite(value) && value > 0 ? value : null;
}

async function resolutionOf(get: TagGetter): Promise<TiffResolution> {
  return {
    xResolution: positive(await get(282)),
    yResolution: positive(await get(283)),
    resolutionUnit: (await get(296)) ?? 2,
  };
}

async function describe(parser: TiffParser, offset: number, entries: Entry[]): Promise<TiffDirectory> {
  const { get, byTag } = tagGetter(parser, entries);
  const width = await get(256);
  const height = await get(257);
  if (width === null || height === null) throw structureError(`the directory at byte ${offset} has no image size`);
  return {
    ...(await resolutionOf(get)),
    offset,
    width,
    height,
    tileWidth: await get(322),
    tileHeight: await get(323),
    compression: (await get(259)) ?? 1,
    photometric: await get(262),
    samplesPerPixel: (await get(277)) ?? 1,
    bitsPerSample: (await get(258)) ?? 1,
    subfileType: (await get(254)) ?? 0,
    subIfdCount: byTag.get(330)?.count ?? 0,
  };
}

/**
 * Reads the main chain of image directories (one per page; for a page-based pyramid, one per
 * level), classic TIFF or BigTIFF, either byte order. Only directory bytes are read, never
 * pixel data. Stops after `maxDirectories` and refuses loops.
 */
export async function readTiffDirectories(reader: ByteReader, maxDirectories = 10_000): Promise<TiffDirectory[]> {
  const { parser, firstOffset } = await TiffParser.open(reader);
  const directories: TiffDirectory[] = [];
  const seen = new Set<number>();
  let offset = firstOffset;
  while (offset !== 0) {
    if (seen.has(offset)) throw structureError('the directory chain loops');
    if (directories.length >= maxDirectories) throw structureError(`more than ${maxDirectories} directories`);
    seen.add(offset);
    const { entries, next } = await parser.directory(offset);
    directories.push(await describe(parser, offset, entries));
    offset = next;
  }
  if (directories.length === 0) throw structureError('no image directory');
  return directories;
}

/**
 * The resolution fields of the `index`-th directory (0 = the first page, or EXIF IFD0),
 * without requiring the image size tags that an EXIF block does not have. `null` when the
 * chain has fewer directories.
 */
export async function readTiffResolution(reader: ByteReader, index = 0): Promise<TiffResolution | null> {
  const { parser, firstOffset } = await TiffParser.open(reader);
  const seen = new Set<number>();
  let offset = firstOffset;
  for (let i = 0; offset !== 0; i += 1) {
    if (seen.has(offset)) throw structureError('the directory chain loops');
    seen.add(offset);
    const { entries, next } = await parser.directory(offset);
    if (i === index) return resolutionOf(tagGetter(parser, entries).get);
    offset = next;
  }
  return null;
}

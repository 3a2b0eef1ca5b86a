import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { StationError } from '../station-error.ts';
import { measureInk, type Box, type GreyImage } from './measure-ink.ts';

/** What one page file is, as far as the station's pre-checks need to know. */
export interface PageInspection {
  /** Absolute path. */
  file: string;
  /** Base name, as the operator sees it in the folder. */
  name: string;
  size: number;
  /** Hex sha256 of the file's bytes (streamed). */
  sha256: string;
  /** Set when sharp cannot read or fully decode the file; the image fields below are then absent. */
  unreadable?: string;
  /** Why the file is unreadable, when the station can tell the operator something more useful than "damaged". */
  unreadableReason?: UnreadableReason;
  /** sharp's format name: 'tiff', 'jpeg', 'png', 'webp', 'gif'… */
  format?: string;
  width?: number;
  height?: number;
  /** Dots per inch as the file records it, rounded; undefined when it records none. */
  dpi?: number;
  colour?: 'colour' | 'greyscale' | 'bilevel';
  bitsPerSample?: number;
  /** No ink: a blank sheet or the scanner lid. */
  blank?: boolean;
  /** Share of the paper's pixels that look like ink (diagnostics; see {@link BLANK_INK_RATIO}). */
  inkRatio?: number;
  /** {@link SIGNATURE_SIZE}² greyscale thumbnail, contrast-normalised, for finding near-identical pages. */
  signature?: Uint8Array;
}

/** `damaged`: truncated, corrupt or not an image at all; libvips cannot tell these apart reliably. */
export type UnreadableReason = 'damaged' | 'jpeg-2000' | 'too-large';

/**
 * Side of the square page signature. 32² bytes keeps a few hundred pages' pairwise comparison
 * well under a second, and separated rescans from different pages better than 64² (the finer
 * grid sees every small misalignment of a rescan; see check-document.ts).
 */
export const SIGNATURE_SIZE = 32;

/**
 * A page is blank when less than this share of its paper looks like ink.
 *
 * Measured with measureInk (measure-ink.ts) on A4 sheets at 300 dpi (test/scanners/page-checks
 * generates some of them): generated blanks — paper grey with noise, paper texture, a
 * vignette, a black scanner border strip with its shadow, a book-gutter shadow, a sheet
 * smaller than the platen with its edge shadow, the verso's text showing through at 12 %
 * contrast, a closed lid as JPEG, an open lid (all dark) — measured 0; a textured, vignetted
 * sheet with borders on two sides and 25 dust specks measured 0.000053. The sparsest real
 * pages are far above: one line of vietsample.tif alone on a sheet 0.00053 to 0.00095 (its
 * title line 0.0013, or 0.00084 on a vignetted sheet; half a body line 0.000365), one column
 * of the 1866 Kiều woodblock alone 0.0062 (three of its characters 0.0040), every fixture
 * page 0.033 and up. The threshold is near the geometric middle of the dusty blank and half
 * a line, a factor of about 2.5 from each. Known limit: a hair across a blank sheet
 * (3 px × 600 px) measures 0.00028 and passes as written on.
 */
export const BLANK_INK_RATIO = 0.00015;

/**
 * Long side of the greyscale working copy that ink and signature are measured on. At 1 200 px
 * an A4 page is about 4 px per millimetre, so the strokes of 10-point text stay dark after
 * averaging, whatever the scan resolution; the copy stays under 2 MB and JPEGs shrink on load.
 */
const WORKING_SIZE = 1200;

/**
 * 'error' is the lowest libvips strictness that refuses a strip TIFF cut short (measured with
 * sharp 0.35: 'truncated' decodes the missing strips as black and passes); 'warning' would also
 * refuse sound scanner TIFFs over harmless libtiff complaints such as unknown private tags.
 * Only the first page of a multi-page TIFF is read: the server splits the others. Sequential
 * access also keeps libvips from serving a cached decode of a file the operator has replaced
 * under the same name (random-access loads are cached by file name).
 */
const OPEN_OPTIONS: SharpOptions = { failOn: 'error', autoOrient: true, pages: 1, page: 0, sequentialRead: true };

/**
 * Reads a page file and measures what the pre-checks need: bytes and hash, format, resolution,
 * colour mode and depth, whether it is blank, and a small signature for near-duplicates.
 * A file sharp cannot read or fully decode comes back with `unreadable` set; only a file that
 * cannot be read at all (gone, no permission) throws a {@link StationError}.
 */
export async function inspectPage(file: string): Promise<PageInspection> {
  const absolute = path.resolve(file);
  const [facts, image] = await Promise.all([fileFacts(absolute), readImage(absolute)]);
  return { file: absolute, name: path.basename(absolute), ...facts, ...image };
}

type ImageFacts = Omit<PageInspection, 'file' | 'name' | 'size' | 'sha256'>;

async function fileFacts(file: string): Promise<{ size: number; sha256: string }> {
  try {
    const { size } = await stat(file);
    const hash = createHash('sha256');
    await pipeline(createReadStream(file), hash);
    return { size, sha256: hash.digest('hex') };
  } catch (error) {
    throw new StationError(`Cannot read the page file ${file}`, { cause: error });
  }
}

async function readImage(file: string): Promise<ImageFacts> {
  let metadata: Metadata;
  let grey: GreyImage;
  try {
    metadata = await sharp(file, OPEN_OPTIONS).metadata();
    grey = await decodeWorkingCopy(file);
  } catch (error) {
    return unreadable(file, error);
  }
  const ink = measureInk(grey);
  return {
    format: metadata.format,
    width: metadata.autoOrient.width,
    height: metadata.autoOrient.height,
    dpi: await recordedDpi(file, metadata),
    colour: colourOf(metadata),
    bitsPerSample: bitsPerSampleOf(metadata),
    blank: ink.ratio < BLANK_INK_RATIO,
    inkRatio: ink.ratio,
    signature: await signatureOf(grey, ink.content),
  };
}

async function unreadable(file: string, error: unknown): Promise<ImageFacts> {
  const detail = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  if (await isJpeg2000(file)) {
    return { unreadable: `JPEG 2000 cannot be decoded here (${detail})`, unreadableReason: 'jpeg-2000' };
  }
  return { unreadable: detail, unreadableReason: /pixel limit/i.test(detail) ? 'too-large' : 'damaged' };
}

/** JP2 box signature or a raw J2K codestream: sharp's prebuilt libvips has no JPEG 2000 decoder. */
async function isJpeg2000(file: string): Promise<boolean> {
  const head = await readHead(file, 12);
  const jp2 = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];
  return jp2.every((byte, index) => head[index] === byte) || (head[0] === 0xff && head[1] === 0x4f && head[2] === 0xff && head[3] === 0x51);
}

async function readHead(file: string, length: number, position = 0): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The whole first page decoded (so a truncated file fails here) into a small 8-bit greyscale
 * copy. libvips streams the file and shrinks while it reads; transparency becomes paper.
 */
async function decodeWorkingCopy(file: string): Promise<GreyImage> {
  const { data, info } = await sharp(file, OPEN_OPTIONS)
    .flatten({ background: '#ffffff' })
    .resize({ width: WORKING_SIZE, height: WORKING_SIZE, fit: 'inside', withoutEnlargement: true })
    .greyscale()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/**
 * The resolution the file itself records. sharp's `density` cannot be taken as is: libvips
 * fills in 72 dpi for a JPEG or PNG that records nothing, and reads a TIFF whose unit is
 * "none" as per millimetre. sharp sets `resolutionUnit` only when a TIFF or EXIF/JFIF header
 * gives an absolute unit; a PNG's pHYs chunk is read here directly. libvips writes 1 px/mm
 * (25.4 dpi) when it knows no resolution, and no scanner scans that coarsely, so anything
 * at or below {@link PLACEHOLDER_DPI} counts as none (sharp's own `density` does the same).
 */
async function recordedDpi(file: string, metadata: Metadata): Promise<number | undefined> {
  const dpi = metadata.resolutionUnit !== undefined && metadata.density !== undefined ? Math.round(metadata.density) : metadata.format === 'png' ? await pngDpi(file) : undefined;
  return dpi !== undefined && dpi > PLACEHOLDER_DPI ? dpi : undefined;
}

const PLACEHOLDER_DPI = 25;

/** Walks the PNG chunks up to the image data (pHYs must come before IDAT); pHYs unit 1 is pixels per metre. */
async function pngDpi(file: string): Promise<number | undefined> {
  let offset = 8;
  for (let chunk = 0; chunk < 1000; chunk += 1) {
    const head = await readHead(file, 17, offset);
    if (head.length < 8) return undefined;
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const length = view.getUint32(0);
    const type = String.fromCharCode(...head.subarray(4, 8));
    if (type === 'IDAT' || type === 'IEND') return undefined;
    if (type === 'pHYs' && length === 9 && head.length === 17) {
      if (view.getUint8(16) !== 1) return undefined;
      const perMetre = Math.min(view.getUint32(8), view.getUint32(12));
      return perMetre > 0 ? Math.round(perMetre * 0.0254) : undefined;
    }
    offset += 12 + length;
  }
  return undefined;
}

/**
 * The scan's colour mode from how the file stores it, not from what the pixels look like: a
 * greyscale page saved as RGB is still a colour file (three times the bytes). A palette
 * image counts by its palette's channels.
 */
function colourOf(metadata: Metadata): 'colour' | 'greyscale' | 'bilevel' {
  const colourChannels = metadata.channels - (metadata.hasAlpha ? 1 : 0);
  if (colourChannels >= 3) return 'colour';
  return metadata.bitsPerSample === 1 ? 'bilevel' : 'greyscale';
}

const DEPTH_BITS: Partial<Record<Metadata['depth'], number>> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32, double: 64 };

/** Bits per sample as stored; a palette's entries are 8-bit whatever the index size. */
function bitsPerSampleOf(metadata: Metadata): number {
  if (metadata.isPalette) return 8;
  return metadata.bitsPerSample ?? DEPTH_BITS[metadata.depth] ?? 8;
}

/**
 * A {@link SIGNATURE_SIZE}² thumbnail of the written area (the page when there is none), its
 * mean moved to 128 and its spread to ±32 per standard deviation. Framing the written area
 * rather than the sheet makes a rescan with another crop or position compare equal, and the
 * normalisation does the same for one a little brighter or more contrasted.
 */
async function signatureOf(grey: GreyImage, content: Box | undefined): Promise<Uint8Array> {
  const thumbnail = await sharp(grey.pixels, { raw: { width: grey.width, height: grey.height, channels: 1 } })
    .extract(content ?? { left: 0, top: 0, width: grey.width, height: grey.height })
    .resize(SIGNATURE_SIZE, SIGNATURE_SIZE, { fit: 'fill' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  let sum = 0;
  let squares = 0;
  for (const value of thumbnail) {
    sum += value;
    squares += value * value;
  }
  const mean = sum / thumbnail.length;
  const deviation = Math.sqrt(Math.max(squares / thumbnail.length - mean * mean, 0)) || 1;
  return Uint8Array.from(thumbnail, (value) => Math.min(255, Math.max(0, Math.round(128 + (32 * (value - mean)) / deviation))));
}

import { bufferByteReader, type ByteReader } from './image-byte-reader.ts';
import { readTiffResolution, type TiffResolution } from './image-tiff-directory.ts';
import type { AcceptedImageType } from './sniff-image-type.ts';

/**
 * The scan resolution in dots per inch, read from the file's own header, or `null` when the
 * file does not state one in absolute units.
 *
 * Why not sharp's `metadata().density`: libvips fills in defaults that look like real values.
 * Measured with sharp 0.35 / libvips 8.18: a PNG without pHYs and a JPEG without JFIF/EXIF
 * resolution both report 72; a PNG whose pHYs has no unit (aspect ratio only) reports 25400;
 * a TIFF with ResolutionUnit "none" is read as per-millimetre (300 → 7620); anything at or
 * below 25 dpi is dropped. Each format stores it differently:
 * - TIFF: XResolution/YResolution with ResolutionUnit 2 = inch (the default), 3 = cm, 1 = none.
 * - PNG: the pHYs chunk, pixels per metre when its unit byte is 1 (0 = aspect ratio only).
 * - JPEG: the EXIF IFD0 XResolution/ResolutionUnit, else the JFIF APP0 density (units 1 = dpi,
 *   2 = dots per cm, 0 = aspect ratio only). EXIF wins, as in libvips.
 * The smaller of the horizontal and vertical values is returned (the effective resolution),
 * rounded to a whole number: 118 dots/cm, the usual way to store "300 dpi" in metric units, is
 * 299.7 dpi and must not be flagged as too low.
 */
export async function readDpi(reader: ByteReader, type: AcceptedImageType, page = 0): Promise<number | null> {
  switch (type) {
    case 'tiff': {
      const resolution = await readTiffResolution(reader, page);
      return resolution === null ? null : tiffDpi(resolution);
    }
    case 'png':
      return pngDpi(reader);
    case 'jpeg':
      return jpegDpi(reader);
  }
}

const MM_PER_INCH = 25.4;

function toDpi(x: number, y: number | null, perInch: number): number | null {
  const value = Math.min(x, y ?? x) * perInch;
  return Number.isFinite(value) && value >= 1 ? Math.round(value) : null;
}

function tiffDpi(directory: TiffResolution): number | null {
  if (directory.xResolution === null) return null;
  if (directory.resolutionUnit === 2) return toDpi(directory.xResolution, directory.yResolution, 1);
  if (directory.resolutionUnit === 3) return toDpi(directory.xResolution, directory.yResolution, 2.54);
  return null;
}

/** Walks PNG chunks up to the first IDAT (pHYs must come before it: PNG §5.6). */
async function pngDpi(reader: ByteReader): Promise<number | null> {
  let offset = 8;
  for (let chunks = 0; chunks < 10_000; chunks += 1) {
    const head = await reader.read(offset, 8);
    if (head.length < 8) return null;
    const view = new DataView(head.buffer, head.byteOffset, 8);
    const length = view.getUint32(0, false);
    const type = String.fromCharCode(...head.subarray(4, 8));
    if (type === 'IDAT' || type === 'IEND') return null;
    if (type === 'pHYs' && length === 9) {
      const body = await reader.read(offset + 8, 9);
      if (body.length < 9) return null;
      const data = new DataView(body.buffer, body.byteOffset, 9);
      if (data.getUint8(8) !== 1) return null;
      return toDpi(data.getUint32(0, false), data.getUint32(4, false), MM_PER_INCH / 1000);
    }
    offset += 12 + length;
  }
  return null;
}

/** Walks JPEG marker segments up to the start of scan, reading APP0 (JFIF) and APP1 (EXIF). */
async function jpegDpi(reader: ByteReader): Promise<number | null> {
  let jfif: number | null = null;
  let exif: number | null = null;
  let offset = 2;
  for (let segments = 0; segments < 1000; segments += 1) {
    const head = await reader.read(offset, 4);
    if (head.length < 4 || head[0] !== 0xff) break;
    const marker = head[1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break; // start of scan, end of image
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    const length = ((head[2] ?? 0) << 8) | (head[3] ?? 0);
    if (length < 2) break;
    if (marker === 0xe0 && length >= 16) {
      const body = await reader.read(offset + 4, 12);
      if (String.fromCharCode(...body.subarray(0, 5)) === 'JFIF\0') {
        const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
        const units = view.getUint8(7);
        const x = view.getUint16(8, false);
        const y = view.getUint16(10, false);
        if (units === 1) jfif = toDpi(x, y, 1);
        if (units === 2) jfif = toDpi(x, y, 2.54);
      }
    } else if (marker === 0xe1 && length > 8) {
      const body = await reader.read(offset + 4, length - 2);
      if (String.fromCharCode(...body.subarray(0, 6)) === 'Exif\0\0') {
        exif = await exifDpi(body.subarray(6));
      }
    }
    offset += 2 + length;
  }
  return exif ?? jfif;
}

async function exifDpi(tiff: Uint8Array): Promise<number | null> {
  try {
    const ifd0 = await readTiffResolution(bufferByteReader(tiff), 0);
    return ifd0 === null ? null : tiffDpi(ifd0);
  } catch {
    return null; // a damaged EXIF block says nothing reliable about resolution
  }
}

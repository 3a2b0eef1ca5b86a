/**
 * What a file really is, from its first bytes only: never from its name or the content type
 * a client claimed.
 *
 * {@link SNIFF_HEADER_LENGTH} bytes are enough for every signature here; the longest ones are
 * 12 bytes (the JPEG 2000 signature box, `RIFF....WEBP`, and the ISO-BMFF `ftyp` brand at
 * bytes 8–11 for HEIC/AVIF). A shorter header (a tiny or empty file) is sniffed as far as it
 * goes and ends up `unknown`.
 */
export const SNIFF_HEADER_LENGTH = 16;

export type AcceptedImageType = 'tiff' | 'jpeg' | 'png';
export type RefusedImageType = 'jp2' | 'pdf' | 'gif' | 'webp' | 'bmp' | 'heic' | 'unknown';

export type AcceptedSniffedType = {
  accepted: true;
  type: AcceptedImageType;
  mimeType: 'image/tiff' | 'image/jpeg' | 'image/png';
  /** File extension for the stored master, without the dot. */
  extension: 'tif' | 'jpg' | 'png';
};

export type RefusedSniffedType = {
  accepted: false;
  type: RefusedImageType;
  /** Plain-English reason for the operator, saying what to upload instead. */
  reason: string;
};

export type SniffedType = AcceptedSniffedType | RefusedSniffedType;

const ACCEPTED: { [T in AcceptedImageType]: AcceptedSniffedType } = {
  tiff: { accepted: true, type: 'tiff', mimeType: 'image/tiff', extension: 'tif' },
  jpeg: { accepted: true, type: 'jpeg', mimeType: 'image/jpeg', extension: 'jpg' },
  png: { accepted: true, type: 'png', mimeType: 'image/png', extension: 'png' },
};

const UPLOAD_INSTEAD = 'Upload the page as TIFF (preferred for masters), PNG or JPEG.';

const REASONS: { [T in RefusedImageType]: string } = {
  jp2:
    'This file is JPEG 2000 (JP2), which this system cannot read: its image library has no JPEG 2000 decoder. ' +
    'In the scanner software, export the page as TIFF (preferred) or PNG, then upload it again.',
  pdf:
    'This file is a PDF document, not a page image. Export each page from the scanner software as an image ' +
    '(TIFF preferred, or PNG or JPEG) and upload the images.',
  gif: `This file is a GIF image. GIF keeps at most 256 colours, which is not enough for a scanned master. ${UPLOAD_INSTEAD}`,
  webp: `This file is a WebP image, which is not accepted for scanned masters. ${UPLOAD_INSTEAD}`,
  bmp: `This file is a BMP image, which is not accepted for scanned masters. ${UPLOAD_INSTEAD}`,
  heic:
    'This file is HEIC/HEIF (or AVIF), a phone-camera format that is not accepted for scanned masters. ' +
    `Set the camera or scanner to save TIFF or JPEG, or convert the file. ${UPLOAD_INSTEAD}`,
  unknown:
    'This file is not a recognised page image: its first bytes do not match TIFF, PNG or JPEG. ' +
    `Check that the right file was chosen and that it was copied completely. ${UPLOAD_INSTEAD}`,
};

function refused(type: RefusedImageType): RefusedSniffedType {
  return { accepted: false, type, reason: REASONS[type] };
}

/** True when `header` starts with `signature` at `offset`; `null` in `signature` matches any byte. */
function has(header: Uint8Array, signature: readonly (number | null)[], offset = 0): boolean {
  if (header.length < offset + signature.length) return false;
  return signature.every((byte, i) => byte === null || header[offset + i] === byte);
}

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

/** ISO-BMFF brands of the HEIF family (HEIC, HEIF image sequences, AVIF). */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'avif', 'avis']);

/**
 * Identify an image type from the first bytes of a file (see {@link SNIFF_HEADER_LENGTH}).
 * Accepted: TIFF (classic `II*\0` / `MM\0*` and BigTIFF `II+\0` / `MM\0+`), JPEG, PNG.
 * Recognised and refused with a reason: JPEG 2000 (JP2 box or raw codestream), PDF, GIF,
 * WebP, BMP, HEIC/HEIF/AVIF; anything else is `unknown`.
 */
export function sniffImageType(header: Uint8Array): SniffedType {
  // TIFF: byte order, then 42 (classic) or 43 (BigTIFF) in that byte order.
  if (has(header, [0x49, 0x49, 0x2a, 0x00]) || has(header, [0x4d, 0x4d, 0x00, 0x2a])) return ACCEPTED.tiff;
  if (has(header, [0x49, 0x49, 0x2b, 0x00]) || has(header, [0x4d, 0x4d, 0x00, 0x2b])) return ACCEPTED.tiff;
  // JPEG: SOI followed by the first marker's 0xFF.
  if (has(header, [0xff, 0xd8, 0xff])) return ACCEPTED.jpeg;
  if (has(header, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return ACCEPTED.png;

  // JPEG 2000: the 12-byte signature box (JP2/JPX), or a bare codestream (SOC + SIZ).
  if (has(header, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a])) return refused('jp2');
  if (has(header, [0xff, 0x4f, 0xff, 0x51])) return refused('jp2');
  if (has(header, ascii('%PDF-'))) return refused('pdf');
  if (has(header, ascii('GIF87a')) || has(header, ascii('GIF89a'))) return refused('gif');
  if (has(header, ascii('RIFF')) && has(header, ascii('WEBP'), 8)) return refused('webp');
  // BMP: "BM", then the reserved fields at bytes 6-9, which are zero in practice.
  if (has(header, [0x42, 0x4d, null, null, null, null, 0x00, 0x00, 0x00, 0x00])) return refused('bmp');
  if (has(header, ascii('ftyp'), 4) && header.length >= 12) {
    const brand = String.fromCharCode(...header.subarray(8, 12));
    if (HEIF_BRANDS.has(brand)) return refused('heic');
  }
  return refused('unknown');
}

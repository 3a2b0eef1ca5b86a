import { InvalidInputError } from '../../storage/index.ts';

/** Why a page image was refused; goes into `InvalidInputError.details.reason`. */
export type ImageRejectionReason =
  | 'unsupported-format'
  | 'unsupported-sample-format'
  | 'unsupported-colour-space'
  | 'too-many-channels'
  | 'too-many-pixels'
  | 'corrupt'
  | 'page-out-of-range';

const FORMAT_NAMES: Record<string, string> = { tiff: 'TIFF', jpeg: 'JPEG', png: 'PNG' };

/**
 * What libvips said, made readable: its messages repeat lines (one per tile or retry) and
 * carry sharp's prefixes. Keeps distinct lines, drops the per-tile noise, caps the length.
 */
export function decoderMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const lines = raw
    .split('\n')
    .map((line) => line.replace(/^Input file has corrupt header: /, '').trim())
    .filter((line) => line !== '' && !/^error in tile \d+ x \d+$/.test(line));
  const distinct = [...new Set(lines)];
  const text = distinct.join('; ');
  return text.length > 400 ? `${text.slice(0, 397)}...` : text;
}

/**
 * The page could not be read: a truncated or damaged file. `part` says where it failed: the
 * header (sharp's metadata, the TIFF directories) or the pixel data. The decoder's own text is
 * appended for the operator and kept in `details.decoder`; it is best effort (see
 * `decodeFully`), the refusal is not.
 */
export function corruptImageError(error: unknown, format: string, path: string, part: 'header' | 'data'): InvalidInputError {
  const name = FORMAT_NAMES[format] ?? format.toUpperCase();
  const said = decoderMessage(error) || 'no details';
  const what = part === 'header'
    ? `The ${name} file's header or image directory cannot be read`
    : `The ${name} file's image data are incomplete or damaged`;
  return new InvalidInputError(
    `${what}. This usually means the scan, copy or upload was interrupted. ` +
      `Export the page from the scanner software again and upload it again. (Decoder: ${said})`,
    { cause: error, details: { reason: 'corrupt' satisfies ImageRejectionReason, format, path, decoder: said } },
  );
}

function formatMegapixels(pixels: number): string {
  const megapixels = pixels / 1_000_000;
  return megapixels >= 10 ? megapixels.toFixed(0) : megapixels.toFixed(1);
}

/** The page is larger than the pixel limit (checked from the header, before decoding). */
export function tooManyPixelsError(width: number, height: number, maxPixels: number, path: string): InvalidInputError {
  const pixels = width * height;
  return new InvalidInputError(
    `The image is ${width} × ${height} pixels (${formatMegapixels(pixels)} megapixels), more than the limit of ` +
      `${formatMegapixels(maxPixels)} megapixels per page. Scan at a lower resolution, or split the page into parts.`,
    { details: { reason: 'too-many-pixels' satisfies ImageRejectionReason, width, height, pixels, maxPixels, path } },
  );
}

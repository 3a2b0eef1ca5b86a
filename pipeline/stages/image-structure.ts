import type { Metadata } from 'sharp';

import { InvalidInputError } from '../../storage/index.ts';
import type { ImageRejectionReason } from './image-errors.ts';

/** How libvips stores one sample (sharp's `metadata().depth`): `uchar`, `ushort`, `float`, ... */
export type SampleFormat = Metadata['depth'];

/** What a page's header says about its pixels; see `readImageHeader`. */
export interface ImageStructure {
  /** libvips interpretation: `srgb`, `b-w`, `cmyk`, `rgb16`, `grey16`, `multiband`, ... */
  colourSpace: string;
  sampleFormat: SampleFormat;
  channels: number;
}

/** Where the structure was read, for the message and the error's details. */
export interface StructureSource {
  path: string;
  page: number;
  pageCount: number;
}

interface ProcessedSpace {
  /** For the operator. */
  name: string;
  /** Channels that carry colour; one more (transparency) is flattened onto white. */
  colourChannels: number;
  sampleFormats: readonly SampleFormat[];
}

/**
 * The colour spaces, with their sample formats, that deskew and the derivatives turn into
 * correct 8-bit sRGB or greyscale, as checked through every page stage with sharp 0.35.5 /
 * libvips 8.18.7. `b-w` covers 1-, 2- and 4-bit files too (libvips loads them as `uchar`), so
 * bilevel text scans pass; palette images load as `srgb`. What those runs got wrong is left
 * out: float samples (a 0–1 greyscale page came out black), signed or 32-bit integers
 * (rendered too dark), more channels than colour plus one transparency (the derivatives
 * fail) and `multiband` (no conversion to sRGB, misreported as a damaged file).
 */
const PROCESSED_SPACES: Readonly<Record<string, ProcessedSpace>> = {
  'b-w': { name: 'greyscale', colourChannels: 1, sampleFormats: ['uchar'] },
  grey16: { name: '16-bit greyscale', colourChannels: 1, sampleFormats: ['ushort'] },
  srgb: { name: 'RGB', colourChannels: 3, sampleFormats: ['uchar'] },
  rgb16: { name: '16-bit RGB', colourChannels: 3, sampleFormats: ['ushort'] },
  cmyk: { name: 'CMYK', colourChannels: 4, sampleFormats: ['uchar', 'ushort'] },
  // 16-bit CIELAB TIFF, which libvips loads as signed LabS.
  labs: { name: 'CIELAB', colourChannels: 3, sampleFormats: ['short'] },
};

const PROCESSED_SAMPLE_FORMATS = new Set(Object.values(PROCESSED_SPACES).flatMap((space) => space.sampleFormats));

const SAMPLE_FORMAT_NAMES: Readonly<Record<SampleFormat, string>> = {
  uchar: '8-bit unsigned integers',
  char: '8-bit signed integers',
  ushort: '16-bit unsigned integers',
  short: '16-bit signed integers',
  uint: '32-bit unsigned integers',
  int: '32-bit signed integers',
  float: '32-bit floating-point numbers',
  double: '64-bit floating-point numbers',
  complex: 'complex numbers',
  dpcomplex: 'double-precision complex numbers',
};

const EXPORT_AGAIN = 'then upload it again.';

function subject(source: StructureSource): string {
  return source.pageCount > 1 ? `Image ${source.page + 1} of the ${source.pageCount} in this TIFF` : 'The image';
}

function refusal(message: string, reason: ImageRejectionReason, structure: ImageStructure, source: StructureSource): InvalidInputError {
  return new InvalidInputError(message, { details: { reason, ...structure, page: source.page, path: source.path } });
}

/**
 * Refuses, from the header alone, a page whose samples, colour space or channels the page
 * stages cannot turn into correct derivatives (see {@link PROCESSED_SPACES}), with what to
 * export instead. InvalidInputError with `details.reason` `unsupported-sample-format`,
 * `unsupported-colour-space` or `too-many-channels`.
 */
export function assertProcessableStructure(structure: ImageStructure, source: StructureSource): void {
  const { colourSpace, sampleFormat, channels } = structure;
  const space = PROCESSED_SPACES[colourSpace];
  const formatProcessed = space === undefined ? PROCESSED_SAMPLE_FORMATS.has(sampleFormat) : space.sampleFormats.includes(sampleFormat);
  if (!formatProcessed) {
    throw refusal(
      `${subject(source)} stores its samples as ${SAMPLE_FORMAT_NAMES[sampleFormat]} ("${sampleFormat}"), ` +
        'which this system cannot turn into page images: it takes 1 to 8 or 16 bits per sample, as scanners write them. ' +
        `Save the page as an 8-bit or 16-bit (integer, not floating-point) TIFF, ${EXPORT_AGAIN}`,
      'unsupported-sample-format',
      structure,
      source,
    );
  }
  if (space === undefined) {
    throw refusal(
      `${subject(source)} has ${channels} channel${channels === 1 ? '' : 's'} in the colour space "${colourSpace}", ` +
        'which this system cannot convert: it takes greyscale, RGB, CMYK and CIELAB. ' +
        `Convert the page to RGB or greyscale and save it as TIFF, ${EXPORT_AGAIN}`,
      'unsupported-colour-space',
      structure,
      source,
    );
  }
  if (channels > space.colourChannels + 1) {
    throw refusal(
      `${subject(source)} has ${channels} channels: ${space.colourChannels} for ${space.name} colour and ` +
        `${channels - space.colourChannels} extra, where at most one extra (transparency) is taken. ` +
        `Remove the extra channels (spot colours, masks) or flatten the image, save it as TIFF, ${EXPORT_AGAIN}`,
      'too-many-channels',
      structure,
      source,
    );
  }
}

import sharp, { type Sharp } from 'sharp';

import { removePngChunk } from './crafted-files.ts';
import { writeRawTiff } from './raw-tiff.ts';

export type PageFormat = 'tiff' | 'jpeg' | 'png';

export interface PageSpec {
  path: string;
  width: number;
  height: number;
  format: PageFormat;
  /** Stored resolution; omit for a file that states none. */
  dpi?: number;
  /** Default `rgb` (with a red stamp); `grey` writes one 8-bit channel. */
  colour?: 'rgb' | 'grey';
}

const VERSES = [
  'Trăm năm trong cõi người ta,',
  'Chữ tài chữ mệnh khéo là ghét nhau.',
  'Trải qua một cuộc bể dâu,',
  'Những điều trông thấy mà đau đớn lòng.',
];
/** A title and 32 lines of verse: enough to cover most of the page with text. */
const TEXT = ['THƯ VIỆN QUỐC GIA VIỆT NAM', ...Array.from({ length: 8 }, () => VERSES).flat()].join('\n');

/**
 * The pixels of a page: white paper, a block of Vietnamese text, grey rules and (in colour)
 * a red stamp. sharp renders text white on black, so it is negated and multiplied onto the page.
 */
async function renderPage(width: number, height: number, colour: 'rgb' | 'grey'): Promise<Sharp> {
  const textDpi = Math.max(24, Math.round(height * 0.08));
  const text = await sharp({ text: { text: TEXT, font: 'DejaVu Serif', dpi: textDpi, width: Math.round(width * 0.8) } })
    .negate({ alpha: false })
    .resize(Math.round(width * 0.8), Math.round(height * 0.7), { fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer();
  const textSize = await sharp(text).metadata();
  const block = (w: number, h: number, background: string): Promise<Buffer> =>
    sharp({ create: { width: w, height: h, channels: 3, background } }).png().toBuffer();
  const rule = await block(Math.round(width * 0.8), Math.max(2, Math.round(height / 200)), '#606060');
  const stamp = await block(Math.round(width / 6), Math.round(width / 6), '#b02020');
  const top = Math.round(height * 0.1);
  const left = Math.round(width * 0.1);
  const layers = [
    { input: text, top, left, blend: 'multiply' as const },
    { input: rule, top: Math.min(height - 10, top + textSize.height + Math.round(height * 0.05)), left },
    { input: rule, top: Math.round(height * 0.85), left },
    ...(colour === 'rgb' ? [{ input: stamp, top: Math.round(height * 0.6), left: Math.round(width * 0.6) }] : []),
  ];
  const page = sharp({ create: { width, height, channels: 3, background: '#fbf8f0' } }).composite(layers);
  // Flatten the composite (it adds an alpha channel) before colour conversion.
  const flat = await page.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const image = sharp(flat.data, { raw: { width, height, channels: flat.info.channels } });
  return colour === 'grey' ? image.toColourspace('b-w') : image;
}

/**
 * Writes a generated page in the given format and resolution; returns its path. For moderate
 * sizes only (the pixels pass through memory once); see {@link makeLargeMaster} for big ones.
 *
 * A TIFF without `dpi` is written by {@link writeRawTiff}, since sharp always stores a
 * resolution in TIFF (1 px/mm when none is set); a PNG without `dpi` has its pHYs removed.
 */
export async function makePage(spec: PageSpec): Promise<string> {
  const colour = spec.colour ?? 'rgb';
  const page = await renderPage(spec.width, spec.height, colour);
  if (spec.format === 'tiff' && spec.dpi === undefined) {
    const { data, info } = await page.raw().toBuffer({ resolveWithObject: true });
    const channels = info.channels === 1 ? 1 : 3;
    const rowBytes = spec.width * channels;
    await writeRawTiff(spec.path, {
      width: spec.width,
      height: spec.height,
      channels,
      fillRow: (row, y) => row.set(data.subarray(y * rowBytes, (y + 1) * rowBytes)),
    });
    return spec.path;
  }
  const withResolution = spec.dpi === undefined ? page : page.withDensity(spec.dpi);
  const encoded =
    spec.format === 'tiff'
      ? withResolution.tiff({ compression: 'lzw' })
      : spec.format === 'jpeg'
        ? withResolution.jpeg({ quality: 92 })
        : withResolution.png();
  await encoded.toFile(spec.path);
  if (spec.format === 'png' && spec.dpi === undefined) await removePngChunk(spec.path, 'pHYs');
  return spec.path;
}

/**
 * A full-size master without holding it in memory: one 1000 × 700 page tile, repeated by
 * libvips (`extend` with `repeat`, evaluated lazily) and streamed to an uncompressed strip
 * TIFF (what archival scanning produces: 420 MB for 10000 × 14000 RGB).
 */
export async function makeLargeMaster(path: string, width: number, height: number, dpi: number): Promise<string> {
  const tile = await (await renderPage(1000, 700, 'rgb')).png().toBuffer();
  await sharp(tile)
    .extend({ right: width - 1000, bottom: height - 700, extendWith: 'repeat' })
    .withDensity(dpi)
    .tiff({ compression: 'none' })
    .toFile(path);
  return path;
}

import { openSharp, type DecodeStrictness, type ImageSource } from './image-source.ts';

/** The decode check resizes into at most this many pixels per side: the output is a few kB. */
const DECODE_CHECK_SIZE = 64;

/**
 * Decodes every pixel of the page once, streaming: libvips reads the file sequentially and
 * shrinks it into a tiny output (a JPEG is decoded with shrink-on-load, which still
 * entropy-decodes all of its data), so memory stays small whatever the page size. Rejects
 * when the data cannot be decoded at the given strictness.
 *
 * Only the rejection is reliable, not its text: libvips keeps one error buffer per process, so
 * with several images decoding at once a message can be lost ("Unknown error") or mixed.
 */
export async function decodeFully(source: ImageSource, maxPixels: number, failOn: DecodeStrictness): Promise<void> {
  await openSharp(source, { maxPixels, failOn, autoOrient: false })
    .resize(DECODE_CHECK_SIZE, DECODE_CHECK_SIZE, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer();
}

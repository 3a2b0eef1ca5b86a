import type { Sharp } from 'sharp';

import type { ImageHeader } from './image-header.ts';

/** Colour spaces kept as one grey channel in derivatives. */
const GREY_SPACES = new Set(['b-w', 'grey16']);

/** True when derivatives of this page are written as 8-bit greyscale rather than sRGB. */
export function isGreyscale(header: Pick<ImageHeader, 'colourSpace' | 'channels'>): boolean {
  return GREY_SPACES.has(header.colourSpace) && header.channels <= 2;
}

/**
 * Derivative colour: 8-bit sRGB, or 8-bit greyscale for greyscale (and bilevel) scans.
 * Transparency is flattened onto white (paper). An embedded ICC profile (Adobe RGB, a scanner
 * profile, CMYK) is converted to sRGB by sharp, and the output carries no profile: viewers
 * and PDF readers then assume sRGB, which is what the pixels are.
 */
export function toDerivativeColour(image: Sharp, header: Pick<ImageHeader, 'colourSpace' | 'channels' | 'hasAlpha'>): Sharp {
  const flattened = header.hasAlpha ? image.flatten({ background: '#ffffff' }) : image;
  return flattened.toColourspace(isGreyscale(header) ? 'b-w' : 'srgb');
}

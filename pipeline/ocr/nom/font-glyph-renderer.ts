import { readFileSync } from 'node:fs';

import fontkit from '@pdf-lib/fontkit';
import sharp from 'sharp';

import { InvalidInputError } from '../../../storage/index.ts';
import { isPrivateUse } from './han-nom-character.ts';
import type { InkImage } from './ink-image.ts';

/** One typeface, possibly split over several files (HanaMinA + HanaMinB), tried in order. */
export interface FontFace {
  name: string;
  files: readonly string[];
}

/** What a template file records about each face it was rendered from. */
export interface FontFaceInfo {
  name: string;
  files: string[];
  /** The `version` entries of the files' name tables. */
  versions: string[];
}

/** Debian's CJK fonts with wide Extension B coverage (fonts-hanazono, fonts-babelstone-han, fonts-cns11643-sung). */
export const DEBIAN_HAN_FACES: readonly FontFace[] = [
  { name: 'Hanazono Mincho', files: ['/usr/share/fonts/truetype/hanazono/HanaMinA.ttf', '/usr/share/fonts/truetype/hanazono/HanaMinB.ttf'] },
  { name: 'BabelStone Han', files: ['/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf'] },
  { name: 'TW-Sung', files: ['/usr/share/fonts/truetype/cns11643/TW-Sung-98_1.ttf', '/usr/share/fonts/truetype/cns11643/TW-Sung-Ext-B-98_1.ttf'] },
];

type Font = ReturnType<typeof fontkit.create>;

/**
 * Draws single characters from font files, as vector outlines read by fontkit and rasterised
 * by sharp (librsvg). Going through the outlines rather than SVG `<text>` means fontconfig can
 * never substitute another font for a missing glyph: a face either has the character or says no.
 * Private Use Area code points are refused: no installable font has the Nôm Foundation's glyphs.
 */
export class FontGlyphRenderer {
  readonly face: FontFace;
  readonly #fonts: Font[];

  constructor(face: FontFace) {
    this.face = face;
    this.#fonts = face.files.map((file) => {
      try {
        return fontkit.create(readFileSync(file));
      } catch (error) {
        throw new InvalidInputError(`Cannot read font ${file} (${face.name}): install the Debian package that holds it.`, {
          cause: error,
          details: { file },
        });
      }
    });
  }

  info(): FontFaceInfo {
    return { name: this.face.name, files: [...this.face.files], versions: this.#fonts.map((font) => font.version ?? 'unknown') };
  }

  /** True when the face has a non-empty outline for `char` (and it is not Private Use). */
  has(char: string): boolean {
    return this.#glyph(char) !== undefined;
  }

  /**
   * `char` drawn black on white in its em square of `emPixels` × `emPixels` (baseline at 0.88 em,
   * as CJK fonts place it), as ink coverage. Undefined when the face lacks the character.
   */
  async render(char: string, emPixels: number): Promise<InkImage | undefined> {
    const found = this.#glyph(char);
    if (!found) return undefined;
    const { font, path } = found;
    const em = font.unitsPerEm;
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${emPixels}" height="${emPixels}" viewBox="0 ${-0.88 * em} ${em} ${em}">` +
      `<rect x="0" y="${-0.88 * em}" width="${em}" height="${em}" fill="#fff"/>` +
      `<path transform="scale(1,-1)" d="${path}" fill="#000"/></svg>`;
    const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({ resolveWithObject: true });
    const ink = new Float32Array(info.width * info.height);
    for (let i = 0; i < ink.length; i++) ink[i] = 1 - (data[i * info.channels] ?? 255) / 255;
    return { data: ink, width: info.width, height: info.height };
  }

  #glyph(char: string): { font: Font; path: string } | undefined {
    const cp = char.codePointAt(0);
    if (cp === undefined || isPrivateUse(char)) return undefined;
    for (const font of this.#fonts) {
      if (!font.hasGlyphForCodePoint(cp)) continue;
      const path = font.glyphForCodePoint(cp).path.toSVG();
      if (path.length > 0) return { font, path };
    }
    return undefined;
  }
}

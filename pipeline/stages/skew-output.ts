import { stat } from 'node:fs/promises';
import path from 'node:path';

import { AppError, InvalidInputError, UpstreamError } from '../../storage/index.ts';
import { writeAtomically } from './image-atomic-output.ts';
import { openPage, translateImageError, type PageSource, type PixelBox } from './skew-raster.ts';

export interface WriteOptions {
  crop: PixelBox | null;
  /** Clockwise turn applied to the image, degrees. */
  rotation: number;
  greyscale: boolean;
  density: number | undefined;
}

/**
 * One sharp pipeline from the source file to a temporary file beside `outPath`, renamed into place.
 * libvips streams the decode; the rotation reads its input through libvips' own cache (or a
 * temporary file for large images), not through JavaScript buffers.
 */
export async function writeRotated(source: PageSource, outPath: string, options: WriteOptions): Promise<{ width: number; height: number }> {
  const directory = path.dirname(outPath);
  try {
    if (!(await stat(directory)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new InvalidInputError(`Output folder ${directory} does not exist; create it before deskewing into it.`, { cause: error });
  }
  const png = path.extname(outPath).toLowerCase() === '.png';
  try {
    return await writeAtomically(outPath, async (temporary) => {
      let image = openPage(source, { sequentialRead: false }).flatten({ background: '#ffffff' });
      if (options.crop) {
        image = image.extract({ left: options.crop.x, top: options.crop.y, width: options.crop.width, height: options.crop.height });
      }
      const rotation = ((options.rotation % 360) + 360) % 360;
      if (rotation !== 0) image = image.rotate(rotation, { background: '#ffffff' });
      if (options.greyscale) image = image.toColourspace('b-w');
      if (options.density) image = image.withDensity(options.density);
      image = png ? image.png({ compressionLevel: 6 }) : image.tiff({ compression: 'deflate', predictor: 'horizontal' });
      try {
        const info = await image.toFile(temporary);
        return { width: info.width, height: info.height };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/write|No space|ENOSPC|EACCES|EROFS/i.test(message)) {
          throw new UpstreamError(`Cannot write the deskewed page to ${directory}: ${message.split('\n')[0]}`, { cause: error });
        }
        throw translateImageError(source, error);
      }
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new UpstreamError(`Cannot write the deskewed page to ${outPath}: ${String(error)}`, { cause: error });
  }
}

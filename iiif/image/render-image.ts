import sharp, { type Sharp } from 'sharp';
import type { ImageOperation } from './calculate-image-operation.ts';
import type { ImageFormat, ImageQuality, ImageRotation } from './image-request.types.ts';

export interface RenderOptions {
  /** Pixel limit for the level that is opened (sharp's `limitInputPixels`). */
  limitInputPixels?: number;
  /** JPEG and WebP quality, 1–100. Default 85. */
  quality?: number;
}

export interface RenderRequest {
  operation: Pick<ImageOperation, 'level' | 'levelRegion' | 'output'>;
  rotation: ImageRotation;
  quality: ImageQuality;
  format: ImageFormat;
}

const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };
const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 };

/** §4.4 quality and §4.5 format, applied last. */
function finish(image: Sharp, request: RenderRequest, options: RenderOptions): Sharp {
  let out = image;
  if (request.quality === 'gray') out = out.toColourspace('b-w');
  if (request.quality === 'bitonal') out = out.toColourspace('b-w').threshold(128);
  const q = options.quality ?? 85;
  switch (request.format) {
    case 'jpg':
      return out.jpeg({ quality: q, mozjpeg: false });
    case 'png':
      return out.png({ compressionLevel: 6 });
    case 'webp':
      return out.webp({ quality: q });
  }
}

/**
 * The sharp pipeline for one image request (the "operations" of the calculator/operations/I-O
 * split): open one level of the page-based pyramidal TIFF, extract the region, scale it, mirror
 * and rotate (§4.3, arbitrary angles filled white for JPEG and transparent for PNG and WebP), set
 * the quality (§4.4) and encode (§4.5). libvips reads only the tiles the region touches; only
 * the encoded output is held in memory.
 *
 * sharp applies its operations in a fixed order, whatever the call order (flips before
 * rotation, rotation before resizing), so a rotated or mirrored request is rendered in two
 * pipelines: region and size first into raw pixels of the output size, then mirror, rotation,
 * quality and format.
 */
export async function renderImage(path: string, request: RenderRequest, options: RenderOptions = {}): Promise<Buffer> {
  const { level, levelRegion, output } = request.operation;
  let image = sharp(path, { page: level, limitInputPixels: options.limitInputPixels ?? 268_402_689 }).extract({
    left: levelRegion.x,
    top: levelRegion.y,
    width: levelRegion.w,
    height: levelRegion.h,
  });
  if (levelRegion.w !== output.width || levelRegion.h !== output.height) {
    image = image.resize(output.width, output.height, { fit: 'fill', kernel: 'lanczos3' });
  }
  const { degrees, mirror } = request.rotation;
  const turn = degrees % 360;
  if (turn === 0 && !mirror) return finish(image, request, options).toBuffer();

  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  let turned = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  // sharp always flops before rotating: IIIF's order (mirror, then rotate).
  if (mirror) turned = turned.flop();
  if (turn !== 0) {
    if (turn % 90 === 0) {
      turned = turned.rotate(turn);
    } else {
      const transparent = request.format !== 'jpg';
      if (transparent) turned = turned.ensureAlpha();
      turned = turned.rotate(turn, { background: transparent ? TRANSPARENT : WHITE });
    }
  }
  return finish(turned, request, options).toBuffer();
}

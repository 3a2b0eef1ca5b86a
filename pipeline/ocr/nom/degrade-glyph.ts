import { seededRandom } from '../seeded-random.ts';
import type { InkImage } from './ink-image.ts';

/**
 * Image degradations that move clean font renders towards woodblock prints: blur, thicker or
 * thinner strokes, coarse sampling, speckle. Pure functions; randomness comes from the seed.
 */

export function gaussianBlur(image: InkImage, sigma: number): InkImage {
  const radius = Math.max(1, Math.ceil(2.5 * sigma));
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const { width, height } = image;
  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let k = -radius; k <= radius; k++) {
          const xx = horizontal ? x + k : x;
          const yy = horizontal ? y : y + k;
          if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
          sum += (kernel[k + radius] ?? 0) * (src[yy * width + xx] ?? 0);
        }
        out[y * width + x] = sum / total;
      }
    }
    return out;
  };
  return { data: pass(pass(image.data, true), false), width, height };
}

/** Grey-level dilation (`grow` > 0, thicker strokes) or erosion (< 0) with a 3 × 3 square, |grow| times. */
export function morph(image: InkImage, grow: number): InkImage {
  let data = image.data;
  const { width, height } = image;
  for (let step = 0; step < Math.abs(grow); step++) {
    const out = new Float32Array(data.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let v = grow > 0 ? 0 : 1;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            const s = xx < 0 || yy < 0 || xx >= width || yy >= height ? 0 : (data[yy * width + xx] ?? 0);
            v = grow > 0 ? Math.max(v, s) : Math.min(v, s);
          }
        }
        out[y * width + x] = v;
      }
    }
    data = out;
  }
  return { data, width, height };
}

/** Samples the image down by `factor` (area average) and back up (nearest), as a coarse scan does. */
export function coarsen(image: InkImage, factor: number): InkImage {
  const { width, height } = image;
  const w = Math.max(1, Math.round(width / factor));
  const h = Math.max(1, Math.round(height / factor));
  const small = new Float32Array(w * h);
  const counts = new Float32Array(w * h);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = Math.min(h - 1, Math.floor((y * h) / height)) * w + Math.min(w - 1, Math.floor((x * w) / width));
      small[i] = (small[i] ?? 0) + (image.data[y * width + x] ?? 0);
      counts[i] = (counts[i] ?? 0) + 1;
    }
  }
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = Math.min(h - 1, Math.floor((y * h) / height)) * w + Math.min(w - 1, Math.floor((x * w) / width));
      data[y * width + x] = (small[i] ?? 0) / Math.max(1, counts[i] ?? 1);
    }
  }
  return { data, width, height };
}

/** Adds Gaussian noise of standard deviation `amount` (coverage units), clamped to 0–1. */
export function addNoise(image: InkImage, amount: number, seed: number): InkImage {
  const random = seededRandom(seed);
  const data = new Float32Array(image.data.length);
  for (let i = 0; i < data.length; i++) {
    const gauss = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const v = (image.data[i] ?? 0) + amount * gauss;
    data[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return { data, width: image.width, height: image.height };
}


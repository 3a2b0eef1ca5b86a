import type { GreyRaster } from '../../stages/skew-raster.ts';

/**
 * A copy of `raster` shrunk by a whole `factor` (each pixel the mean of a factor × factor
 * cell; the last row and column of cells may be partial). A factor of 1 returns `raster` itself.
 *
 * @throws RangeError when `factor` is not a positive integer.
 */
export function downscaleRaster(raster: GreyRaster, factor: number): GreyRaster {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`The downscale factor must be a positive integer, got ${factor}.`);
  if (factor === 1) return raster;
  const width = Math.ceil(raster.width / factor);
  const height = Math.ceil(raster.height / factor);
  const sums = new Uint32Array(width * height);
  const counts = new Uint32Array(width * height);
  for (let y = 0; y < raster.height; y += 1) {
    const row = Math.floor(y / factor) * width;
    for (let x = 0; x < raster.width; x += 1) {
      const cell = row + Math.floor(x / factor);
      sums[cell] = sums[cell]! + raster.data[y * raster.width + x]!;
      counts[cell] = counts[cell]! + 1;
    }
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i += 1) data[i] = Math.round(sums[i]! / counts[i]!);
  return { data, width, height };
}

import { mkdtemp, rm, symlink } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { pino } from 'pino';
import sharp from 'sharp';
import { buildPyramid } from '../../../pipeline/stages/derivatives.stage.ts';
import { requestBaseUrl } from '../../../iiif/index.ts';
import { extraImagesSource, imageRoutes, type ImageRoutesDependencies, type ResolveImageSource } from '../../../iiif/image/index.ts';

export const FIXTURE = '/work/shared/fixtures/iiif/67352ccc-d1b0-11e1-89ae-279075081939.png';
export const FIXTURE_ID = '67352ccc-d1b0-11e1-89ae-279075081939';

/** The validator's truth table (iiif_validator/validator.py `colorInfo`): colorInfo[x][y], x = column. */
export const COLOR_INFO: [number, number, number][][] = [
  [[61, 170, 126], [61, 107, 178], [82, 85, 234], [164, 122, 110], [129, 226, 88], [91, 37, 121], [138, 128, 42], [6, 85, 234], [121, 109, 204], [65, 246, 84]],
  [[195, 133, 120], [171, 43, 102], [118, 45, 130], [242, 105, 171], [5, 85, 105], [113, 58, 41], [223, 69, 3], [45, 79, 140], [35, 117, 248], [121, 156, 184]],
  [[168, 92, 163], [28, 91, 143], [86, 41, 173], [111, 230, 29], [174, 189, 7], [18, 139, 88], [93, 168, 128], [35, 2, 14], [204, 105, 137], [18, 86, 128]],
  [[107, 55, 178], [251, 40, 184], [47, 36, 139], [2, 127, 170], [224, 12, 114], [133, 67, 108], [239, 174, 209], [85, 29, 156], [8, 55, 188], [240, 125, 7]],
  [[112, 167, 30], [166, 63, 161], [232, 227, 23], [74, 80, 135], [79, 97, 47], [145, 160, 80], [45, 160, 79], [12, 54, 215], [203, 83, 70], [78, 28, 46]],
  [[102, 193, 63], [225, 55, 91], [107, 194, 147], [167, 24, 95], [249, 214, 96], [167, 34, 136], [53, 254, 209], [172, 222, 21], [153, 77, 51], [137, 39, 183]],
  [[159, 182, 192], [128, 252, 173], [148, 162, 90], [192, 165, 115], [154, 102, 2], [107, 237, 62], [111, 236, 219], [129, 113, 172], [239, 204, 166], [60, 96, 37]],
  [[72, 172, 227], [119, 51, 100], [209, 85, 165], [87, 172, 159], [188, 42, 162], [99, 3, 54], [7, 42, 37], [105, 155, 100], [38, 220, 240], [98, 46, 2]],
  [[18, 223, 145], [189, 121, 17], [88, 3, 210], [181, 16, 43], [189, 39, 244], [123, 147, 116], [246, 148, 214], [223, 177, 199], [77, 18, 136], [235, 36, 21]],
  [[146, 137, 176], [84, 248, 55], [61, 144, 79], [110, 251, 49], [43, 105, 132], [165, 131, 55], [60, 23, 225], [147, 197, 226], [80, 67, 104], [161, 119, 182]],
];

export interface Decoded {
  width: number;
  height: number;
  channels: number;
  data: Buffer;
  format: string;
}

export async function decode(body: Buffer): Promise<Decoded> {
  const meta = await sharp(body).metadata();
  const { data, info } = await sharp(body).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data, format: meta.format };
}

/** PIL `img.crop(box).getcolors()` sorted, first: the most frequent colour in [x0, x1) × [y0, y1). */
export function dominantColour(image: Decoded, box: [number, number, number, number]): number[] {
  const counts = new Map<string, number>();
  const [x0, y0, x1, y1] = box;
  for (let y = y0; y < Math.min(y1, image.height); y++) {
    for (let x = x0; x < Math.min(x1, image.width); x++) {
      const at = (y * image.width + x) * image.channels;
      const key = [...image.data.subarray(at, at + Math.min(3, image.channels))].join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return best === undefined ? [] : best[0].split(',').map(Number);
}

/** The validator's `do_test_square`: each channel within 5 of the truth for square (x, y). */
export function isSquare(image: Decoded, box: [number, number, number, number], x: number, y: number): boolean {
  const colour = dominantColour(image, box);
  const truth = COLOR_INFO[x]?.[y] ?? [NaN, NaN, NaN];
  if (colour.length === 1) return false;
  return colour.length === 3 && truth.every((t, i) => Math.abs((colour[i] ?? NaN) - t) < 6);
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
  dir: string;
}

/** An express app with only the image router on loopback, serving the fixture through extraImagesSource. */
export async function startImageServer(
  overrides: Partial<ImageRoutesDependencies> & { wrapSource?: (source: ResolveImageSource) => ResolveImageSource } = {},
): Promise<TestServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'iiif-image-test-'));
  const images = path.join(dir, 'images');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(images);
  await symlink(FIXTURE, path.join(images, `${FIXTURE_ID}.png`));
  const base = extraImagesSource(images, path.join(dir, 'pyramids'), (input, out) => buildPyramid(input, out));
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(
    imageRoutes({
      resolveSource: overrides.wrapSource ? overrides.wrapSource(base) : base,
      baseUrl: (req) => requestBaseUrl(req, `${req.protocol}://${req.get('host')}`),
      logger: pino({ level: 'silent' }),
      ...overrides,
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function getImage(url: string): Promise<{ status: number; headers: Headers; image: Decoded }> {
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`${url} → ${response.status}: ${body.toString()}`);
  return { status: response.status, headers: response.headers, image: await decode(body) };
}

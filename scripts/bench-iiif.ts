/**
 * IIIF Image API throughput: builds a 10000 × 8000 pyramid with the pipeline's buildPyramid,
 * serves it with imageRoutes on loopback and requests 256 px tiles at concurrency 8 —
 * full resolution (scale factor 1) and 1/4 scale (scale factor 4), with a cold and a warm tile
 * cache — and renders the same tiles straight from the file with sharp (the ceiling).
 *
 *   npx tsx scripts/bench-iiif.ts [--tiles 400] [--concurrency 8]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { pino } from 'pino';
import sharp from 'sharp';
import { requestBaseUrl } from '../iiif/index.ts';
import { buildCollection } from '../iiif/presentation/build-collection.ts';
import { buildManifest } from '../pipeline/package/index.ts';
import { buildPyramid } from '../pipeline/stages/derivatives.stage.ts';
import { calculateImageOperation, extraImagesSource, imageRoutes, parseImageRequest, renderImage, type ImageParameters } from '../iiif/image/index.ts';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const TILES = arg('tiles', 400);
const CONCURRENCY = arg('concurrency', 8);
const WIDTH = 10_000;
const HEIGHT = 8_000;

function tilePaths(scaleFactor: number, limit: number): string[] {
  const span = 256 * scaleFactor;
  const paths: string[] = [];
  for (let y = 0; y < HEIGHT && paths.length < limit; y += span) {
    for (let x = 0; x < WIDTH && paths.length < limit; x += span) {
      const w = Math.min(span, WIDTH - x);
      const h = Math.min(span, HEIGHT - y);
      paths.push(`${x},${y},${w},${h}/${Math.ceil(w / scaleFactor)},/0/default.jpg`);
    }
  }
  return paths;
}

async function run(label: string, jobs: (() => Promise<void>)[]): Promise<{ label: string; n: number; perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const t0 = performance.now();
        await job();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { label, n: jobs.length, perSecond: jobs.length / elapsed, p50: pick(0.5), p99: pick(0.99) };
}

const work = await mkdtemp(path.join(os.tmpdir(), 'bench-iiif-'));
try {
  // A synthetic page: smooth gradients plus noise, so JPEG tiles are not trivially small.
  const images = path.join(work, 'images');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(images);
  const source = path.join(images, 'bench.tif');
  await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: { r: 230, g: 220, b: 200 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .tiff({ compression: 'lzw' })
    .toFile(source);
  const t0 = performance.now();
  const pyramidPath = path.join(work, 'bench-pyramid.tif');
  const pyramid = await buildPyramid(source, pyramidPath);
  console.log(`pyramid: ${pyramid.levels.map((l) => `${l.width}×${l.height}`).join(', ')}; ${(pyramid.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const app = express();
  const routes = imageRoutes({
    resolveSource: extraImagesSource(images, path.join(work, 'pyramids'), (input, out) => buildPyramid(input, out)),
    baseUrl: (req) => requestBaseUrl(req, `http://${req.get('host')}`),
    tileCache: { maxBytes: 256 * 1024 * 1024 },
    logger: pino({ level: 'silent' }),
  });
  app.use(routes);
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/iiif/3/bench`;
  await (await fetch(`${base}/info.json`)).arrayBuffer(); // builds the served pyramid once

  const fetchJob = (p: string) => async () => {
    const response = await fetch(`${base}/${p}`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${p} → ${response.status}`);
  };
  const directJob = (p: string) => async () => {
    const request = parseImageRequest(p) as ImageParameters & { type: 'image' };
    const operation = calculateImageOperation(request, pyramid, pyramid.levels);
    await renderImage(pyramidPath, { operation, rotation: request.rotation, quality: request.quality, format: request.format });
  };
  const rawSharpJob = (p: string) => async () => {
    const request = parseImageRequest(p) as ImageParameters & { type: 'image' };
    const { level, levelRegion, output } = calculateImageOperation(request, pyramid, pyramid.levels);
    let image = sharp(pyramidPath, { page: level }).extract({ left: levelRegion.x, top: levelRegion.y, width: levelRegion.w, height: levelRegion.h });
    if (levelRegion.w !== output.width || levelRegion.h !== output.height) image = image.resize(output.width, output.height, { fit: 'fill' });
    await image.jpeg({ quality: 85 }).toBuffer();
  };

  const results = [];
  for (const [name, sf] of [
    ['full-res 256 px tiles (sf 1)', 1],
    ['1/4-scale 256 px tiles (sf 4)', 4],
  ] as const) {
    const paths = tilePaths(sf, TILES);
    results.push(await run(`${name}: HTTP, cold tile cache`, paths.map(fetchJob)));
    results.push(await run(`${name}: HTTP, warm tile cache`, paths.map(fetchJob)));
    results.push(await run(`${name}: renderImage direct`, paths.map(directJob)));
    results.push(await run(`${name}: bare sharp (ceiling)`, paths.map(rawSharpJob)));
  }
  server.close();

  console.log(`\nconcurrency ${CONCURRENCY}, sharp concurrency ${sharp.concurrency()}, libvips cache default, ${os.cpus().length} CPUs\n`);
  console.log(`| ${'run'.padEnd(58)} | tiles | tiles/s | p50 ms | p99 ms |`);
  console.log(`|${'-'.repeat(60)}|-------|---------|--------|--------|`);
  for (const r of results) {
    console.log(`| ${r.label.padEnd(58)} | ${String(r.n).padStart(5)} | ${r.perSecond.toFixed(0).padStart(7)} | ${r.p50.toFixed(1).padStart(6)} | ${r.p99.toFixed(1).padStart(6)} |`);
  }
  // Presentation: a 1,000-page manifest and a 1,000-item collection, built as the server does.
  const publicBase = 'http://127.0.0.1:3000';
  let started = performance.now();
  const manifest = buildManifest({
    baseUrl: publicBase,
    item: { id: 'bench', identifier: 'B-1', title: 'Đo', dublinCore: {}, accessLevel: 'public' },
    pages: Array.from({ length: 1000 }, (_, index) => ({ id: `p${index}`, seq: index + 1, width: 2480, height: 3508 })),
  });
  const manifestMs = performance.now() - started;
  started = performance.now();
  const collection = buildCollection({
    id: `${publicBase}/iiif/collection/bench`,
    label: { vi: ['Đo'] },
    items: Array.from({ length: 1000 }, (_, index) => ({
      id: `${publicBase}/iiif/manifest/i${index}`,
      type: 'Manifest' as const,
      label: { vi: [`Tài liệu ${index}`] },
    })),
  });
  const collectionMs = performance.now() - started;
  console.log(
    `\nmanifest of ${manifest.items.length} pages: ${manifestMs.toFixed(0)} ms, ${(JSON.stringify(manifest).length / 1e6).toFixed(2)} MB; ` +
      `collection of ${collection.items.length} items: ${collectionMs.toFixed(0)} ms`,
  );
} finally {
  await rm(work, { recursive: true, force: true });
}

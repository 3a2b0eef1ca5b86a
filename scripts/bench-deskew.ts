/**
 * Benchmark of the deskew stage: `npx tsx scripts/bench-deskew.ts [--big]`.
 *
 * 1. Synthetic pages: clean Vietnamese text (DejaVu Serif) turned by 40 known angles in ±10°,
 *    and vertical-column pages (Hán-Nôm layout) by 10 more; median and max absolute error.
 * 2. The 8 real scans of sbrunner/deskew: estimate vs published angle (good to ±0.5° only;
 *    published with the opposite sign convention, converted here) and the absolute error.
 * 3. Time per page for the estimate and for a full `deskewPage` (crop, rotate, write TIFF).
 * With `--big`: a 10000 × 14000 greyscale master through `deskewPage`, with peak RSS.
 *
 * Goals: synthetic median error ≤ 0.1°; every real scan within 0.5°.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import sharp from 'sharp';

import { median } from '../pipeline/ocr/evaluation/index.ts';
import { deskewPage, estimateSkew } from '../pipeline/stages/deskew.stage.ts';
import { deskewFixtures, syntheticSkewAngles } from '../test/pipeline/deskew-helpers/deskew-fixtures.ts';
import { renderTextPage, renderVerticalPage, rotateContent } from '../test/pipeline/deskew-helpers/text-page.ts';

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

async function syntheticSet(
  dir: string,
  label: string,
  angles: number[],
  render: (seed: number) => Promise<Buffer>,
): Promise<void> {
  const errors: number[] = [];
  const times: number[] = [];
  let worst = { angle: 0, estimate: 0 };
  for (const [k, angle] of angles.entries()) {
    const file = path.join(dir, `${label}-${k}.png`);
    await writeFile(file, await rotateContent(await render(k + 1), angle));
    const { value: estimate, ms } = await timed(() => estimateSkew({ path: file }));
    const error = Math.abs(estimate.angle - angle);
    if (error > Math.max(...errors, -1)) worst = { angle, estimate: estimate.angle };
    errors.push(error);
    times.push(ms);
    await rm(file);
  }
  console.log(
    `${label.padEnd(22)} n=${angles.length}  median |error| ${median(errors).toFixed(4)}°  ` +
      `max ${Math.max(...errors).toFixed(4)}° (at ${worst.angle}°: ${worst.estimate}°)  ` +
      `estimate ${median(times).toFixed(0)} ms/page (median)`,
  );
}

async function fixtures(dir: string): Promise<void> {
  console.log('\nReal scans (expected = −published: our positive is content turned counter-clockwise)');
  console.log('file          size        expected  estimate  |error|  conf   dir         estimate ms  deskewPage ms  crop');
  const errors: number[] = [];
  for (const { name, file, expected } of deskewFixtures()) {
    const meta = await sharp(file).metadata();
    const { value: estimate, ms } = await timed(() => estimateSkew({ path: file }));
    const out = path.join(dir, name.replace(/\.png$/u, '.tif'));
    const { value: page, ms: pageMs } = await timed(() => deskewPage({ path: file }, out));
    await rm(out);
    const error = Math.abs(estimate.angle - expected);
    errors.push(error);
    console.log(
      [
        name.padEnd(13),
        `${meta.width}×${meta.height}`.padEnd(11),
        `${expected}°`.padStart(8),
        `${estimate.angle.toFixed(3)}°`.padStart(9),
        `${error.toFixed(3)}°`.padStart(8),
        estimate.confidence.toFixed(2).padStart(5),
        estimate.direction.padEnd(11),
        ms.toFixed(0).padStart(11),
        pageMs.toFixed(0).padStart(14),
        page.crop ? JSON.stringify(page.crop) : '-',
      ].join('  '),
    );
  }
  console.log(`max |error| ${Math.max(...errors).toFixed(3)}° (goal < 0.5°; the published angles are themselves ±0.5°)`);
}

async function bigMaster(dir: string): Promise<void> {
  console.log('\n10000 × 14000 greyscale master (PNG), turned 2° (anisotropic upscale: true angle 2.046°)');
  const master = path.join(dir, 'big.png');
  const page = await rotateContent(await renderTextPage({ width: 2000, height: 2800, fontSize: 40, seed: 9 }), 2);
  await sharp(page).resize(10000, 14000, { fit: 'fill' }).toColourspace('b-w').png({ compressionLevel: 3 }).toFile(master);
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const { value, ms } = await timed(() => deskewPage({ path: master }, path.join(dir, 'big.tif')));
  clearInterval(sampler);
  console.log(
    `angle ${value.angle}°  confidence ${value.confidence}  output ${value.width}×${value.height}  ` +
      `${ms.toFixed(0)} ms  RSS before ${(before / 2 ** 20).toFixed(0)} MiB, peak ${(peak / 2 ** 20).toFixed(0)} MiB`,
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-deskew-'));
  try {
    console.log(`Synthetic pages (1100×1500, DejaVu Serif 24 px, estimate on the file through estimateSkew)`);
    await syntheticSet(dir, 'horizontal text', syntheticSkewAngles(), (seed) => renderTextPage({ seed }));
    await syntheticSet(dir, 'vertical columns', syntheticSkewAngles().slice(5, 15), (seed) => renderVerticalPage({ seed }));
    await fixtures(dir);
    if (process.argv.includes('--big')) await bigMaster(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import test from 'ava';
import { assembleLanguageData } from '../../../pipeline/ocr/tesseract-language-data.ts';
import { TesseractWorkerPool } from '../../../pipeline/ocr/tesseract-worker-pool.ts';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** Runs jobs that each return a large buffer (as a real one returns the image it prepared); only weak references leave this frame. */
async function runJobs(pool: TesseractWorkerPool, count: number): Promise<WeakRef<Uint8Array>[]> {
  const results: WeakRef<Uint8Array>[] = [];
  for (let job = 0; job < count; job++) results.push(new WeakRef(await pool.run('vie', undefined, async () => new Uint8Array(4 * 1024 * 1024))));
  return results;
}

test('a finished job keeps nothing alive: the pool does not hold its results for the life of the worker', async (t) => {
  t.timeout(120_000);
  const folder = await mkdtemp(path.join(os.tmpdir(), 'ocr-pool-'));
  await assembleLanguageData(folder, '4.0.0_best_int');
  const pool = new TesseractWorkerPool({ size: 1, workerOptions: { langPath: folder, cacheMethod: 'none', gzip: true }, startTimeoutMs: 60_000 });
  try {
    const results = await runJobs(pool, 3);
    for (let round = 0; round < 3; round++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      collectGarbage();
    }
    t.deepEqual(
      results.map((ref) => ref.deref() === undefined),
      [true, true, true],
      'every result was collected while its worker lives on',
    );
  } finally {
    await pool.close();
    await rm(folder, { recursive: true, force: true });
  }
});

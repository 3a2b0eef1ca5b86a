import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import tesseract from 'tesseract.js';

import { ConfigurationError, UpstreamError } from '../../storage/index.ts';

/** A page turned by a whole number of quarter turns. */
export type QuarterTurn = 0 | 90 | 180 | 270;

/** What orientation detection says about one page image. */
export interface OrientationEstimate {
  /**
   * Degrees the page content is rotated counter-clockwise (0, 90, 180, 270); turning the image
   * clockwise by this much (sharp `rotate(orientation)`) sets it upright.
   */
  orientation: QuarterTurn;
  /** Tesseract's orientation confidence (0 up to about 30; above ~5 is trustworthy). */
  confidence: number;
  /** Script Tesseract saw (`Latin`, `Han`, …), or null. */
  script: string | null;
}

/** Finds how a page image is turned. An engine: created once per process, injected into the stage. */
export interface OrientationDetector {
  /** `image`: an encoded image (PNG). Resolves null when there is too little text to tell. */
  detect(image: Buffer): Promise<OrientationEstimate | null>;
  close(): Promise<void>;
}

export interface OsdOrientationDetectorOptions {
  /** Folder holding `osd.traineddata.gz` (default: the `@tesseract.js-data/osd` package, `4.0.0`). */
  langPath?: string;
  /** A worker that has not started by then is abandoned (default 60 s). */
  startTimeoutMs?: number;
  /** One detection that takes longer fails with UpstreamError (default 60 s). */
  jobTimeoutMs?: number;
}

/** The folder of the legacy-capable OSD model inside the installed `@tesseract.js-data/osd`. */
export function osdLanguagePath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tesseract.js-data/osd/package.json')), '4.0.0');
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamError(message)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Tesseract's OSD result (`orientation_degrees`) is already the clockwise turn that corrects the page. */
function toQuarterTurn(degrees: number): QuarterTurn | null {
  return degrees === 0 || degrees === 90 || degrees === 180 || degrees === 270 ? degrees : null;
}

/**
 * Orientation and script detection with Tesseract's OSD model (tesseract.js 7, WebAssembly, in
 * a worker thread). OSD only exists in the legacy engine, so the worker loads the legacy core
 * (`legacyCore`) and legacy-capable data (`legacyLang`, the `osd` model, OEM 0). The model is
 * read from the local folder `langPath` (gzipped); with `cacheMethod: 'none'` nothing is written
 * to the working directory, and with a local `langPath` tesseract.js never fetches anything.
 *
 * The file is checked before the worker starts: tesseract.js 7 never settles `createWorker`
 * when loading the language fails, so a missing model would otherwise hang until the timeout.
 */
export async function createOsdOrientationDetector(options: OsdOrientationDetectorOptions = {}): Promise<OrientationDetector> {
  const langPath = options.langPath ?? osdLanguagePath();
  const modelFile = path.join(langPath, 'osd.traineddata.gz');
  try {
    await access(modelFile, constants.R_OK);
  } catch (error) {
    throw new ConfigurationError(
      `Tesseract OSD model not found at ${modelFile}: install @tesseract.js-data/osd or pass its folder as langPath.`,
      { cause: error },
    );
  }
  let worker: tesseract.Worker;
  try {
    worker = await withTimeout(
      tesseract.createWorker('osd', tesseract.OEM.TESSERACT_ONLY, {
        langPath,
        gzip: true,
        cacheMethod: 'none',
        legacyCore: true,
        legacyLang: true,
        // Failures reach us as rejected promises; without a handler tesseract.js also throws them
        // from its message listener, where nothing can catch them.
        errorHandler: () => undefined,
      }),
      options.startTimeoutMs ?? 60_000,
      'The Tesseract OSD worker did not start in time; the worker may be overloaded, try again.',
    );
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    throw new UpstreamError(`The Tesseract OSD worker failed to start: ${String(error)}`, { cause: error });
  }
  const jobTimeoutMs = options.jobTimeoutMs ?? 60_000;
  return {
    async detect(image) {
      let result: tesseract.DetectResult;
      try {
        result = await withTimeout(worker.detect(image), jobTimeoutMs, 'Tesseract OSD took too long on this page; try again.');
      } catch (error) {
        if (error instanceof UpstreamError) throw error;
        throw new UpstreamError(`Tesseract OSD failed: ${String(error)}`, { cause: error });
      }
      const { orientation_degrees: degrees, orientation_confidence: confidence, script } = result.data;
      const orientation = degrees === null ? null : toQuarterTurn(degrees);
      if (orientation === null) return null;
      return { orientation, confidence: confidence ?? 0, script: script ?? null };
    },
    async close() {
      await worker.terminate();
    },
  };
}

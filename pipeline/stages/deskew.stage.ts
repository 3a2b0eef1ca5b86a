/**
 * Deskew stage (design §4): crop dark scanner borders, estimate the skew (and optionally the
 * quarter-turn orientation) of a page, rotate it upright on a white background, write a lossless
 * image and record what was done.
 *
 * Sign convention, used by every angle here: an angle is the number of degrees the page CONTENT
 * is rotated COUNTER-CLOCKWISE as seen on screen (text lines rising to the right are positive).
 * Turning the image CLOCKWISE by the same angle corrects it; sharp turns clockwise for positive
 * angles, so the correction is `sharp.rotate(angle)`. The same holds for `orientation`
 * (0/90/180/270). The deskew fixtures of sbrunner/deskew use the opposite sign: their
 * "deskew-8: 15°" is −15° here (its content is turned clockwise).
 *
 * The stage reads an image file and writes one; it holds no storage, queue, clock or config.
 * Analyses run on a greyscale copy whose long side is ~2000 px (sharp shrinks while decoding),
 * and the output is one streaming sharp pipeline, so a 10000 × 14000 master is never held
 * decoded at full size in JavaScript memory.
 */
import { InvalidInputError } from '../../storage/index.ts';
import { detectScannerBorder, type ScannerBorder } from './border-detect.ts';
import { createOsdOrientationDetector, type OrientationDetector, type QuarterTurn } from './orientation-osd.ts';
import { detectRasterOrientation } from './orientation-raster.ts';
import { estimateRasterSkew, type SkewEstimate } from './skew-estimate.ts';
import { writeRotated } from './skew-output.ts';
import {
  cropRaster,
  loadWorkingRaster,
  type GreyRaster,
  type PageSource,
  type PixelBox,
  type WorkingRaster,
} from './skew-raster.ts';
import type { LineDirection } from './skew-search.ts';

export type { OrientationDetector, OrientationEstimate, QuarterTurn } from './orientation-osd.ts';
export { createOsdOrientationDetector } from './orientation-osd.ts';
export type { SkewEstimate } from './skew-estimate.ts';
export type { PageSource, PixelBox } from './skew-raster.ts';

/** Skew confidence below which a page is left unrotated. */
export const DEFAULT_MIN_SKEW_CONFIDENCE = 0.3;
/** Tesseract OSD confidence below which a quarter turn is not applied. */
export const DEFAULT_MIN_ORIENTATION_CONFIDENCE = 5;
/** Largest skew searched, degrees either way. */
export const DEFAULT_MAX_ANGLE = 15;
/** Skews smaller than this are left alone: rotating would only resample (blur) the page. */
export const DEFAULT_MIN_ANGLE = 0.05;

export interface EstimateSkewOptions {
  /** Largest skew searched, degrees either way (default 15, at most 45). */
  maxAngle?: number;
  /** Ignore a dark scanner border before estimating (default true). */
  ignoreBorders?: boolean;
}

export interface BorderCropResult {
  /** Box to keep, in source pixels; null when there is no dark border. */
  box: PixelBox | null;
  sourceWidth: number;
  sourceHeight: number;
}

export interface DetectOrientationOptions {
  /** The OSD engine; when absent one is started for this call and stopped after it. */
  detector?: OrientationDetector;
  /** Below this Tesseract confidence the page is reported upright (default 5). */
  minConfidence?: number;
}

export interface OrientationResult {
  /** Degrees the content is rotated counter-clockwise; `sharp.rotate(orientation)` corrects it. */
  orientation: QuarterTurn;
  /** Tesseract's confidence, or null when it found too little text to tell. */
  confidence: number | null;
  /** What Tesseract said before the confidence threshold (null: too little text). */
  detected: QuarterTurn | null;
  script: string | null;
}

export interface DeskewPageOptions {
  /** Detect and correct 90/180/270° turns with Tesseract OSD (default false). */
  detectOrientation?: boolean;
  /** OSD engine to use when `detectOrientation` is set; when absent one is started and stopped per call. */
  orientationDetector?: OrientationDetector;
  /** Largest skew searched, degrees either way (default 15, at most 45). */
  maxAngle?: number;
  /** Skew confidence (0–1) below which the page is not rotated (default 0.3). */
  minConfidence?: number;
  /** Skews smaller than this many degrees are not corrected (default 0.05). */
  minAngle?: number;
  /** OSD confidence below which a quarter turn is not applied (default 5). */
  minOrientationConfidence?: number;
  /** Crop dark scanner borders (default true). */
  cropBorders?: boolean;
}

export interface DeskewPageResult {
  /** Skew corrected, degrees counter-clockwise of the content; 0 when not applied. */
  angle: number;
  /** What the estimate said, applied or not. */
  estimatedAngle: number;
  confidence: number;
  direction: LineDirection;
  /** False when the skew was not corrected (`angle` is then 0): too unsure, or too small to matter. */
  skewApplied: boolean;
  /** Quarter turn corrected (counter-clockwise of the content); 0 when not detected or not asked. */
  orientation: QuarterTurn;
  /** Tesseract's orientation confidence; null when orientation was not asked or no text was found. */
  orientationConfidence: number | null;
  /** Part of the source kept, in source pixels; null when nothing was cropped. */
  crop: PixelBox | null;
  /** Size of the written image. */
  width: number;
  height: number;
  sourceWidth: number;
  sourceHeight: number;
  /** Plain-language notes for the operator (why something was not applied). */
  notes: string[];
}

function checkSource(source: PageSource): void {
  if (typeof source?.path !== 'string' || source.path.length === 0) {
    throw new InvalidInputError('Deskew needs the path of a page image.');
  }
  if (source.page !== undefined && (!Number.isInteger(source.page) || source.page < 0)) {
    throw new InvalidInputError(`Page index must be a non-negative integer, got ${String(source.page)}.`);
  }
}

function checkMaxAngle(maxAngle: number | undefined): number {
  const value = maxAngle ?? DEFAULT_MAX_ANGLE;
  if (!Number.isFinite(value) || value <= 0 || value > 45) {
    throw new InvalidInputError(`maxAngle must be a number of degrees in (0, 45], got ${String(maxAngle)}.`);
  }
  return value;
}

function checkUnit(name: string, value: number | undefined, fallback: number, max = 1): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0 || v > max) {
    throw new InvalidInputError(`${name} must be between 0 and ${max}, got ${String(value)}.`);
  }
  return v;
}

/** Maps a box on the working raster to source pixels, rounding inwards (never back into the border). */
function toSourceBox(box: PixelBox, working: WorkingRaster): PixelBox {
  const sx = working.sourceWidth / working.raster.width;
  const sy = working.sourceHeight / working.raster.height;
  const x0 = Math.min(working.sourceWidth - 1, Math.ceil(box.x * sx));
  const y0 = Math.min(working.sourceHeight - 1, Math.ceil(box.y * sy));
  const x1 = Math.max(x0 + 1, Math.min(working.sourceWidth, Math.floor((box.x + box.width) * sx)));
  const y1 = Math.max(y0 + 1, Math.min(working.sourceHeight, Math.floor((box.y + box.height) * sy)));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The working raster cut to the border box, with the border mask cut alike. */
interface Analysis {
  working: WorkingRaster;
  border: ScannerBorder | null;
  raster: GreyRaster;
  ignore: Uint8Array | undefined;
}

function analyse(working: WorkingRaster, withBorders: boolean): Analysis {
  if (!withBorders) return { working, border: null, raster: working.raster, ignore: undefined };
  const border = detectScannerBorder(working.raster);
  if (border.borderPixels === 0) return { working, border, raster: working.raster, ignore: undefined };
  if (border.box === null) return { working, border, raster: working.raster, ignore: border.mask };
  const raster = cropRaster(working.raster, border.box);
  const mask = cropRaster({ data: border.mask, width: working.raster.width, height: working.raster.height }, border.box);
  return { working, border, raster, ignore: mask.data };
}

/**
 * Estimates the skew of one page: angle in degrees, positive = content rotated counter-clockwise
 * (see the convention at the top of this file), with a confidence in 0–1. Works on a ~2000 px
 * greyscale copy, ignoring any dark scanner border; searches ±`maxAngle` for text rows and for
 * text columns (vertical Hán-Nôm) and returns the better of the two.
 */
export async function estimateSkew(source: PageSource, options: EstimateSkewOptions = {}): Promise<SkewEstimate> {
  checkSource(source);
  const maxAngle = checkMaxAngle(options.maxAngle);
  const working = await loadWorkingRaster(source);
  const { raster, ignore } = analyse(working, options.ignoreBorders ?? true);
  return estimateRasterSkew(raster, { maxAngle, ...(ignore ? { ignore } : {}) });
}

/**
 * Finds the dark scanner border around a page (black bed, lid shadow, torn edges) and returns
 * the box to keep, in source pixels, or null when there is none. The box holds all the page's
 * content and as little of the frame as that allows.
 */
export async function cropScannerBorders(source: PageSource): Promise<BorderCropResult> {
  checkSource(source);
  const working = await loadWorkingRaster(source);
  const border = detectScannerBorder(working.raster);
  return {
    box: border.box === null ? null : toSourceBox(border.box, working),
    sourceWidth: working.sourceWidth,
    sourceHeight: working.sourceHeight,
  };
}

/**
 * Resolution of the working raster for Tesseract: the source's density divided by the shrink.
 * Densities under 100 dpi are taken as "not recorded" (72 is many encoders' default) and
 * replaced by 300, the usual scanning resolution.
 */
function workingDpi(working: WorkingRaster): number {
  const density = working.density !== undefined && working.density >= 100 ? working.density : 300;
  return density / working.scale;
}

async function withDetector<T>(detector: OrientationDetector | undefined, use: (d: OrientationDetector) => Promise<T>): Promise<T> {
  if (detector) return use(detector);
  const own = await createOsdOrientationDetector();
  try {
    return await use(own);
  } finally {
    await own.close();
  }
}

function orientationFrom(estimate: Awaited<ReturnType<OrientationDetector['detect']>>, minConfidence: number): OrientationResult {
  if (estimate === null) return { orientation: 0, confidence: null, detected: null, script: null };
  return {
    orientation: estimate.confidence >= minConfidence ? estimate.orientation : 0,
    confidence: estimate.confidence,
    detected: estimate.orientation,
    script: estimate.script,
  };
}

/**
 * Detects a quarter turn (0/90/180/270, content counter-clockwise) with Tesseract OSD, on the
 * border-cropped, skew-corrected working copy. Horizontal scripts only: Tesseract reads a page of
 * vertical Hán-Nôm columns as turned by 90°, so leave this off for such collections.
 */
export async function detectOrientation(source: PageSource, options: DetectOrientationOptions = {}): Promise<OrientationResult> {
  checkSource(source);
  const minConfidence = checkUnit('minConfidence', options.minConfidence, DEFAULT_MIN_ORIENTATION_CONFIDENCE, 100);
  const working = await loadWorkingRaster(source);
  const { raster, ignore } = analyse(working, true);
  const skew = estimateRasterSkew(raster, ignore ? { ignore } : {});
  const angle = skew.confidence >= DEFAULT_MIN_SKEW_CONFIDENCE ? skew.angle : 0;
  const estimate = await withDetector(options.detector, (d) => detectRasterOrientation(raster, angle, d, workingDpi(working)));
  return orientationFrom(estimate, minConfidence);
}

/**
 * Deskews one page into `outPath`: crops the dark scanner border, turns the page upright
 * (quarter turn from OSD when asked, plus the estimated skew) on a white background, and writes a
 * lossless image: PNG when `outPath` ends in `.png`, otherwise TIFF (deflate). Greyscale sources
 * stay greyscale. The file appears atomically (temporary file in the same folder, then rename);
 * a failed run leaves nothing behind. When the skew estimate is less sure than `minConfidence`,
 * the page is not rotated for skew (`angle` 0, `skewApplied` false, and a note says why).
 */
export async function deskewPage(source: PageSource, outPath: string, options: DeskewPageOptions = {}): Promise<DeskewPageResult> {
  checkSource(source);
  if (typeof outPath !== 'string' || outPath.length === 0) throw new InvalidInputError('Deskew needs an output path.');
  const maxAngle = checkMaxAngle(options.maxAngle);
  const minConfidence = checkUnit('minConfidence', options.minConfidence, DEFAULT_MIN_SKEW_CONFIDENCE);
  const minAngle = checkUnit('minAngle', options.minAngle, DEFAULT_MIN_ANGLE, maxAngle);
  const minOrientationConfidence = checkUnit(
    'minOrientationConfidence',
    options.minOrientationConfidence,
    DEFAULT_MIN_ORIENTATION_CONFIDENCE,
    100,
  );
  const notes: string[] = [];

  const working = await loadWorkingRaster(source);
  const analysis = analyse(working, options.cropBorders ?? true);
  if (analysis.border?.refused) {
    notes.push(`Dark border not cropped: ${analysis.border.refused}, which looks like page content rather than a scanner border.`);
  }
  const skew = estimateRasterSkew(analysis.raster, { maxAngle, ...(analysis.ignore ? { ignore: analysis.ignore } : {}) });
  const sure = skew.confidence >= minConfidence;
  const skewApplied = sure && Math.abs(skew.angle) >= minAngle;
  const angle = skewApplied ? skew.angle : 0;
  if (!sure) {
    notes.push(
      `Skew not corrected: the estimate (${skew.angle.toFixed(2)}°) has confidence ${skew.confidence.toFixed(2)}, ` +
        `below ${minConfidence}; the page has too little text or line structure to measure.`,
    );
  }

  let orientation: OrientationResult = { orientation: 0, confidence: null, detected: null, script: null };
  if (options.detectOrientation) {
    orientation = orientationFrom(
      await withDetector(options.orientationDetector, (d) => detectRasterOrientation(analysis.raster, angle, d, workingDpi(working))),
      minOrientationConfidence,
    );
    if (orientation.detected === null) notes.push('Orientation not detected: too little text for Tesseract OSD.');
    else if (orientation.detected !== orientation.orientation) {
      notes.push(
        `Orientation ${orientation.detected}° not applied: OSD confidence ${orientation.confidence?.toFixed(1)} is below ${minOrientationConfidence}.`,
      );
    }
  }

  const crop = analysis.border?.box ? toSourceBox(analysis.border.box, working) : null;
  const { width, height } = await writeRotated(source, outPath, {
    crop,
    rotation: orientation.orientation + angle,
    greyscale: working.sourceChannels <= 2,
    density: working.density,
  });

  return {
    angle,
    estimatedAngle: skew.angle,
    confidence: skew.confidence,
    direction: skew.direction,
    skewApplied,
    orientation: orientation.orientation,
    orientationConfidence: orientation.confidence,
    crop,
    width,
    height,
    sourceWidth: working.sourceWidth,
    sourceHeight: working.sourceHeight,
    notes,
  };
}

import type { WordRun } from './find-phrase.ts';
import type { OcrPageWords } from './read-ocr-words.ts';
import { scaleBox, type Rect } from './scale-box.ts';

/** Search 2.0 responses with search-specific properties carry both contexts, Presentation first (§3.4). */
export const SEARCH_CONTEXT = ['http://iiif.io/api/presentation/3/context.json', 'http://iiif.io/api/search/2/context.json'] as const;
/** Motivation of the result annotations in `items`: OCR text is a transcription of the canvas (Presentation 3.0 §3.3.5 `supplementing`). */
export const RESULT_MOTIVATION = 'supplementing';
/** Motivation of the hit annotations in `annotations`: word-level snippets (Search 2.0 §3.4.2 `contextualizing`). */
export const HIT_MOTIVATION = 'contextualizing';
/** Words of context on each side of a hit. */
const CONTEXT_WORDS = 5;

export interface SearchPageMatches {
  seq: number;
  canvasId: string;
  /** The canvas size: the served image, `page.imageWidth × imageHeight`. */
  canvas: { width: number; height: number };
  ocr: OcrPageWords;
  runs: readonly WordRun[];
}

export interface SearchResponseInput {
  /** The request URL (§3.3.1: the `id` is the URI used in the query). */
  id: string;
  /** `{base}/iiif/search/{itemId}`: prefix of the (not dereferenceable) annotation ids. */
  serviceId: string;
  ignored: readonly string[];
  pages: readonly SearchPageMatches[];
}

/**
 * The Content Search 2.0 response: one AnnotationPage with every match (no paging).
 * - `items`: one Annotation per matched run of words *per line* (a phrase that wraps onto the
 *   next line gives one per line, §3.4.5), `TextualBody` of the words as recognised, target
 *   `{canvas}#xywh=` in canvas pixels (the OCR boxes scaled from the OCR'd image).
 * - `annotations`: one AnnotationPage of hit annotations, one per match, motivation
 *   `contextualizing`, whose target is a `SpecificResource` (an array of them for a wrapped
 *   phrase) with `source` = the result annotation's id and a `TextQuoteSelector`
 *   (`prefix`/`exact`/`suffix`, up to five words of context each side; `prefix`/`suffix`
 *   left out when there is nothing there), as §3.4.2 describes for word-level OCR results.
 * - `ignored`: parameters received but not implemented, always present (possibly empty).
 *
 * @see https://iiif.io/api/search/2.0/#simple-lists
 * @see https://iiif.io/api/search/2.0/#search-api-specific-responses
 * @see https://iiif.io/api/search/2.0/#search-term-snippets
 * @see https://iiif.io/api/search/2.0/#multi-annotation-matches
 */
export function buildSearchResponse(input: SearchResponseInput): Record<string, unknown> {
  const items: Record<string, unknown>[] = [];
  const hits: Record<string, unknown>[] = [];
  for (const page of input.pages) {
    const { words } = page.ocr;
    const texts = words.map((word) => word.text.normalize('NFC'));
    for (const run of page.runs) {
      const targets: Record<string, unknown>[] = [];
      for (const segment of lineSegments(page.ocr, run)) {
        const annotationId = `${input.serviceId}/annotation/${page.seq}/${segment.start}-${segment.end}`;
        const exact = texts.slice(segment.start, segment.end + 1).join(' ');
        const box = scaleBox(
          union(words.slice(segment.start, segment.end + 1).map((word) => word.box)),
          { width: page.ocr.imageWidth, height: page.ocr.imageHeight },
          page.canvas,
        );
        items.push({
          id: annotationId,
          type: 'Annotation',
          motivation: RESULT_MOTIVATION,
          body: { type: 'TextualBody', value: exact, format: 'text/plain' },
          target: `${page.canvasId}#xywh=${box.x},${box.y},${box.width},${box.height}`,
        });
        const prefix = texts.slice(Math.max(0, segment.start - CONTEXT_WORDS), segment.start).join(' ');
        const suffix = texts.slice(segment.end + 1, segment.end + 1 + CONTEXT_WORDS).join(' ');
        targets.push({
          type: 'SpecificResource',
          source: annotationId,
          selector: [
            {
              type: 'TextQuoteSelector',
              ...(prefix !== '' ? { prefix: `${prefix} ` } : {}),
              exact,
              ...(suffix !== '' ? { suffix: ` ${suffix}` } : {}),
            },
          ],
        });
      }
      hits.push({
        id: `${input.serviceId}/hit/${page.seq}/${run.start}-${run.end}`,
        type: 'Annotation',
        motivation: HIT_MOTIVATION,
        target: targets.length === 1 ? targets[0] : targets,
      });
    }
  }
  return {
    '@context': [...SEARCH_CONTEXT],
    id: input.id,
    type: 'AnnotationPage',
    ignored: [...input.ignored],
    items,
    annotations: [{ type: 'AnnotationPage', items: hits }],
  };
}

/** The parts of a run that lie on one OCR line each. */
function lineSegments(ocr: OcrPageWords, run: WordRun): { start: number; end: number }[] {
  const segments: { start: number; end: number }[] = [];
  for (let index = run.start; index <= run.end; index += 1) {
    const last = segments.at(-1);
    if (last && ocr.words[last.end]?.line === ocr.words[index]?.line) last.end = index;
    else segments.push({ start: index, end: index });
  }
  return segments;
}

function union(boxes: readonly Rect[]): Rect {
  const x0 = Math.min(...boxes.map((box) => box.x));
  const y0 = Math.min(...boxes.map((box) => box.y));
  const x1 = Math.max(...boxes.map((box) => box.x + box.width));
  const y1 = Math.max(...boxes.map((box) => box.y + box.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

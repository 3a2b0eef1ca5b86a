import type { GreyRaster, PixelBox } from '../../stages/skew-raster.ts';
import { BOS, EOS } from './character-language-model.ts';
import { columnCuts } from './column-cuts.ts';
import { glyphFeatures } from './glyph-features.ts';
import { inkRows, toInkImage, type InkImage } from './ink-image.ts';
import type { NomModels } from './load-nom-models.ts';
import { inkBounds } from './normalize-glyph.ts';
import { nearestLabels, type TemplateMatch } from './template-set.ts';

/** How the decoder weighs its evidence; all costs are in nats-like units and summed along a path. */
export interface NomDecodeWeights {
  /** Per unit of squared feature distance (0–4) between a segment and a template. */
  classifier: number;
  /** Per nat of −ln P(character | previous character). */
  languageModel: number;
  /** Per squared relative deviation of a segment's height from the column's pitch. */
  pitch: number;
  /** Added per character emitted (negative favours more, shorter segments). */
  insertion: number;
}

/**
 * Chosen on synthetic columns: held-out Lục Vân Tiên verses (kept out of the language model used
 * for tuning) drawn from TW-Sung at 26–28 px/em, blurred, noisy, half of them thickened.
 */
export const DEFAULT_DECODE_WEIGHTS: Readonly<NomDecodeWeights> = Object.freeze({
  classifier: 100,
  languageModel: 0.6,
  pitch: 30,
  insertion: 0,
});

export interface NomRecognizeOptions {
  /** Candidates kept per segment, and alternatives returned per character. Default 10. */
  topK?: number;
  weights?: Partial<NomDecodeWeights>;
}

/** A candidate reading of one character, `score` 0–1 (the candidates of one character sum to ≤ 1). */
export interface NomAlternative {
  text: string;
  score: number;
}

export interface NomCharacter {
  /** One code point, NFC; may be astral or Private Use. */
  text: string;
  /** The character's ink, in the column's pixels. */
  box: PixelBox;
  /** 0–100: the score of `text` among the alternatives, as a percentage. */
  confidence: number;
  /** Best first; `alternatives[0].text === text`. */
  alternatives: NomAlternative[];
}

/**
 * Segment heights tried, as fractions of the pitch. Taller segments (two characters) look, once
 * normalised with their aspect kept, like narrow radicals (飠, 钅) and were read as such. The
 * cap of 1.25 was first tried after reading Kiều errors; on 60 held-out Lục Vân Tiên columns
 * rendered at 24 px/em in BabelStone Han and TW-Sung, blurred, noisy and thickened, with a
 * language model without them, it is also the best: CER 0.224 at 1.15, 0.217 at 1.25, 0.245 at
 * 1.35, 0.357 at 1.5.
 */
const MIN_SEGMENT = 0.55;
const MAX_SEGMENT = 1.25;
/** A stretch holding less than this share of an average character's ink may be passed over as blank or a speck. */
const SKIPPABLE_INK = 0.08;

interface Segment {
  from: number;
  to: number;
  matches: TemplateMatch[];
  cost: number;
  box: PixelBox;
}

interface State {
  cost: number;
  label: string;
  back: State | undefined;
  segment: Segment | undefined;
}

/**
 * Reads one vertical column of Nôm (or Hán) top to bottom. Segmentation and recognition are
 * decided together: every pair of candidate cuts a plausible character height apart is a
 * segment, classified against the templates (top-k nearest labels); a Viterbi search over
 * cuts × characters adds the character bigram model's cost and a pitch prior, and the cheapest
 * path is the reading. `column` is greyscale, 0 = black, roughly one column wide.
 */
export function recognizeNomColumn(column: GreyRaster, models: NomModels, options: NomRecognizeOptions = {}): NomCharacter[] {
  const weights = { ...DEFAULT_DECODE_WEIGHTS, ...options.weights };
  const topK = options.topK ?? 10;
  const ink = toInkImage(column);
  const { cuts, pitch, profile } = columnCuts(ink);
  const cumulative = new Float64Array(profile.length + 1);
  profile.forEach((v, y) => (cumulative[y + 1] = (cumulative[y] ?? 0) + v));
  const totalInk = cumulative[profile.length] ?? 0;
  if (totalInk < 1) return [];
  const charInk = totalInk / Math.max(1, Math.round(column.height / pitch));
  const inkBetween = (a: number, b: number): number => (cumulative[b] ?? 0) - (cumulative[a] ?? 0);

  const lm = models.languageModel;
  // best[i]: the cheapest path reaching cut i, per last character.
  const best: Map<string, State>[] = cuts.map(() => new Map());
  best[0]?.set(BOS, { cost: 0, label: BOS, back: undefined, segment: undefined });
  const relax = (at: number, state: State): void => {
    const current = best[at]?.get(state.label);
    if (!current || state.cost < current.cost) best[at]?.set(state.label, state);
  };
  for (let i = 0; i < cuts.length - 1; i++) {
    const from = cuts[i] as number;
    const states = [...(best[i]?.values() ?? [])];
    if (states.length === 0) continue;
    for (let j = i + 1; j < cuts.length; j++) {
      const to = cuts[j] as number;
      const height = to - from;
      const segmentInk = inkBetween(from, to);
      if (segmentInk < SKIPPABLE_INK * charInk) {
        for (const state of states) relax(j, { ...state });
      }
      if (height > MAX_SEGMENT * pitch) break;
      if (height < MIN_SEGMENT * pitch || segmentInk < SKIPPABLE_INK * charInk) continue;
      const segment = classifySegment(ink, from, to, models, topK, weights, pitch);
      if (!segment) continue;
      for (const state of states) {
        for (const match of segment.matches) {
          const cost = state.cost + segment.cost + weights.classifier * match.distance + weights.languageModel * lm.cost(state.label, match.label);
          relax(j, { cost, label: match.label, back: state, segment });
        }
      }
    }
  }
  let end: State | undefined;
  let endCost = Infinity;
  for (const state of best[cuts.length - 1]?.values() ?? []) {
    const cost = state.cost + weights.languageModel * lm.cost(state.label, EOS);
    if (cost < endCost) {
      endCost = cost;
      end = state;
    }
  }
  const path: State[] = [];
  for (let state = end; state?.segment; state = state.back) {
    // Skipped blank stretches copy their predecessor's state; keep one entry per emitted segment.
    if (path[0]?.segment !== state.segment) path.unshift(state);
  }
  return path.map((state, n) => describe(state, path[n - 1]?.label ?? BOS, path[n + 1]?.label ?? EOS, models, weights));
}

function classifySegment(
  ink: InkImage,
  from: number,
  to: number,
  models: NomModels,
  topK: number,
  weights: NomDecodeWeights,
  pitch: number,
): Segment | undefined {
  const rows = inkRows(ink, from, to);
  const bounds = inkBounds(rows);
  if (!bounds) return undefined;
  const matches = nearestLabels(models.templates, glyphFeatures(rows, models.templates.params), topK);
  const deviation = (to - from) / pitch - 1;
  return {
    from,
    to,
    matches,
    cost: weights.pitch * deviation * deviation + weights.insertion,
    box: { x: bounds.x0, y: from + bounds.y0, width: bounds.x1 - bounds.x0, height: bounds.y1 - bounds.y0 },
  };
}

/** Scores a chosen segment's candidates in the context of its chosen neighbours (softmax of minus cost). */
function describe(state: State, prev: string, next: string, models: NomModels, weights: NomDecodeWeights): NomCharacter {
  const segment = state.segment as Segment;
  const lm = models.languageModel;
  const costs = segment.matches.map(
    (match) => weights.classifier * match.distance + weights.languageModel * (lm.cost(prev, match.label) + lm.cost(match.label, next)),
  );
  const least = Math.min(...costs);
  const exps = costs.map((cost) => Math.exp(least - cost));
  const total = exps.reduce((a, b) => a + b, 0);
  const alternatives = segment.matches
    .map((match, i) => ({ text: match.label, score: (exps[i] ?? 0) / total }))
    .sort((a, b) => b.score - a.score);
  const chosen = alternatives.findIndex((alternative) => alternative.text === state.label);
  const [picked] = alternatives.splice(Math.max(0, chosen), 1);
  const ordered = picked ? [picked, ...alternatives] : alternatives;
  return { text: state.label, box: segment.box, confidence: Math.round(100 * (picked?.score ?? 0)), alternatives: ordered };
}

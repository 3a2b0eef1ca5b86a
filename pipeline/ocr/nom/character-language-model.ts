import { codePoints } from '../../text/code-points.ts';
import { isHanNomCharacter } from './han-nom-character.ts';

export const BOS = '<s>';
export const EOS = '</s>';

/**
 * Bigram counts of characters, one text line (a column or verse) per sequence, with line
 * start and end markers. Probabilities come from `CharacterLanguageModel`.
 */
export interface BigramCounts {
  /** Characters seen (NFC code points), without the markers. */
  vocabulary: string[];
  /** Flat triples: previous token index, next token index, count. Index `vocabulary.length` is BOS, `+ 1` is EOS. */
  bigrams: number[];
}

/** Counts character bigrams of `lines`; characters other than Hán-Nôm (punctuation, digits, `?`) are dropped. */
export function countBigrams(lines: Iterable<string>): BigramCounts {
  const index = new Map<string, number>();
  const sequences: number[][] = [];
  for (const line of lines) {
    const chars = codePoints(line.normalize('NFC')).filter(isHanNomCharacter);
    if (chars.length === 0) continue;
    sequences.push(
      chars.map((char) => {
        let i = index.get(char);
        if (i === undefined) {
          i = index.size;
          index.set(char, i);
        }
        return i;
      }),
    );
  }
  const size = index.size;
  const counts = new Map<number, number>();
  for (const sequence of sequences) {
    const tokens = [size, ...sequence, size + 1];
    for (let i = 1; i < tokens.length; i++) {
      const key = (tokens[i - 1] as number) * (size + 2) + (tokens[i] as number);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const bigrams: number[] = [];
  for (const [key, count] of [...counts].sort((a, b) => a[0] - b[0])) {
    bigrams.push(Math.floor(key / (size + 2)), key % (size + 2), count);
  }
  return { vocabulary: [...index.keys()], bigrams };
}

/** Share of the unigram distribution kept for characters never seen (corrected PUA templates, rare glyphs). */
const UNSEEN_SHARE = 0.02;

/**
 * Interpolated Kneser–Ney bigram model over characters (Chen & Goodman 1998, one discount):
 * P(w | v) = max(c(v,w) − D, 0) / c(v) + D · N₁₊(v•) / c(v) · P_cont(w), where P_cont(w) is
 * the share of distinct left contexts of w, itself mixed with a uniform share over the
 * vocabulary plus one "unseen" class, so every character gets a finite cost. Over the
 * vocabulary, EOS and the unseen class the probabilities sum to 1.
 */
export class CharacterLanguageModel {
  readonly vocabulary: readonly string[];
  readonly discount: number;
  readonly #index: Map<string, number>;
  readonly #bigram = new Map<number, number>();
  readonly #contextTotal: Float64Array;
  readonly #contextTypes: Float64Array;
  readonly #continuation: Float64Array;
  readonly #bigramTypes: number;
  readonly #size: number;

  constructor(counts: BigramCounts, discount = 0.75) {
    this.vocabulary = counts.vocabulary;
    this.discount = discount;
    this.#size = counts.vocabulary.length;
    this.#index = new Map(counts.vocabulary.map((char, i) => [char, i]));
    this.#index.set(BOS, this.#size);
    this.#index.set(EOS, this.#size + 1);
    const tokens = this.#size + 2;
    this.#contextTotal = new Float64Array(tokens);
    this.#contextTypes = new Float64Array(tokens);
    this.#continuation = new Float64Array(tokens);
    let types = 0;
    for (let i = 0; i + 2 < counts.bigrams.length; i += 3) {
      const prev = counts.bigrams[i] as number;
      const next = counts.bigrams[i + 1] as number;
      const count = counts.bigrams[i + 2] as number;
      this.#bigram.set(prev * tokens + next, count);
      this.#contextTotal[prev] = (this.#contextTotal[prev] ?? 0) + count;
      this.#contextTypes[prev] = (this.#contextTypes[prev] ?? 0) + 1;
      this.#continuation[next] = (this.#continuation[next] ?? 0) + 1;
      types++;
    }
    this.#bigramTypes = Math.max(1, types);
  }

  /** True when the corpus had `char`. */
  knows(char: string): boolean {
    const i = this.#index.get(char);
    return i !== undefined && i < this.#size;
  }

  /** How often the bigram `prev next` occurred in the corpus (markers allowed). */
  count(prev: string, next: string): number {
    const p = this.#index.get(prev);
    const n = this.#index.get(next);
    if (p === undefined || n === undefined) return 0;
    return this.#bigram.get(p * (this.#size + 2) + n) ?? 0;
  }

  /** P(next | prev); `prev` may be BOS, `next` may be EOS; unknown characters share the unseen mass. */
  probability(prev: string, next: string): number {
    const n = this.#index.get(next);
    const lower = this.#lowerOrder(n);
    const p = this.#index.get(prev);
    if (p === undefined) return lower;
    const total = this.#contextTotal[p] ?? 0;
    if (total === 0) return lower;
    const count = n === undefined ? 0 : (this.#bigram.get(p * (this.#size + 2) + n) ?? 0);
    return Math.max(count - this.discount, 0) / total + ((this.discount * (this.#contextTypes[p] ?? 0)) / total) * lower;
  }

  /** −ln P(next | prev). */
  cost(prev: string, next: string): number {
    return -Math.log(this.probability(prev, next));
  }

  #lowerOrder(n: number | undefined): number {
    // Predictable outcomes: the vocabulary, EOS, and one class for everything unseen.
    const uniform = UNSEEN_SHARE / (this.#size + 2);
    if (n === undefined) return uniform;
    return (1 - UNSEEN_SHARE) * ((this.#continuation[n] ?? 0) / this.#bigramTypes) + uniform;
  }
}

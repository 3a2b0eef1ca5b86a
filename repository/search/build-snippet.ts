import { foldWithOffsets } from './fold-with-offsets.ts';

export interface SnippetOptions {
  /** Most code points of original text shown (before the ellipses). */
  maxLength?: number;
  /** Code points shown before the first match, at most. */
  before?: number;
}

const WORD = /[\p{L}\p{N}\p{M}]/u;
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (character) => HTML_ESCAPES[character]!);
}

/** Ranges of code points [start, end) of the original where a term occurs, widened to whole words. */
function matchRanges(codePoints: string[], folded: string, source: number[], terms: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const term of terms) {
    if (term === '') continue;
    for (let at = folded.indexOf(term); at !== -1; at = folded.indexOf(term, at + term.length)) {
      let start = source[at]!;
      let end = source[at + term.length - 1]! + 1;
      while (start > 0 && WORD.test(codePoints[start - 1]!)) start -= 1;
      while (end < codePoints.length && WORD.test(codePoints[end]!)) end += 1;
      ranges.push([start, end]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  // Merge overlapping ranges and ranges separated by white space only: `<mark>thư viện</mark>`.
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && (range[0] <= last[1] || codePoints.slice(last[1], range[0]).every((c) => /\s/u.test(c)))) {
      last[1] = Math.max(last[1], range[1]);
    } else {
      merged.push([range[0], range[1]]);
    }
  }
  return merged;
}

/**
 * A window of `text` around its first match of any of `terms` (folded query words, see
 * `foldText`), HTML-escaped, with every matched word inside the window wrapped in `<mark>`.
 * Matching ignores case and Vietnamese marks (`thu vien` marks `thư viện`) and works on code
 * points, so characters outside the BMP (Nôm) are never cut in half. Returns null when no
 * term occurs in the text.
 */
export function buildSnippet(text: string, terms: readonly string[], options: SnippetOptions = {}): string | null {
  const maxLength = options.maxLength ?? 240;
  const before = options.before ?? 60;
  const { codePoints, folded, source } = foldWithOffsets(text);
  const ranges = matchRanges(codePoints, folded, source, terms);
  const first = ranges[0];
  if (!first) return null;
  let start = Math.max(0, first[0] - before);
  // Start on a word boundary when the window starts inside the text (unspaced scripts such
  // as Hán-Nôm have none nearby: give up after a few characters).
  if (start > 0) {
    let at = start;
    while (at < first[0] && at < start + 15 && !/\s/u.test(codePoints[at - 1]!)) at += 1;
    if (/\s/u.test(codePoints[at - 1]!)) start = at;
  }
  let end = Math.min(codePoints.length, start + maxLength);
  if (end < codePoints.length) {
    let at = end;
    while (at > first[1] && at > end - 15 && !/\s/u.test(codePoints[at]!)) at -= 1;
    if (/\s/u.test(codePoints[at]!)) end = at;
    end = Math.max(end, first[1]);
  }
  let html = start > 0 ? '…' : '';
  let cursor = start;
  for (const [rangeStart, rangeEnd] of ranges) {
    if (rangeEnd <= start || rangeStart >= end) continue;
    const from = Math.max(rangeStart, start);
    const to = Math.min(rangeEnd, end);
    html += escapeHtml(codePoints.slice(cursor, from).join(''));
    html += `<mark>${escapeHtml(codePoints.slice(from, to).join(''))}</mark>`;
    cursor = to;
  }
  html += escapeHtml(codePoints.slice(cursor, end).join(''));
  if (end < codePoints.length) html += '…';
  return html.replace(/\s+/gu, ' ').trim();
}

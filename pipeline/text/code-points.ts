/**
 * The Unicode code points of a string, one array element each. A character beyond the Basic
 * Multilingual Plane (CJK Extension B such as `𡨸` U+21A38, supplementary Private Use Area such
 * as U+F047C) is one element here but two UTF-16 units in `string.length`: count and compare
 * characters with this, never with `length` or indexing.
 */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

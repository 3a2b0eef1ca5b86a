/**
 * A deep copy of a JSON value in which every string value that starts with `fromBase` (the
 * whole string, or followed by `/`, `?` or `#`) starts with `toBase` instead. Object keys and
 * other strings are untouched: this walks the parsed structure, it never rewrites raw text.
 * Used to serve manifests stored with the packaging-time `PUBLIC_BASE_URL` under the base URL
 * of the request (Presentation API 3.0 §4.1: ids are the URIs at which resources are retrieved).
 *
 * @see https://iiif.io/api/presentation/3.0/#id
 */
export function rebaseIds(value: unknown, fromBase: string, toBase: string): unknown {
  if (fromBase === toBase) return value;
  if (typeof value === 'string') {
    if (value === fromBase) return toBase;
    const next = value.charAt(fromBase.length);
    return value.startsWith(fromBase) && (next === '/' || next === '?' || next === '#')
      ? toBase + value.slice(fromBase.length)
      : value;
  }
  if (Array.isArray(value)) return value.map((entry) => rebaseIds(entry, fromBase, toBase));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, rebaseIds(entry, fromBase, toBase)]));
  }
  return value;
}

import type { StoredDublinCore } from '../database/schema.ts';
import { foldVietnamese } from '../text/fold-vietnamese.ts';

/** What groups records of the same work in the union catalogue. */
export interface MatchKeys {
  /** `isbn:<ISBN-13>` and `issn:NNNN-NNNN`, sorted, without repeats. */
  standardNumbers: string[];
  /** `folded title|folded first creator|year`; null without a title. */
  titleKey: string | null;
}

const ISBN_CANDIDATE = /(?:^|[^\dX])((?:97[89][\s-]?)?\d{1,5}[\s-]?\d{1,7}[\s-]?\d{1,7}[\s-]?[\dX])(?![\dX])/giu;
const ISSN_CANDIDATE = /(?:^|\D)(\d{4})[\s-]?(\d{3}[\dX])(?![\dX])/iu;

/** ISBN-13 of an ISBN-10 or ISBN-13 written with or without hyphens; null when its check digit is wrong. */
export function normaliseIsbn(text: string): string | null {
  const compact = text.replace(/[\s-]/gu, '').toUpperCase();
  if (/^\d{9}[\dX]$/u.test(compact)) {
    const sum = [...compact].reduce((total, c, i) => total + (c === 'X' ? 10 : Number(c)) * (10 - i), 0);
    if (sum % 11 !== 0) return null;
    return withIsbn13Check(`978${compact.slice(0, 9)}`);
  }
  if (/^97[89]\d{10}$/u.test(compact)) return withIsbn13Check(compact.slice(0, 12)) === compact ? compact : null;
  return null;
}

function withIsbn13Check(twelve: string): string {
  const sum = [...twelve].reduce((total, c, i) => total + Number(c) * (i % 2 === 0 ? 1 : 3), 0);
  return `${twelve}${(10 - (sum % 10)) % 10}`;
}

/** `NNNN-NNNN` of an ISSN with a valid check digit, else null. */
export function normaliseIssn(text: string): string | null {
  const match = ISSN_CANDIDATE.exec(text);
  if (match === null) return null;
  const digits = `${match[1]}${match[2]!.toUpperCase()}`;
  const sum = [...digits.slice(0, 7)].reduce((total, c, i) => total + Number(c) * (8 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return digits[7] === (check === 10 ? 'X' : String(check)) ? `${digits.slice(0, 4)}-${digits.slice(4)}` : null;
}

/**
 * The standard numbers named by identifier values: `urn:isbn:…`/`urn:issn:…` (what MARC import
 * writes), `ISBN …`/`ISSN …`, or a bare number whose check digit holds. ISBN-10s become
 * ISBN-13s so both spellings of one book match.
 */
export function standardNumbers(identifiers: readonly string[]): string[] {
  const found = new Set<string>();
  for (const identifier of identifiers) {
    if (/^https?:/iu.test(identifier)) continue;
    const issnLike = /issn/iu.test(identifier);
    if (issnLike) {
      const issn = normaliseIssn(identifier);
      if (issn !== null) found.add(`issn:${issn}`);
      continue;
    }
    for (const match of identifier.matchAll(ISBN_CANDIDATE)) {
      const isbn = normaliseIsbn(match[1]!);
      if (isbn !== null) found.add(`isbn:${isbn}`);
    }
  }
  return [...found].sort();
}

/** Folded, punctuation-free, single-spaced: `Truyện Kiều.` and `truyen  kieu` are both `truyen kieu`. */
export function foldForKey(text: string): string {
  return foldVietnamese(text.normalize('NFC'))
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The first four-digit year (1000–2999) in a date text: `1820`, `[1820?]`, `1820-05-01`. */
export function yearOf(text: string | undefined): string | null {
  return text === undefined ? null : (/(?:^|\D)([12]\d{3})(?!\d)/u.exec(text)?.[1] ?? null);
}

/** The keys of a Dublin Core record (see MatchKeys). */
export function matchKeys(dc: StoredDublinCore): MatchKeys {
  const first = (values: { value: string }[] | undefined) => values?.[0]?.value;
  const title = first(dc.title);
  const folded = title === undefined ? '' : foldForKey(title);
  return {
    standardNumbers: standardNumbers((dc.identifier ?? []).map((value) => value.value)),
    titleKey: folded === '' ? null : `${folded}|${foldForKey(first(dc.creator) ?? '')}|${yearOf(first(dc.date)) ?? ''}`,
  };
}

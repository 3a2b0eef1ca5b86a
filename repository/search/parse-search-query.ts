import { z } from 'zod';
import { InvalidInputError } from '../../storage/index.ts';
import { COLLECTION_CATEGORIES, type CollectionCategory } from '../database/domain.types.ts';
import { foldText } from './fold-with-offsets.ts';

/** Longest query accepted, in characters (code points, after NFC). */
export const MAX_QUERY_LENGTH = 200;
/** Most words a query may have. */
export const MAX_QUERY_TERMS = 12;
/** Most results per page. */
export const MAX_LIMIT = 100;
/** Deepest offset: beyond it, narrow the search with facets. */
export const MAX_OFFSET = 10_000;

/** What a caller asks `searchCatalogue` for. */
export interface SearchQuery {
  q: string;
  libraryId?: string | undefined;
  collectionId?: string | undefined;
  category?: CollectionCategory | undefined;
  /** ISO 15924 script code, e.g. `Latn`, `Hani`. */
  script?: string | undefined;
  /** Inclusive bounds on the year of the item's first Dublin Core date. */
  yearFrom?: number | undefined;
  yearTo?: number | undefined;
  /** 1–100, default 20. */
  limit?: number | undefined;
  /** 0–10 000, default 0. */
  offset?: number | undefined;
}

/** A checked query: `terms` are the distinct folded words, in order (`thu`, `vien`). */
export interface ParsedSearchQuery {
  q: string;
  terms: string[];
  libraryId: string | undefined;
  collectionId: string | undefined;
  category: CollectionCategory | undefined;
  script: string | undefined;
  yearFrom: number | undefined;
  yearTo: number | undefined;
  limit: number;
  offset: number;
}

/** Why a search was refused, for pages that explain it in the reader's language. */
export const SEARCH_PROBLEMS = ['invalid-value', 'not-a-number', 'empty', 'too-long', 'no-letters', 'too-many-words', 'year-range'] as const;
export type SearchProblem = (typeof SEARCH_PROBLEMS)[number];

/** The `details` of a refused search: the parameter, the problem, and the limit it broke if any. */
export interface SearchProblemDetails {
  field: string;
  problem: SearchProblem;
  limit?: number;
  [key: string]: unknown;
}

export function problem(field: string, kind: SearchProblem, limit?: number): SearchProblemDetails {
  return limit === undefined ? { field, problem: kind } : { field, problem: kind, limit };
}

const year = z.int().min(-9999).max(9999);
const schema = z.strictObject({
  q: z.string(),
  libraryId: z.string().min(1).max(100).optional(),
  collectionId: z.string().min(1).max(100).optional(),
  category: z.enum(COLLECTION_CATEGORIES).optional(),
  script: z.string().regex(/^[A-Z][a-z]{3}$/, "use an ISO 15924 script code such as 'Latn' or 'Hani'").optional(),
  yearFrom: year.optional(),
  yearTo: year.optional(),
  limit: z.int().min(1).max(MAX_LIMIT).default(20),
  offset: z.int().min(0).max(MAX_OFFSET).default(0),
});

/**
 * Checks a site-search query. `q` is put in NFC (NFD input searches like NFC), folded
 * (case, marks, đ → d) and split into words of letters and digits; every word must match.
 * Throws `InvalidInputError` (400) for an empty query, one with no letters or digits, one
 * longer than 200 characters or 12 words, and for bad filters or paging.
 */
export function parseSearchQuery(input: SearchQuery): ParsedSearchQuery {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.join('.') || 'query';
    throw new InvalidInputError(`Invalid search: ${field} ${issue.message}`, { details: problem(field, 'invalid-value') });
  }
  const value = result.data;
  const q = value.q.normalize('NFC').trim();
  if (q === '') {
    throw new InvalidInputError('The search is empty: give the words to find, e.g. q=thư viện', { details: problem('q', 'empty') });
  }
  if ([...q].length > MAX_QUERY_LENGTH) {
    throw new InvalidInputError(`The search is longer than ${MAX_QUERY_LENGTH} characters: search for fewer words`, {
      details: problem('q', 'too-long', MAX_QUERY_LENGTH),
    });
  }
  const terms = [...new Set(foldText(q).split(/[^\p{L}\p{N}]+/u).filter((term) => term !== ''))];
  if (terms.length === 0) {
    throw new InvalidInputError('The search has no letters or digits to look for', { details: problem('q', 'no-letters') });
  }
  if (terms.length > MAX_QUERY_TERMS) {
    throw new InvalidInputError(`The search has more than ${MAX_QUERY_TERMS} words: search for fewer`, {
      details: problem('q', 'too-many-words', MAX_QUERY_TERMS),
    });
  }
  if (value.yearFrom !== undefined && value.yearTo !== undefined && value.yearFrom > value.yearTo) {
    throw new InvalidInputError('Invalid search: the year range ends before it starts', { details: problem('yearTo', 'year-range') });
  }
  return {
    q,
    terms,
    libraryId: value.libraryId,
    collectionId: value.collectionId,
    category: value.category,
    script: value.script,
    yearFrom: value.yearFrom,
    yearTo: value.yearTo,
    limit: value.limit,
    offset: value.offset,
  };
}

import type { Request } from 'express';
import type { Kysely } from 'kysely';
import { InvalidInputError, isAppError } from '../../storage/index.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { CollectionCategory } from '../database/domain.types.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import { problem as searchProblem, SEARCH_PROBLEMS, type SearchProblemDetails } from '../search/parse-search-query.ts';
import { searchCatalogue, type SearchResponse } from '../search/search-catalogue.ts';

/** Results per page of `/tim-kiem`. */
export const SEARCH_PAGE_SIZE = 20;

/** The parameters of `/tim-kiem`, each a single string (the form and the facet links write them). */
export const SEARCH_PARAMETERS = ['q', 'library', 'collection', 'category', 'script', 'from', 'to', 'trang'] as const;
export type SearchParameter = (typeof SEARCH_PARAMETERS)[number];
export type SearchParameters = Partial<Record<SearchParameter, string>>;

/** What the search page shows: the form only, results, or why the search cannot run. */
export type SearchOutcome =
  | { type: 'form'; parameters: SearchParameters }
  | { type: 'results'; parameters: SearchParameters; page: number; response: SearchResponse }
  | { type: 'invalid'; parameters: SearchParameters; message: string; problem?: SearchProblemDetails };

/**
 * Runs the search of a `/tim-kiem` request for an anonymous reader (only public items, see
 * `searchCatalogue`). No `q` (or a blank one): the form alone. Bad input (`InvalidInputError`
 * from the search, a malformed year or page) becomes an `invalid` outcome with its message.
 */
export async function runSearchPage(db: Kysely<DatabaseSchema>, req: Request): Promise<SearchOutcome> {
  const parameters = readParameters(req.query as Record<string, unknown>);
  if ((parameters.q ?? '').trim() === '') return { type: 'form', parameters };
  try {
    const page = whole('trang', parameters.trang, 1) ?? 1;
    if (page < 1) {
      throw new InvalidInputError(`The page 'trang' must be 1 or more, not '${parameters.trang}'`, { details: searchProblem('trang', 'not-a-number') });
    }
    const response = await searchCatalogue(
      db,
      {
        q: parameters.q ?? '',
        libraryId: parameters.library,
        collectionId: parameters.collection,
        category: parameters.category as CollectionCategory | undefined,
        script: parameters.script,
        yearFrom: whole('from', parameters.from),
        yearTo: whole('to', parameters.to),
        limit: SEARCH_PAGE_SIZE,
        offset: (page - 1) * SEARCH_PAGE_SIZE,
      },
      viewerOf(req),
    );
    return { type: 'results', parameters, page, response };
  } catch (error) {
    if (isAppError(error) && error.code === 'INVALID_INPUT') {
      return { type: 'invalid', parameters, message: error.message, problem: searchProblemOf(error.details) };
    }
    throw error;
  }
}

function searchProblemOf(details: Record<string, unknown>): SearchProblemDetails | undefined {
  const { field, problem } = details;
  if (typeof field !== 'string' || !(SEARCH_PROBLEMS as readonly unknown[]).includes(problem)) return undefined;
  return details as SearchProblemDetails;
}

/** Known parameters, first value only when repeated; empty values count as absent. */
function readParameters(query: Record<string, unknown>): SearchParameters {
  const parameters: SearchParameters = {};
  for (const name of SEARCH_PARAMETERS) {
    const value = query[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && first.trim() !== '') parameters[name] = first;
  }
  return parameters;
}

/** A whole number (years may be negative); anything else is an `InvalidInputError`. */
function whole(name: string, value: string | undefined, min?: number): number | undefined {
  if (value === undefined) return undefined;
  const pattern = min === undefined ? /^-?\d{1,4}$/u : /^\d{1,6}$/u;
  if (!pattern.test(value.trim())) {
    throw new InvalidInputError(`The search parameter '${name}' must be a whole number, not '${value}'`, {
      details: searchProblem(name, 'not-a-number'),
    });
  }
  return Number(value.trim());
}

/** The `/tim-kiem` address of `parameters` with `changes` applied (undefined removes one); a change of filter goes back to page 1. */
export function searchHref(parameters: SearchParameters, changes: SearchParameters | Record<string, undefined>): string {
  const next = new URLSearchParams();
  const merged: Record<string, string | undefined> = { ...parameters, trang: undefined, ...changes };
  for (const name of SEARCH_PARAMETERS) {
    const value = merged[name];
    if (value !== undefined && value !== '' && !(name === 'trang' && value === '1')) next.set(name, value);
  }
  const query = next.toString();
  return query === '' ? '/tim-kiem' : `/tim-kiem?${query}`;
}

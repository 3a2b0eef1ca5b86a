import { InvalidInputError } from '../../storage/index.ts';
import { searchKey } from './search-key.ts';

/** Longest `q` accepted, in characters. */
const MAX_QUERY_LENGTH = 500;

export interface SearchRequest {
  /** The query words in search-key form (`thu`, `vien`), in order. */
  terms: string[];
  /** Received parameters the service does not implement, in the order received. */
  ignored: string[];
}

/**
 * Parses the query parameters of a Content Search 2.0 request (§3.2.1). `q` is required
 * here: one non-empty value of at most 500 characters with at least one word; otherwise an
 * `InvalidInputError` naming `q` (400). Words are space separated; the service matches them
 * as a phrase of consecutive words. Every other parameter received (`motivation`, `date`,
 * `user`, anything else) is not implemented and is reported in `ignored` (§3.4.1).
 *
 * @see https://iiif.io/api/search/2.0/#query-parameters
 * @see https://iiif.io/api/search/2.0/#ignored-parameters
 */
export function parseSearchRequest(query: Record<string, unknown>): SearchRequest {
  const q = query.q;
  if (q === undefined || (typeof q === 'string' && q.trim() === '')) {
    throw new InvalidInputError('The search needs a q parameter with the words to find, e.g. ?q=thư viện.', { details: { field: 'q' } });
  }
  if (typeof q !== 'string') {
    throw new InvalidInputError('Give the q parameter once, with the words separated by spaces.', { details: { field: 'q' } });
  }
  if (q.length > MAX_QUERY_LENGTH) {
    throw new InvalidInputError(`The q parameter is longer than ${MAX_QUERY_LENGTH} characters; search for fewer words.`, {
      details: { field: 'q' },
    });
  }
  const terms = q.split(/\s+/u).map(searchKey).filter((term) => term !== '');
  if (terms.length === 0) {
    throw new InvalidInputError('The q parameter has no letters or digits to search for.', { details: { field: 'q' } });
  }
  return { terms, ignored: Object.keys(query).filter((name) => name !== 'q') };
}

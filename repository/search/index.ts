/** Site search across the catalogue: metadata and OCR text, diacritic-insensitive, with facets and snippets. */
export {
  searchCatalogue,
  type FacetValue,
  type SearchFacets,
  type SearchResponse,
  type SearchResult,
  type SearchSnippet,
} from './search-catalogue.ts';
export {
  parseSearchQuery,
  problem as searchProblem,
  SEARCH_PROBLEMS,
  MAX_LIMIT,
  MAX_OFFSET,
  MAX_QUERY_LENGTH,
  MAX_QUERY_TERMS,
  type ParsedSearchQuery,
  type SearchProblem,
  type SearchProblemDetails,
  type SearchQuery,
} from './parse-search-query.ts';
export { buildSnippet, escapeHtml, type SnippetOptions } from './build-snippet.ts';
export { foldCodePoint, foldText, foldWithOffsets, type FoldedText } from './fold-with-offsets.ts';
export { siteSearchRoutes, type SiteSearchRoutesDependencies } from '../http/search.routes.ts';

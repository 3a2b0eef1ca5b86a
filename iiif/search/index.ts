export { searchRoutes, type SearchRoutesDependencies } from './search.routes.ts';
export { buildSearchResponse, SEARCH_CONTEXT, type SearchResponseInput } from './build-search-response.ts';
export { parseSearchRequest, type SearchRequest } from './parse-search-request.ts';
export { findPhrase, type WordRun } from './find-phrase.ts';
export { scaleBox } from './scale-box.ts';
export { searchKey } from './search-key.ts';

export { collectionRoutes, type CollectionRoutesDependencies } from './collection.routes.ts';
export { manifestRoutes } from './manifest.routes.ts';
export { buildCollection, type CollectionEntry, type CollectionInput, type CollectionJson, type LanguageMap } from './build-collection.ts';
export { DEFAULT_COLLECTION_PAGE_SIZE, pagedCollection } from './paged-collection.ts';
export { rebaseIds } from './rebase-ids.ts';
export { requestBaseUrl } from './request-base-url.ts';
export { PRESENTATION_MEDIA_TYPE, sendIiifJson, allowAnyOrigin } from './send-iiif-json.ts';

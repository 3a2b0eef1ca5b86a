/** The public surface of `iiif/`: Presentation 3.0 (manifests, collections) and Content Search 2.0 routes. */
export {
  collectionRoutes,
  manifestRoutes,
  PRESENTATION_MEDIA_TYPE,
  requestBaseUrl,
  type CollectionRoutesDependencies,
} from './presentation/index.ts';
export { searchRoutes, type SearchRoutesDependencies } from './search/index.ts';
export {
  combineImageSources,
  extraImagesSource,
  imageRoutes,
  pageImageSource,
  PyramidFileCache,
  type ImageRoutesDependencies,
  type ResolveImageSource,
} from './image/index.ts';
export { viewerRoutes } from './viewer/viewer.routes.ts';

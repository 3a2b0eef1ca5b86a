/** IIIF Image API 3.0 (level 2): the public surface of `iiif/image/`. */
export { imageRoutes, IMAGE_API_PREFIX, type ImageRoutesDependencies, type ImageRoutesLimits } from './image.routes.ts';
export { pageImageSource, type PageImageSourceOptions } from './page-image-source.ts';
export { extraImagesSource, type BuildPyramid } from './extra-images-source.ts';
export { combineImageSources } from './combine-image-sources.ts';
export { PyramidFileCache, type PyramidFileCacheOptions } from './pyramid-file-cache.ts';
export type { ImageSource, ResolveImageSource } from './image-source.ts';
export { buildImageInfo, IMAGE_JSON_LD_MEDIA_TYPE, LEVEL2_PROFILE_URI, EXTRA_FEATURES, type ImageInfo } from './build-image-info.ts';
export { parseImageRequest } from './parse-image-request.ts';
export { serialiseImageRequest } from './serialise-image-request.ts';
export { calculateImageOperation, type ImageLimits, type ImageOperation } from './calculate-image-operation.ts';
export { renderImage } from './render-image.ts';
export type * from './image-request.types.ts';

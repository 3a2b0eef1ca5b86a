export { manifestRoutes, PRESENTATION_MEDIA_TYPE } from './manifest.routes.ts';

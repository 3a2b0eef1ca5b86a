/** The web pages (readers, operators, administrators): mount `webRoutes` and `recordRoutes` on the server before the 404 handler. */
export { webRoutes, pageNotFound, BROWSE_PAGE_SIZE, type WebRoutesDependencies } from './web.routes.ts';
export { recordRoutes, type RecordRoutesDependencies } from './records.routes.ts';
export { html, raw, escapeHtml, SafeHtml } from './html.ts';
export { chooseLanguage } from './i18n/choose-language.ts';
export { auditRoutes } from './audit.routes.ts';

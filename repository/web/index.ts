/** The researcher's web pages: mount `webRoutes` on the server before the 404 handler. */
export { webRoutes, BROWSE_PAGE_SIZE, type WebRoutesDependencies } from './web.routes.ts';
export { html, raw, escapeHtml, SafeHtml } from './html.ts';
export { chooseLanguage } from './i18n/choose-language.ts';

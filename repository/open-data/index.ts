/** Open data (issue 9): mount `openDataRoutes`; the builders are exported for tests and scripts. */
export { openDataRoutes, type OpenDataRoutesDependencies } from './open-data.routes.ts';
export { OpenDataRepository, DEFAULT_EXPORT_PAGE_SIZE, type CatalogueRecord, type CatalogueFreshness } from './open-data.repository.ts';
export { CATALOGUE_CSV_COLUMNS, MULTI_VALUE_SEPARATOR } from './catalogue-csv.ts';
export { CATALOGUE_JSON_LD_CONTEXT } from './catalogue-json-ld.ts';
export { DCAT_CONTEXT, IANA_MEDIA_TYPES, dcatCatalog } from './dcat-catalog.ts';
export { CC0_LICENSE, OPEN_DATASETS, licenseLabel } from './open-datasets.ts';

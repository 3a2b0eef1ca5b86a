/** Item descriptions in the standard formats: oai_dc, MODS, MARC 21 slim (MARCXML). */
export type { DescribedItem, DigitalCopyLinks, DublinCoreItem } from './described-item.ts';
export { digitalCopyLinks } from './digital-copy-links.ts';
export { appendOaiDc, DC_NAMESPACE, OAI_DC_NAMESPACE } from './oai-dc.serialiser.ts';
export { appendMods, MODS_NAMESPACE } from './mods.serialiser.ts';
export { appendMarcXml, MARCXML_NAMESPACE } from './marcxml.serialiser.ts';
export { dublinCoreToMarc, withDigitalCopyLinks } from './dublin-core-to-marc.ts';
export { modsRoutes, type ModsRoutesDependencies } from './mods.routes.ts';

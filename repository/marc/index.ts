/**
 * MARC 21 import into the holdings of a collection: read MARCXML or ISO 2709 as a stream,
 * map each record to Dublin Core, register it as an item keeping the record. Wire
 * `marcImportRoutes` into the app.
 */
export { importMarc, type MarcImportOptions, type MarcImportResult, type MarcProblem, type MarcSkipCode } from './import-marc.ts';
export { marcToDublinCore, type MarcDescription } from './marc-to-dublin-core.ts';
export { marcItemIdentifier } from './marc-item-identifier.ts';
export { readMarcRecords, type MarcFormat, type MarcReadOutcome, type MarcReadProblem } from './read-marc-records.ts';
export { marcImportRoutes, MARC_IMPORT_MAX_BYTES, type MarcImportRoutesDependencies } from '../http/marc-import.routes.ts';

/**
 * The public surface of `repository/`: the domain model, the database port and its adapters,
 * migrations and the data-access classes. Everything else in the folder is internal.
 */
export type { Database, DatabaseAdapter } from './database/database.port.ts';
export type { DatabaseSchema, MarcInJson } from './database/schema.ts';
export { embeddedDatabaseDir, openDatabase, type OpenDatabaseOptions } from './database/open-database.ts';
export { PgliteDatabase, IN_MEMORY, type PgliteDatabaseOptions } from './database/pglite.database.ts';
export {
  PostgresDatabase,
  parseDatabaseUrl,
  type PostgresDatabaseOptions,
  type PostgresLocation,
} from './database/postgres.database.ts';
export { migrateToLatest, appliedMigrations } from './database/migrate-to-latest.ts';
export { translateDatabaseError } from './database/database-errors.ts';
export { createRepositories, type Repositories } from './database/repositories.ts';

export * from './database/domain.types.ts';

export { LibraryRepository, type NewLibrary, type LibraryPatch, type LibraryFilter } from './database/library.repository.ts';
export {
  CollectionRepository,
  type NewCollection,
  type CollectionPatch,
  type CollectionFilter,
} from './database/collection.repository.ts';
export { ItemRepository, type NewItem, type ItemPatch, type ItemFilter } from './database/item.repository.ts';
export {
  PageRepository,
  derivePageStatus,
  pageFailureReason,
  type NewPage,
  type PagePatch,
  type PageFilter,
} from './database/page.repository.ts';
export {
  StoredObjectRepository,
  type StoredObjectRecord,
  type StoredObjectFilter,
} from './database/stored-object.repository.ts';
export {
  UserRepository,
  type NewUser,
  type UserPatch,
  type UserFilter,
  type UserCredentials,
} from './database/user.repository.ts';

export { errorHandler, notFoundHandler, statusByErrorCode, type ErrorBody } from './http/error-handler.ts';
export { checkHealth, healthRoutes, type HealthCheck, type HealthReport } from './http/health.routes.ts';
export { itemRoutes, type ItemRoutesDependencies } from './http/items.routes.ts';
export type { IngestedFile, ItemProcessing, PageIngest, ReceivedFile } from './http/ingest.port.ts';
export type { UploadLimits } from './http/multipart-upload.ts';
export { RESUMABLE_UPLOADS_PATH, ResumableUploads, type CompletedUpload, type ResumableUploadsOptions } from './http/resumable-uploads.ts';
export { sendObject } from './http/send-object.ts';
export {
  ANONYMOUS,
  assertCanChangeLibrary,
  assertCanSeeContent,
  assertRole,
  canChangeLibrary,
  canSeeContent,
  canSeeDescription,
  isAdmin,
  isStaff,
  type SignedInUser,
  type SignedInViewer,
  type Viewer,
} from './access/access-decision.ts';
export * from './auth/index.ts';
export { listAll } from './database/list-all.ts';
export { FixityAuditor, type FixityAuditorOptions, type FixityRun } from './fixity/fixity-auditor.ts';
export { FixityCheckRepository, type CollectionFixity, type FixityFailure, type FixityOutcome, type FixityResult } from './fixity/fixity-check.repository.ts';
export { scheduleFixityAudits, type FixitySchedule } from './fixity/schedule-fixity-audits.ts';
export { fixityRoutes } from './http/fixity.routes.ts';
export { Harvester, nextFrom, type HarvesterOptions, type HarvestRun } from './harvest/harvester.ts';
export { scheduleHarvests } from './harvest/schedule-harvests.ts';
export { HarvestSourceRepository, type HarvestSource, type NewHarvestSource, type HarvestSourcePatch } from './harvest/harvest-source.repository.ts';
export { matchKeys, normaliseIsbn, normaliseIssn, standardNumbers, foldForKey, yearOf, type MatchKeys } from './harvest/match-keys.ts';
export { groupWorks, type Holding, type WorkGroup } from './harvest/group-works.ts';
export { unionSearch, type UnionSearchResponse } from './harvest/union-search.ts';
export { harvestRoutes, type HarvestRoutesDependencies } from './http/harvest.routes.ts';
export { RecordWriter, scheduleRecordWrites, type RecordRound, type RecordWriterOptions } from './records/record-writer.ts';
export { rebuildIndex, type RebuildProblem, type RebuildReport } from './records/rebuild-index.ts';
export { canonicalRows, compareCatalogues, type CatalogueDifference } from './records/canonical-dump.ts';
export { CATALOGUE_TABLES } from './records/catalogue-rows.ts';
export { itemRecordSchema, type ItemRecord } from './records/item-record.ts';
export { foldVietnamese } from './text/fold-vietnamese.ts';
export * from './stats/index.ts';
export * from './search/index.ts';
export * from './marc/index.ts';
export { auditRoutes, pageNotFound, recordRoutes, webRoutes } from './web/index.ts';
export * from './oai/index.ts';
export * from './metadata/index.ts';
export * from './open-data/index.ts';
export * from './corrections/index.ts';
export { correctionRoutes, type CorrectionRoutesDependencies } from './web/corrections.routes.ts';

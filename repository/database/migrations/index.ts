import type { Migration } from 'kysely';
import { migration0001Initial } from './0001-initial.ts';
import { migration0002JobQueue } from './0002-job-queue.ts';
import { migration0003PageSources } from './0003-page-sources.ts';
import { migration0005SearchFolded } from './0005-search-folded.ts';
import { migration0006Auth } from './0006-auth.ts';
import { migration0007IiifAccessTokens } from './0007-iiif-access-tokens.ts';
import { migration0008FixityChecks } from './0008-fixity-checks.ts';
import { migration0009RecordOutbox } from './0009-record-outbox.ts';
import { migration0010ItemMarcRecord } from './0010-item-marc-record.ts';
import { migration0011OaiRecords } from './0011-oai-records.ts';
import { migration0012Harvest } from './0012-harvest.ts';
import { migration0013HanNomProfiles } from './0013-han-nom-profiles.ts';
import { migration0014HarvestFormats } from './0014-harvest-formats.ts';
import { migration0016OcrCorrections } from './0016-ocr-corrections.ts';

/**
 * Every migration, by name. Names sort in the order they must run; the Migrator refuses a
 * database that ran a migration missing from this list.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-initial': migration0001Initial,
  '0002-job-queue': migration0002JobQueue,
  '0003-page-sources': migration0003PageSources,
  '0005-search-folded': migration0005SearchFolded,
  '0006-auth': migration0006Auth,
  '0007-iiif-access-tokens': migration0007IiifAccessTokens,
  '0008-fixity-checks': migration0008FixityChecks,
  '0009-record-outbox': migration0009RecordOutbox,
  '0010-item-marc-record': migration0010ItemMarcRecord,
  '0011-oai-records': migration0011OaiRecords,
  '0012-harvest': migration0012Harvest,
  '0013-han-nom-profiles': migration0013HanNomProfiles,
  '0014-harvest-formats': migration0014HarvestFormats,
  '0016-ocr-corrections': migration0016OcrCorrections,
});

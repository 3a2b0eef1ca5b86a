/** Every migration a fresh database must end up with, in order (kept by hand: a dropped one must fail a test). */
export const EXPECTED_MIGRATIONS = ['0001-initial', '0002-job-queue', '0003-page-sources', '0005-search-folded', '0006-auth', '0007-iiif-access-tokens', '0008-fixity-checks', '0009-record-outbox', '0010-item-marc-record', '0011-oai-records', '0012-harvest'];

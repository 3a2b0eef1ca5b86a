import type { Migration } from 'kysely';
import { migration0001Initial } from './0001-initial.ts';

/**
 * Every migration, by name. Names sort in the order they must run; the Migrator refuses a
 * database that ran a migration missing from this list.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-initial': migration0001Initial,
});

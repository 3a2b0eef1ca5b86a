import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

const OLD = `('vie', 'han-vert', 'han', 'vie+han')`;
const NEW = `('vie', 'han-vert', 'han', 'vie+han', 'nom-vert', 'han-nom-vert')`;

async function replaceProfileChecks(db: Kysely<unknown>, allowed: string): Promise<void> {
  for (const table of ['collections', 'items']) {
    const name = `${table}_ocr_profile_check`;
    await sql.raw(`alter table ${table} drop constraint ${name}`).execute(db);
    await sql.raw(`alter table ${table} add constraint ${name} check (ocr_profile in ${allowed})`).execute(db);
  }
}

/**
 * Two OCR profiles for vertical Hán-Nôm: `nom-vert` (the Nôm recogniser) and `han-nom-vert`
 * (per column, whichever of Tesseract's Hán and the Nôm recogniser is more confident).
 */
export const migration0013HanNomProfiles: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await replaceProfileChecks(db, NEW);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await replaceProfileChecks(db, OLD);
  },
};

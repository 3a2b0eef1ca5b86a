import { writeFile } from 'node:fs/promises';
import { runPostgresTool } from './postgres-tools.ts';

/**
 * Writes to `listFile` the table of contents of a `pg_dump --schema=<schema>` archive without
 * the entries of the schema itself (its CREATE, COMMENT and ACL), for `pg_restore --use-list`.
 * The restore opens the schema beforehand, and with `--clean` pg_restore would otherwise try
 * `DROP SCHEMA`, which fails for `public` (the extensions live there) and for any schema
 * holding something the dump does not.
 */
export async function writeRestoreList(dumpFile: string, schema: string, listFile: string): Promise<void> {
  const toc = await runPostgresTool('pg_restore', ['--list', dumpFile]);
  // TOC lines read `<id>; <oid> <oid> SCHEMA - <name> <owner>` or `… COMMENT - SCHEMA <name> <owner>`.
  const schemaEntry = new RegExp(`^\\d+; \\d+ \\d+ (SCHEMA - |[A-Z ]+ - SCHEMA )${schema} `);
  await writeFile(listFile, toc.split('\n').filter((line) => !schemaEntry.test(line)).join('\n'));
}

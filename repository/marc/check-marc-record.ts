import type { MarcInJson } from '../database/schema.ts';

/** A record fit to map and store, every string NFC; or why it is not. */
export type MarcRecordCheck = { ok: true; record: MarcInJson } | { ok: false; reason: string };

/**
 * Checks what a MARC reader that validates nothing (marcjs, a DOM walk) produced: a 24-character
 * leader, 3-character tags, two indicators, one-character subfield codes, no control characters.
 * Pure.
 */
export function checkMarcRecord(parsed: MarcInJson): MarcRecordCheck {
  const fail = (reason: string): MarcRecordCheck => ({ ok: false, reason });
  if (parsed.leader.length !== 24) return fail(`the leader is ${parsed.leader.length} characters long instead of 24`);
  const fields: MarcInJson['fields'] = [];
  for (const field of parsed.fields) {
    const entries = Object.entries(field);
    const [tag, value] = entries[0] ?? [];
    if (entries.length !== 1 || tag === undefined || value === undefined || !/^[0-9A-Za-z]{3}$/u.test(tag)) return fail('a field has no valid tag (3 letters or digits)');
    if (typeof value === 'string') {
      if (CONTROL_CHARACTER.test(value)) return fail(`field ${tag} holds a control character`);
      fields.push({ [tag]: value.normalize('NFC') });
      continue;
    }
    if (value.ind1.length !== 1 || value.ind2.length !== 1) return fail(`field ${tag} does not have two indicators`);
    const subfields: Record<string, string>[] = [];
    for (const subfield of value.subfields) {
      const [code, text] = Object.entries(subfield)[0] ?? [];
      if (code === undefined || text === undefined || code.length !== 1) return fail(`field ${tag} has a subfield without a one-character code`);
      if (CONTROL_CHARACTER.test(text)) return fail(`field ${tag} $${code} holds a control character`);
      subfields.push({ [code]: text.normalize('NFC') });
    }
    fields.push({ [tag]: { ind1: value.ind1, ind2: value.ind2, subfields } });
  }
  return { ok: true, record: { leader: parsed.leader, fields } };
}

// What a broken directory or a stray byte leaves in a value; PostgreSQL's jsonb refuses U+0000 too.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f]/u;

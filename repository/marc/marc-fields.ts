import type { MarcInJson } from '../database/schema.ts';

/** A data field of a MARC-in-JSON record, flattened: tag, indicators and `[code, value]` pairs in order. */
export interface MarcDataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: [code: string, value: string][];
}

/** The value of the first control field `tag` (001–009), if any. */
export function controlField(record: MarcInJson, tag: string): string | undefined {
  for (const field of record.fields) {
    const value = field[tag];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** Every data field whose tag is one of `tags`, in record order. */
export function dataFields(record: MarcInJson, ...tags: string[]): MarcDataField[] {
  const found: MarcDataField[] = [];
  for (const field of record.fields) {
    for (const [tag, value] of Object.entries(field)) {
      if (typeof value === 'string' || !tags.includes(tag)) continue;
      found.push({ tag, ind1: value.ind1, ind2: value.ind2, subfields: value.subfields.flatMap((subfield) => Object.entries(subfield)) });
    }
  }
  return found;
}

/** The values of the subfields with one of `codes`, in field order, trimmed, empty ones left out. */
export function subfieldValues(field: MarcDataField, codes: string): string[] {
  return field.subfields.filter(([code]) => codes.includes(code)).map(([, value]) => value.trim()).filter((value) => value !== '');
}

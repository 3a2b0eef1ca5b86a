import type { MarcInJson } from '../database/schema.ts';
import { controlField, dataFields, subfieldValues } from './marc-fields.ts';

/**
 * Where the call number (ký hiệu xếp giá) is looked for, first found wins: 090 $a $b (the
 * local call number most Vietnamese catalogues use), 852 $h $i (MARC holdings location),
 * 952 $o (Koha's item call number), 099 $a (local free-text call number), 084 $a $b (other
 * classification number). Subfields are joined with a space.
 */
const CALL_NUMBER_FIELDS: [tag: string, codes: string][] = [
  ['090', 'ab'],
  ['852', 'hi'],
  ['952', 'o'],
  ['099', 'a'],
  ['084', 'ab'],
];

/**
 * The identifier the item gets in its collection: the record's call number, else `MARC-` and
 * its control number (001), so a record without a call number can still be registered and
 * found again on re-import. Undefined when the record has neither. NFC, spaces collapsed.
 */
export function marcItemIdentifier(record: MarcInJson): string | undefined {
  for (const [tag, codes] of CALL_NUMBER_FIELDS) {
    for (const field of dataFields(record, tag)) {
      const callNumber = subfieldValues(field, codes).join(' ');
      if (callNumber !== '') return tidy(callNumber);
    }
  }
  const controlNumber = controlField(record, '001')?.trim();
  return controlNumber ? tidy(`MARC-${controlNumber}`) : undefined;
}

function tidy(value: string): string {
  return value.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

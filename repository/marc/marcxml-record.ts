import type { Element } from '@xmldom/xmldom';
import type { MarcInJson } from '../database/schema.ts';
import { MARCXML_NAMESPACE } from '../metadata/marcxml.serialiser.ts';
import { checkMarcRecord, type MarcRecordCheck } from './check-marc-record.ts';

/**
 * One MARC 21 slim `record` element (or a `collection` holding exactly one) as MARC-in-JSON,
 * checked like an imported record (see `checkMarcRecord`); elements of other namespaces are
 * ignored, values keep their spaces (the leader and 008 are positional). Pure.
 *
 * @see https://www.loc.gov/standards/marcxml/
 */
export function marcxmlRecord(element: Element | undefined): MarcRecordCheck {
  const records = element !== undefined && isMarc(element, 'collection') ? marcChildren(element, 'record') : [element];
  const record = records[0];
  if (records.length > 1) return { ok: false, reason: `the metadata holds ${records.length} MARC records instead of one` };
  if (record === undefined || !isMarc(record, 'record')) return { ok: false, reason: `the metadata holds no MARC 21 slim record (namespace ${MARCXML_NAMESPACE})` };
  const leaders = marcChildren(record, 'leader');
  if (leaders.length !== 1) return { ok: false, reason: `the record has ${leaders.length} leaders instead of one` };
  const fields: MarcInJson['fields'] = [];
  for (let node = record.firstChild; node !== null; node = node.nextSibling) {
    const field = node as Element;
    if (node.nodeType !== 1 || field.namespaceURI !== MARCXML_NAMESPACE) continue;
    const tag = field.getAttribute('tag') ?? '';
    if (field.localName === 'controlfield') fields.push({ [tag]: field.textContent ?? '' });
    if (field.localName !== 'datafield') continue;
    const subfields = marcChildren(field, 'subfield').map((subfield) => ({ [subfield.getAttribute('code') ?? '']: subfield.textContent ?? '' }));
    fields.push({ [tag]: { ind1: field.getAttribute('ind1') ?? '', ind2: field.getAttribute('ind2') ?? '', subfields } });
  }
  return checkMarcRecord({ leader: leaders[0]!.textContent ?? '', fields });
}

const isMarc = (element: Element, name: string): boolean => element.namespaceURI === MARCXML_NAMESPACE && element.localName === name;

function marcChildren(parent: Element, name: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === 1 && isMarc(node as Element, name)) found.push(node as Element);
  }
  return found;
}

import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { MarcInJson } from '../database/schema.ts';

export const MARCXML_NAMESPACE = 'http://www.loc.gov/MARC21/slim';
export const MARCXML_SCHEMA = 'http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd';
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * Appends a MARC-in-JSON record as a MARC 21 slim `record`: the leader, control fields
 * (`00X`) as `controlfield`, the others as `datafield` with their subfields in order.
 *
 * @see https://www.loc.gov/standards/marcxml/
 */
export function appendMarcXml(parent: XMLBuilder, record: MarcInJson): void {
  const root = parent.ele(MARCXML_NAMESPACE, 'record', {
    'xmlns:xsi': XSI_NAMESPACE,
    'xsi:schemaLocation': `${MARCXML_NAMESPACE} ${MARCXML_SCHEMA}`,
  });
  root.ele(MARCXML_NAMESPACE, 'leader').txt(record.leader);
  for (const field of record.fields) {
    for (const [tag, content] of Object.entries(field)) {
      if (typeof content === 'string') {
        root.ele(MARCXML_NAMESPACE, 'controlfield', { tag }).txt(content);
        continue;
      }
      const datafield = root.ele(MARCXML_NAMESPACE, 'datafield', { tag, ind1: content.ind1, ind2: content.ind2 });
      for (const subfield of content.subfields) {
        for (const [code, value] of Object.entries(subfield)) datafield.ele(MARCXML_NAMESPACE, 'subfield', { code }).txt(value);
      }
    }
  }
}

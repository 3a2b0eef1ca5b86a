import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { DUBLIN_CORE_ELEMENTS } from '../database/domain.types.ts';
import { DEFAULT_VALUE_LANGUAGE, type DublinCoreItem } from './described-item.ts';

export const OAI_DC_NAMESPACE = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
export const OAI_DC_SCHEMA = 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd';
export const DC_NAMESPACE = 'http://purl.org/dc/elements/1.1/';
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * Appends the item as unqualified Dublin Core (`oai_dc:dc`, OAI-PMH 2.0 §6.2): every value of
 * the fifteen elements in their canonical order, each tagged with its language (`vi` when the
 * record does not say), then the document page as a `dc:identifier` and the IIIF manifest as a
 * `dc:relation`.
 *
 * @see http://www.openarchives.org/OAI/openarchivesprotocol.html#dublincore
 */
export function appendOaiDc(parent: XMLBuilder, item: DublinCoreItem): void {
  const dc = parent.ele(OAI_DC_NAMESPACE, 'oai_dc:dc', {
    'xmlns:dc': DC_NAMESPACE,
    'xmlns:xsi': XSI_NAMESPACE,
    'xsi:schemaLocation': `${OAI_DC_NAMESPACE} ${OAI_DC_SCHEMA}`,
  });
  for (const element of DUBLIN_CORE_ELEMENTS) {
    for (const { value, lang } of item.dublinCore[element]) {
      dc.ele(DC_NAMESPACE, `dc:${element}`, { 'xml:lang': lang ?? DEFAULT_VALUE_LANGUAGE }).txt(value);
    }
  }
  dc.ele(DC_NAMESPACE, 'dc:identifier').txt(item.links.page);
  if (item.links.manifest !== undefined) dc.ele(DC_NAMESPACE, 'dc:relation').txt(item.links.manifest);
}

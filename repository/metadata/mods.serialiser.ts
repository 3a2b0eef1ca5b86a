import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { DcValue } from '../database/domain.types.ts';
import { DEFAULT_VALUE_LANGUAGE, type DublinCoreItem } from './described-item.ts';

export const MODS_NAMESPACE = 'http://www.loc.gov/mods/v3';
export const MODS_SCHEMA = 'http://www.loc.gov/standards/mods/v3/mods-3-7.xsd';
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/** DCMI Type vocabulary → MODS `typeOfResource`; other types become `genre`. */
const RESOURCE_TYPES: Readonly<Record<string, string>> = {
  text: 'text',
  image: 'still image',
  stillimage: 'still image',
  movingimage: 'moving image',
  sound: 'sound recording',
  cartographic: 'cartographic',
  software: 'software, multimedia',
};

const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/i;
const ISBN = /^(?:ISBN[:\s]*)?(?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dXx]$/;
const ISSN = /^(?:ISSN[:\s]*)?\d{4}-\d{3}[\dXx]$/;
const URI = /^https?:\/\//;

/**
 * Appends the item as a MODS 3.7 record, after the Library of Congress' Dublin Core → MODS
 * mapping. Each value keeps its language (`xml:lang`, `vi` by default); the document page and
 * the IIIF manifest are `location/url`.
 *
 * @see https://www.loc.gov/standards/mods/dcsimple-mods.html
 */
export function appendMods(parent: XMLBuilder, item: DublinCoreItem): void {
  const mods = parent.ele(MODS_NAMESPACE, 'mods', {
    'xmlns:xsi': XSI_NAMESPACE,
    'xsi:schemaLocation': `${MODS_NAMESPACE} ${MODS_SCHEMA}`,
    version: '3.7',
  });
  const ele = (node: XMLBuilder, name: string, value?: DcValue, attributes: Record<string, string> = {}) =>
    node.ele(MODS_NAMESPACE, name, value === undefined ? attributes : { ...attributes, 'xml:lang': value.lang ?? DEFAULT_VALUE_LANGUAGE });
  const dc = item.dublinCore;

  dc.title.forEach((title, index) => ele(ele(mods, 'titleInfo', title, index === 0 ? {} : { type: 'alternative' }), 'title').txt(title.value));
  for (const [values, role] of [[dc.creator, 'creator'], [dc.contributor, 'contributor']] as const) {
    for (const person of values) {
      const name = ele(mods, 'name', person);
      ele(name, 'namePart').txt(person.value);
      ele(ele(name, 'role'), 'roleTerm', undefined, { type: 'text', authority: 'marcrelator' }).txt(role);
    }
  }
  for (const type of dc.type) {
    const resource = RESOURCE_TYPES[type.value.toLowerCase().replace(/\s+/g, '')];
    if (resource === undefined) ele(mods, 'genre', type).txt(type.value);
    else ele(mods, 'typeOfResource').txt(resource);
  }
  if (dc.publisher.length > 0 || dc.date.length > 0) {
    const origin = ele(mods, 'originInfo');
    for (const publisher of dc.publisher) ele(origin, 'publisher', publisher).txt(publisher.value);
    for (const date of dc.date) ele(origin, 'dateIssued').txt(date.value);
  }
  for (const language of dc.language) {
    ele(ele(mods, 'language'), 'languageTerm', undefined, { type: 'code', authority: 'rfc5646' }).txt(language.value);
  }
  if (dc.format.length > 0) {
    const physical = ele(mods, 'physicalDescription');
    for (const format of dc.format) {
      if (MEDIA_TYPE.test(format.value)) ele(physical, 'internetMediaType').txt(format.value);
      else ele(physical, 'form', format).txt(format.value);
    }
  }
  for (const description of dc.description) ele(mods, 'abstract', description).txt(description.value);
  for (const subject of dc.subject) ele(ele(mods, 'subject', subject), 'topic').txt(subject.value);
  for (const coverage of dc.coverage) ele(ele(mods, 'subject', coverage), 'geographic').txt(coverage.value);
  for (const [values, type] of [[dc.source, 'original'], [dc.relation, undefined]] as const) {
    for (const related of values) {
      const relatedItem = ele(mods, 'relatedItem', undefined, type === undefined ? {} : { type });
      if (URI.test(related.value)) ele(ele(relatedItem, 'location'), 'url').txt(related.value);
      else ele(ele(relatedItem, 'titleInfo', related), 'title').txt(related.value);
    }
  }
  for (const identifier of dc.identifier) {
    const type = ISBN.test(identifier.value) ? 'isbn' : ISSN.test(identifier.value) ? 'issn' : URI.test(identifier.value) ? 'uri' : 'local';
    ele(mods, 'identifier', undefined, { type }).txt(identifier.value);
  }
  ele(mods, 'classification', undefined, { authority: 'local', displayLabel: 'Ký hiệu xếp giá' }).txt(item.identifier);
  const location = ele(mods, 'location');
  ele(location, 'url', undefined, { usage: 'primary display', access: 'object in context' }).txt(item.links.page);
  if (item.links.manifest !== undefined) ele(location, 'url', undefined, { access: 'raw object', note: 'IIIF manifest' }).txt(item.links.manifest);
  for (const rights of dc.rights) ele(mods, 'accessCondition', rights, { type: 'use and reproduction' }).txt(rights.value);
  const recordInfo = ele(mods, 'recordInfo');
  ele(recordInfo, 'recordIdentifier').txt(item.id);
  ele(recordInfo, 'recordChangeDate', undefined, { encoding: 'iso8601' }).txt(item.updatedAt.toISOString().slice(0, 19) + 'Z');
}

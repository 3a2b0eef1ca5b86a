import type { DcValue } from '../database/domain.types.ts';
import type { MarcInJson } from '../database/schema.ts';
import type { DescribedItem, DigitalCopyLinks } from './described-item.ts';

type MarcField = MarcInJson['fields'][number];
type Subfields = Record<string, string>[];

/** Leader of a crosswalked record: new, language material, monograph, Unicode, level unknown. */
const CROSSWALK_LEADER = '00000nam a2200000uu 4500';

/** BCP 47 tags the catalogue uses → MARC language codes (041); others pass through when they are already three letters. */
const MARC_LANGUAGE: Readonly<Record<string, string>> = {
  vi: 'vie',
  lzh: 'chi',
  zh: 'chi',
  'zh-hant': 'chi',
  en: 'eng',
  fr: 'fre',
  'vi-hani': 'vie',
};

// `urn:isbn:`/`urn:issn:` too: the form the editor asks for and MARC import writes.
const ISBN = /^(?:urn:isbn:|ISBN[:\s]*)?((?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dXx])$/i;
const ISSN = /^(?:urn:issn:|ISSN[:\s]*)?(\d{4}-\d{3}[\dXx])$/i;

/**
 * A MARC 21 bibliographic record made from the item's Dublin Core, after the Library of
 * Congress' Dublin Core → MARC crosswalk: title 245 (further titles 246), creators 100/700,
 * contributors 700 $e, publisher and date 264, language 041, subjects 650, description 520,
 * coverage 500, type 655, format 340, identifiers 020/022/024, source 786, relation 787,
 * rights 540, call number 099, and where the digital copy is (856).
 *
 * @see https://www.loc.gov/marc/dccross.html
 */
export function dublinCoreToMarc(item: DescribedItem): MarcInJson {
  const dc = item.dublinCore;
  const fields: MarcField[] = [{ '001': item.id }, { '005': marcTimestamp(item.updatedAt) }];
  for (const { value } of dc.identifier) {
    const isbn = ISBN.exec(value);
    const issn = ISSN.exec(value);
    if (isbn) fields.push(dataField('020', ' ', ' ', [{ a: isbn[1]!.replace(/[-\s]/g, '') }]));
    else if (issn) fields.push(dataField('022', ' ', ' ', [{ a: issn[1]! }]));
    else fields.push(dataField('024', '8', ' ', [{ a: value }]));
  }
  if (dc.language.length > 0) fields.push(dataField('041', ' ', ' ', dc.language.map(({ value }) => ({ a: marcLanguage(value) }))));
  fields.push(dataField('099', ' ', ' ', [{ a: item.identifier }]));
  const [firstCreator, ...otherCreators] = dc.creator;
  if (firstCreator !== undefined) fields.push(dataField('100', '1', ' ', [{ a: firstCreator.value }]));
  const [title, ...otherTitles] = dc.title;
  // ind1 1: a 1XX exists, so the title is an added entry too; ind1 0 otherwise.
  fields.push(dataField('245', firstCreator === undefined ? '0' : '1', '0', [{ a: title?.value ?? item.identifier }]));
  for (const other of otherTitles) fields.push(dataField('246', '3', ' ', [{ a: other.value }]));
  const publication = [...dc.publisher.map(({ value }) => ({ b: value })), ...dc.date.slice(0, 1).map(({ value }) => ({ c: value }))];
  if (publication.length > 0) fields.push(dataField('264', ' ', '1', publication));
  fields.push(...values(dc.format, (value) => dataField('340', ' ', ' ', [{ a: value }])));
  fields.push(...values(dc.coverage, (value) => dataField('500', ' ', ' ', [{ a: value }])));
  fields.push(...values(dc.date.slice(1), (value) => dataField('500', ' ', ' ', [{ a: `Date: ${value}` }])));
  fields.push(...values(dc.description, (value) => dataField('520', ' ', ' ', [{ a: value }])));
  fields.push(...values(dc.rights, (value) => dataField('540', ' ', ' ', [{ a: value }])));
  fields.push(...values(dc.subject, (value) => dataField('650', ' ', '4', [{ a: value }])));
  fields.push(...values(dc.type, (value) => dataField('655', ' ', '7', [{ a: value }, { 2: 'local' }])));
  fields.push(...values(otherCreators, (value) => dataField('700', '1', ' ', [{ a: value }])));
  fields.push(...values(dc.contributor, (value) => dataField('700', '1', ' ', [{ a: value }, { e: 'contributor' }])));
  fields.push(...values(dc.source, (value) => dataField('786', '0', ' ', [{ n: value }])));
  fields.push(...values(dc.relation, (value) => dataField('787', '0', ' ', [{ n: value }])));
  return { leader: CROSSWALK_LEADER, fields: [...fields, ...digitalCopyFields(item.links)] };
}

/**
 * The catalogue's own record, with where its digital copy is (856) added unless it already
 * names those addresses: what a union catalogue harvesting us needs to link to the copy.
 */
export function withDigitalCopyLinks(record: MarcInJson, links: DigitalCopyLinks): MarcInJson {
  const present = new Set(
    record.fields.flatMap((field) => {
      const content = field['856'];
      return typeof content === 'object' ? content.subfields.flatMap((subfield) => (subfield.u === undefined ? [] : [subfield.u])) : [];
    }),
  );
  const added = digitalCopyFields(links).filter((field) => {
    const content = field['856'];
    return typeof content === 'object' && !content.subfields.some((subfield) => subfield.u !== undefined && present.has(subfield.u));
  });
  return { leader: record.leader, fields: [...record.fields, ...added] };
}

/** 856 4 0: the resource itself (the document page); 856 4 1: a version of it (the IIIF manifest). */
function digitalCopyFields(links: DigitalCopyLinks): MarcField[] {
  const fields = [dataField('856', '4', '0', [{ u: links.page }, { z: 'Tài liệu số / Digital copy' }])];
  if (links.manifest !== undefined) {
    fields.push(dataField('856', '4', '1', [{ u: links.manifest }, { q: 'application/ld+json' }, { z: 'IIIF manifest' }]));
  }
  return fields;
}

function dataField(tag: string, ind1: string, ind2: string, subfields: Subfields): MarcField {
  return { [tag]: { ind1, ind2, subfields } };
}

function values(list: DcValue[], toField: (value: string) => MarcField): MarcField[] {
  return list.map(({ value }) => toField(value));
}

function marcLanguage(tag: string): string {
  const lower = tag.toLowerCase();
  return MARC_LANGUAGE[lower] ?? MARC_LANGUAGE[lower.split('-')[0]!] ?? (/^[a-z]{3}$/.test(lower) ? lower : tag);
}

/** 005: `yyyymmddhhmmss.f`, in UTC. */
function marcTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-T:]/g, '')}.0`;
}

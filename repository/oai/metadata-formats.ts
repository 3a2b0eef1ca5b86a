import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { DescribedItem } from '../metadata/described-item.ts';
import { dublinCoreToMarc, withDigitalCopyLinks } from '../metadata/dublin-core-to-marc.ts';
import { appendMarcXml, MARCXML_NAMESPACE, MARCXML_SCHEMA } from '../metadata/marcxml.serialiser.ts';
import { appendMods, MODS_NAMESPACE, MODS_SCHEMA } from '../metadata/mods.serialiser.ts';
import { appendOaiDc, OAI_DC_NAMESPACE, OAI_DC_SCHEMA } from '../metadata/oai-dc.serialiser.ts';

export interface MetadataFormat {
  prefix: string;
  schema: string;
  namespace: string;
  append(parent: XMLBuilder, item: DescribedItem): void;
}

/**
 * The formats every item can be disseminated in (ListMetadataFormats). Every item has a title,
 * so every format applies to every item and `noMetadataFormats` never arises.
 */
export const METADATA_FORMATS: readonly MetadataFormat[] = [
  { prefix: 'oai_dc', schema: OAI_DC_SCHEMA, namespace: OAI_DC_NAMESPACE, append: appendOaiDc },
  {
    prefix: 'marcxml',
    schema: MARCXML_SCHEMA,
    namespace: MARCXML_NAMESPACE,
    // The catalogue's original record when the item came from MARC; a crosswalk otherwise.
    append: (parent, item) =>
      appendMarcXml(parent, item.marcRecord === null ? dublinCoreToMarc(item) : withDigitalCopyLinks(item.marcRecord, item.links)),
  },
  { prefix: 'mods', schema: MODS_SCHEMA, namespace: MODS_NAMESPACE, append: appendMods },
];

export function metadataFormat(prefix: string): MetadataFormat | undefined {
  return METADATA_FORMATS.find((format) => format.prefix === prefix);
}

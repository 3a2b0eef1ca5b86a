import type { DublinCore } from '../database/domain.types.ts';
import type { MarcInJson } from '../database/schema.ts';

/** What every metadata serialiser (oai_dc, MODS, MARCXML) needs to know about an item. */
export interface DescribedItem {
  id: string;
  /** Call number (ký hiệu xếp giá). */
  identifier: string;
  dublinCore: DublinCore;
  /** The original MARC 21 record of an item imported from MARC, else null. */
  marcRecord: MarcInJson | null;
  updatedAt: Date;
  links: DigitalCopyLinks;
}

/** Where the item can be seen: its page on this site, and its IIIF manifest once digitised. */
export interface DigitalCopyLinks {
  page: string;
  manifest?: string;
}

/** The language of a value when its record does not say (the catalogue is Vietnamese). */
export const DEFAULT_VALUE_LANGUAGE = 'vi';

/** What the serialisers built on Dublin Core alone (oai_dc, MODS) need. */
export type DublinCoreItem = Omit<DescribedItem, 'marcRecord'>;

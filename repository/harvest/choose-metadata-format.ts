import { MARCXML_NAMESPACE } from '../metadata/marcxml.serialiser.ts';

/** How a format's records are read: MARC 21 slim or the OAI-PMH Dublin Core. */
export type MetadataSyntax = 'marcxml' | 'oai_dc';

/** A format as ListMetadataFormats announces it (OAI-PMH 2.0 §4.4). */
export interface OfferedFormat {
  prefix: string;
  namespace: string;
}

/** The format a harvest asks for: the source's own prefix and how to read it. */
export interface ChosenFormat {
  prefix: string;
  syntax: MetadataSyntax;
}

/**
 * MARC 21 when the source offers it, for its far better match keys (020/022 numbers, 1XX/245/
 * 26X author, title and year): the format whose namespace is MARC 21 slim, whatever its prefix
 * (`marcxml` here and in most providers, `marc21` in DSpace and Koha), `marcxml` first should
 * there be several. Else `oai_dc`, which every OAI-PMH repository must offer (§3.4). Pure.
 *
 * @see http://www.openarchives.org/OAI/openarchivesprotocol.html#ListMetadataFormats
 */
export function chooseMetadataFormat(offered: readonly OfferedFormat[]): ChosenFormat {
  const marc = offered.filter((format) => format.namespace === MARCXML_NAMESPACE && format.prefix !== '');
  const chosen = marc.find((format) => format.prefix === 'marcxml') ?? marc[0];
  return chosen === undefined ? { prefix: 'oai_dc', syntax: 'oai_dc' } : { prefix: chosen.prefix, syntax: 'marcxml' };
}

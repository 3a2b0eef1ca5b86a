/** OAI-PMH documents as a source would send them, for the harvester's tests. */

const MARC = 'http://www.loc.gov/MARC21/slim';

export const escapeXml = (text: string): string => text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/"/gu, '&quot;');

export function oaiDocument(body: string, responseDate = '2026-11-21T08:00:00Z'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>${responseDate}</responseDate><request>http://source.example/oai</request>${body}</OAI-PMH>`;
}

export function identify(): string {
  return oaiDocument('<Identify><repositoryName>Nguồn</repositoryName><granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>');
}

export function listMetadataFormats(formats: readonly [prefix: string, namespace: string][]): string {
  const entries = formats.map(([prefix, namespace]) => `<metadataFormat><metadataPrefix>${prefix}</metadataPrefix><schema>http://x.example/${prefix}.xsd</schema><metadataNamespace>${namespace}</metadataNamespace></metadataFormat>`);
  return oaiDocument(`<ListMetadataFormats>${entries.join('')}</ListMetadataFormats>`);
}

export const OAI_DC_FORMAT: [string, string] = ['oai_dc', 'http://www.openarchives.org/OAI/2.0/oai_dc/'];
export const MARC21_FORMAT: [string, string] = ['marc21', MARC];

export function listRecords(records: readonly string[], resumptionToken?: string): string {
  return oaiDocument(`<ListRecords>${records.join('')}${resumptionToken === undefined ? '' : `<resumptionToken>${resumptionToken}</resumptionToken>`}</ListRecords>`);
}

export function record(identifier: string, metadata: string): string {
  return `<record><header><identifier>${identifier}</identifier><datestamp>2026-11-20T10:00:00Z</datestamp></header><metadata>${metadata}</metadata></record>`;
}

export function deletedRecord(identifier: string): string {
  return `<record><header status="deleted"><identifier>${identifier}</identifier><datestamp>2026-11-20T10:00:00Z</datestamp></header></record>`;
}

export function oaiDc(title: string, identifiers: readonly string[] = []): string {
  return `<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${escapeXml(title)}</dc:title>${identifiers.map((value) => `<dc:identifier>${escapeXml(value)}</dc:identifier>`).join('')}</oai_dc:dc>`;
}

type Field = [tag: string, value: string] | [tag: string, indicators: string, subfields: [code: string, value: string][]];

/** A MARC 21 slim record with the `marc:` prefix (as Koha and DSpace write it). */
export function marcxml(leader: string, fields: readonly Field[]): string {
  const body = fields.map((field) => {
    if (field.length === 2) return `<marc:controlfield tag="${field[0]}">${escapeXml(field[1])}</marc:controlfield>`;
    const [tag, indicators, subfields] = field;
    const content = subfields.map(([code, value]) => `<marc:subfield code="${code}">${escapeXml(value)}</marc:subfield>`).join('');
    return `<marc:datafield tag="${tag}" ind1="${indicators[0]}" ind2="${indicators[1]}">${content}</marc:datafield>`;
  });
  return `<marc:record xmlns:marc="${MARC}"><marc:leader>${leader}</marc:leader>${body.join('')}</marc:record>`;
}

export const LEADER = '00000nam a2200000 a 4500';

/** Truyện Kiều as a Koha source might send it: decomposed (NFD) Vietnamese, a Nôm character beyond the BMP, ISBN-10. */
export const KIEU_MARCXML = marcxml(LEADER, [
  ['001', 'KOHA-42'],
  ['008', '200101s1995    vm            000 1 vie d'],
  ['020', '  ', [['a', '0-306-40615-2 (bìa mềm)'.normalize('NFD')]]],
  ['022', '  ', [['a', '0317-8471']]],
  ['041', '0 ', [['a', 'vie'], ['a', 'chi']]],
  ['100', '0 ', [['a', 'Nguyễn Du,'.normalize('NFD')], ['d', '1765-1820.']]],
  ['245', '10', [['a', 'Truyện Kiều 𡨸 :'.normalize('NFD')], ['b', 'Đoạn trường tân thanh /'.normalize('NFD')]]],
  ['264', ' 1', [['a', 'Hà Nội :'.normalize('NFD')], ['b', 'Văn học,'.normalize('NFD')], ['c', '1995.']]],
  ['650', ' 7', [['a', 'Văn học Việt Nam'.normalize('NFD')], ['x', 'Truyện thơ'.normalize('NFD')]]],
  ['856', '40', [['u', 'https://koha.example.vn/cgi-bin/koha/opac-detail.pl?biblionumber=42']]],
  ['856', '41', [['u', 'https://koha.example.vn/iiif/42/manifest'], ['q', 'application/ld+json']]],
]);

import { OPEN_DATASETS, type Bilingual, type OpenDatasetKey, type OpenDistribution } from './open-datasets.ts';

/** Namespaces of the DCAT catalogue's JSON-LD context. */
export const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

/** IANA media type registry: DCAT 3 §6.8.7 recommends its IRIs for `dcat:mediaType`. */
export const IANA_MEDIA_TYPES = 'https://www.iana.org/assignments/media-types/';
/** The EU file-type and language authority tables, the usual values of `dct:format` and `dct:language` (DCAT-AP). */
const EU_FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/';
const EU_LANGUAGE = 'http://publications.europa.eu/resource/authority/language/';
const FILE_TYPES: Record<OpenDistribution['format'], string> = { CSV: 'CSV', 'JSON-LD': 'JSON_LD' };

export interface DcatCatalogInput {
  /** Scheme and host, no trailing slash. */
  baseUrl: string;
  /** Licence of the metadata (OPEN_DATA_LICENSE). */
  license: string;
  publisher: string;
  /** Last change of each dataset; a missing one (an empty repository) is left out. */
  modified: Partial<Record<OpenDatasetKey, Date>>;
}

/**
 * The DCAT 3 catalogue of `/open-data` as JSON-LD: one `dcat:Dataset` per entry of
 * `OPEN_DATASETS`, each distribution with its download URL, IANA media type, EU file type and
 * licence. Compact IRIs only (no term aliases), so the document reads the same expanded.
 *
 * @see https://www.w3.org/TR/vocab-dcat-3/
 */
export function dcatCatalog(input: DcatCatalogInput): Record<string, unknown> {
  const { baseUrl } = input;
  const license = { '@id': input.license };
  const publisher = { '@type': 'foaf:Agent', 'foaf:name': input.publisher };
  const languages = [{ '@id': `${EU_LANGUAGE}VIE` }, { '@id': `${EU_LANGUAGE}ENG` }];
  const times = Object.values(input.modified)
    .filter((date): date is Date => date !== undefined)
    .map((date) => date.getTime());
  return {
    '@context': DCAT_CONTEXT,
    '@id': `${baseUrl}/open-data/catalog.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': bilingual({ vi: 'Dữ liệu mở của Thư viện số', en: 'Open data of Thư viện số' }),
    'dct:description': bilingual({
      vi: 'Mục lục, thống kê tiến độ số hóa và bộ sưu tập IIIF của các thư viện.',
      en: 'Catalogue, digitisation progress statistics and IIIF collection of the libraries.',
    }),
    'dct:publisher': publisher,
    'dct:license': license,
    'dct:language': languages,
    'foaf:homepage': { '@id': `${baseUrl}/open-data` },
    ...(times.length > 0 ? { 'dct:modified': dateTime(new Date(Math.max(...times))) } : {}),
    'dcat:dataset': OPEN_DATASETS.map((dataset) => {
      const modified = input.modified[dataset.key];
      return {
        '@id': `${baseUrl}/open-data/catalog.jsonld#${dataset.key}`,
        '@type': 'dcat:Dataset',
        'dct:title': bilingual(dataset.title),
        'dct:description': bilingual(dataset.description),
        'dcat:keyword': [
          ...dataset.keywords.vi.map((keyword) => ({ '@value': keyword, '@language': 'vi' })),
          ...dataset.keywords.en.map((keyword) => ({ '@value': keyword, '@language': 'en' })),
        ],
        'dct:publisher': publisher,
        'dct:license': license,
        'dct:language': languages,
        'dcat:landingPage': { '@id': `${baseUrl}/open-data#${dataset.key}` },
        ...(modified !== undefined ? { 'dct:modified': dateTime(modified) } : {}),
        'dcat:distribution': dataset.distributions.map((distribution) => ({
          '@type': 'dcat:Distribution',
          'dct:title': bilingual({ vi: `${dataset.title.vi} (${distribution.format})`, en: `${dataset.title.en} (${distribution.format})` }),
          'dct:description': bilingual(distribution.note),
          'dcat:accessURL': { '@id': `${baseUrl}${distribution.path}` },
          'dcat:downloadURL': { '@id': `${baseUrl}${distribution.path}` },
          'dcat:mediaType': { '@id': `${IANA_MEDIA_TYPES}${distribution.mediaType}` },
          'dct:format': { '@id': `${EU_FILE_TYPE}${FILE_TYPES[distribution.format]}` },
          'dct:license': license,
        })),
      };
    }),
  };
}

function bilingual(text: Bilingual) {
  return [
    { '@value': text.vi, '@language': 'vi' },
    { '@value': text.en, '@language': 'en' },
  ];
}

function dateTime(date: Date) {
  return { '@value': date.toISOString(), '@type': 'xsd:dateTime' };
}

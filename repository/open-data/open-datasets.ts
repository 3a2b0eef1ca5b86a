/** A text in both languages of the site: DCAT carries both, a page shows one. */
export interface Bilingual {
  vi: string;
  en: string;
}

/** One downloadable file of a dataset. */
export interface OpenDistribution {
  /** Path on this server, from `/`. */
  path: string;
  /** IANA media type without parameters, what the download answers with. */
  mediaType: 'text/csv' | 'application/ld+json';
  /** Label of the format, and its term in the EU file-type vocabulary (DCAT-AP's `dct:format`). */
  format: 'CSV' | 'JSON-LD';
  /** What the file holds beyond its format, e.g. the vocabulary. */
  note: Bilingual;
}

export type OpenDatasetKey = 'catalogue' | 'progress' | 'iiif-collection';

export interface OpenDataset {
  key: OpenDatasetKey;
  title: Bilingual;
  description: Bilingual;
  keywords: { vi: readonly string[]; en: readonly string[] };
  distributions: readonly OpenDistribution[];
}

/** The datasets of `/open-data`, in the order the page lists them: the one description the page and the DCAT catalogue share. */
export const OPEN_DATASETS: readonly OpenDataset[] = [
  {
    key: 'catalogue',
    title: { vi: 'Mục lục tài liệu', en: 'Catalogue of documents' },
    description: {
      vi: 'Mỗi tài liệu công khai một bản ghi: ký hiệu, nhan đề, tác giả, năm, ngôn ngữ, chủ đề, thư viện, bộ sưu tập, tình trạng số hóa, số trang, đường dẫn tới trang tài liệu và manifest IIIF.',
      en: 'One record per public document: call number, title, authors, date, language, subjects, library, collection, digitisation status, page count, links to the document page and its IIIF manifest.',
    },
    keywords: { vi: ['mục lục', 'thư viện', 'số hóa', 'Dublin Core'], en: ['catalogue', 'library', 'digitisation', 'Dublin Core'] },
    distributions: [
      {
        path: '/open-data/catalogue.csv',
        mediaType: 'text/csv',
        format: 'CSV',
        note: { vi: 'UTF-8 có BOM; giá trị lặp nối bằng " | "', en: 'UTF-8 with BOM; repeated values joined with " | "' },
      },
      {
        path: '/open-data/catalogue.jsonld',
        mediaType: 'application/ld+json',
        format: 'JSON-LD',
        note: { vi: 'schema.org (Book, Collection, Library)', en: 'schema.org (Book, Collection, Library)' },
      },
    ],
  },
  {
    key: 'progress',
    title: { vi: 'Thống kê tiến độ số hóa', en: 'Digitisation progress statistics' },
    description: {
      vi: 'Theo từng thư viện và bộ sưu tập: số tài liệu trong kho, đã đăng ký, đã số hóa, tỷ lệ so với chỉ tiêu, số trang; tính đến hôm nay.',
      en: 'Per library and collection: holdings, documents registered and digitised, percentage against the target, pages; as of today.',
    },
    keywords: { vi: ['thống kê', 'tiến độ số hóa'], en: ['statistics', 'digitisation progress'] },
    distributions: [
      {
        path: '/open-data/progress.csv',
        mediaType: 'text/csv',
        format: 'CSV',
        note: { vi: 'UTF-8 có BOM; cùng số liệu với báo cáo tiến độ', en: 'UTF-8 with BOM; the same figures as the progress report' },
      },
    ],
  },
  {
    key: 'iiif-collection',
    title: { vi: 'Bộ sưu tập IIIF gốc', en: 'IIIF top collection' },
    description: {
      vi: 'Điểm vào IIIF Presentation 3.0: các thư viện, bộ sưu tập của chúng và manifest của các tài liệu đã số hóa, mở được trong mọi trình xem IIIF.',
      en: 'The IIIF Presentation 3.0 entry point: libraries, their collections and the manifests of digitised documents, for any IIIF viewer.',
    },
    keywords: { vi: ['IIIF', 'hình ảnh số'], en: ['IIIF', 'digital images'] },
    distributions: [
      {
        path: '/iiif/collection/top',
        mediaType: 'application/ld+json',
        format: 'JSON-LD',
        note: { vi: 'IIIF Presentation 3.0 Collection', en: 'IIIF Presentation 3.0 Collection' },
      },
    ],
  },
];

export const CC0_LICENSE = 'https://creativecommons.org/publicdomain/zero/1.0/';

/** A short name for a licence URL: the well-known Creative Commons ones by name, any other by its address. */
export function licenseLabel(license: string): string {
  const match = /^https?:\/\/creativecommons\.org\/(publicdomain\/zero|licenses\/([a-z-]+))\/(\d\.\d)\/?$/.exec(license);
  if (match === null) return license;
  return match[2] === undefined ? `CC0 ${match[3]}` : `CC ${match[2].toUpperCase()} ${match[3]}`;
}

export {
  buildSearchablePdf,
  DEFAULT_PAGE_DPI,
  SEARCHABLE_PDF_PRODUCER,
  type SearchablePdfMetadata,
  type SearchablePdfPage,
  type SearchablePdfResult,
} from './searchable-pdf.ts';
export {
  buildManifest,
  DEFAULT_RIGHTS,
  type LanguageMap,
  type Manifest,
  type ManifestInput,
  type ManifestItem,
  type ManifestPage,
} from './iiif-manifest.ts';

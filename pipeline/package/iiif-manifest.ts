import { IIIFBuilder } from './iiif-builder.ts';
import { InvalidInputError } from '../../storage/index.ts';
import type {
  AccessLevel,
  DcValue,
  DublinCore,
  DublinCoreElement,
  OcrProfile,
} from '../../repository/index.ts';
import { isVerticalProfile } from '../../repository/index.ts';

/** A IIIF language map: BCP 47 tag (or `none`) → values. */
export type LanguageMap = Record<string, string[]>;

export interface ManifestItem {
  id: string;
  /** Call number (ký hiệu xếp giá). */
  identifier: string;
  title: string;
  dublinCore: Partial<DublinCore>;
  /** BCP 47 tag of the content, e.g. `vi`, `lzh`. */
  language?: string;
  /** The access level every door enforces (an `Item`'s `effectiveAccessLevel`). */
  accessLevel: AccessLevel;
  /** An `Item`'s `effectiveOcrProfile`: vertical profiles (`isVerticalProfile`) read right to left. */
  ocrProfile?: OcrProfile;
}

export interface ManifestPage {
  id: string;
  /** 1-based position in the document. */
  seq: number;
  /** A printed page number (`12`, `iv`) or a name (`Bìa trước`); absent: the sequence number. */
  label?: string | null;
  /** Pixel size of the image the Image API serves for this page. */
  width: number;
  height: number;
  /** Size of the page's thumbnail, if one was made. */
  thumbnail?: { width: number; height: number } | null;
  /** Whether the page has hOCR (canvas `seeAlso`); default true. */
  hasOcr?: boolean;
}

export interface ManifestInput {
  /** Absolute http(s) URL the server is reachable at, e.g. `https://thuvien.example.vn`. */
  baseUrl: string;
  item: ManifestItem;
  collection?: { id: string; title: string };
  library?: { id?: string; name: string; homepage?: string };
  pages: readonly ManifestPage[];
  /** A Creative Commons or RightsStatements.org URI; default In Copyright. */
  rights?: string;
  /** Default: attribution to the library, when one is given. */
  requiredStatement?: { label: string | LanguageMap; value: string | LanguageMap };
}

/** The Presentation 3.0 JSON of a Manifest. */
export type Manifest = Record<string, unknown> & { id: string; type: 'Manifest'; items: unknown[] };

export const DEFAULT_RIGHTS = 'http://rightsstatements.org/vocab/InC/1.0/';
const IMAGE_SERVICE_PROFILE = 'level2';
const HOCR_PROFILE = 'http://kba.cloud/hocr-spec/1.2/';
const THUMBNAIL_SIZE = 256;

/** Labels of the metadata entries, Vietnamese first. Order = display order. */
const DC_LABELS: [DublinCoreElement, string, string][] = [
  ['title', 'Tiêu đề', 'Title'],
  ['creator', 'Tác giả', 'Creator'],
  ['contributor', 'Người đóng góp', 'Contributor'],
  ['date', 'Ngày', 'Date'],
  ['publisher', 'Nhà xuất bản', 'Publisher'],
  ['subject', 'Chủ đề', 'Subject'],
  ['language', 'Ngôn ngữ', 'Language'],
  ['type', 'Loại hình', 'Type'],
  ['format', 'Định dạng', 'Format'],
  ['coverage', 'Phạm vi', 'Coverage'],
  ['source', 'Nguồn', 'Source'],
  ['relation', 'Liên quan', 'Relation'],
  ['identifier', 'Định danh', 'Identifier'],
  ['rights', 'Bản quyền', 'Rights'],
];

const ACCESS_LABELS: Record<AccessLevel, [string, string]> = {
  public: ['Công khai', 'Public'],
  restricted: ['Hạn chế (dịch vụ đọc hạn chế)', 'Restricted (reading room)'],
  confidential: ['Mật (chỉ cán bộ thư viện)', 'Confidential (staff only)'],
};

/** Rights values the Presentation 3.0 schema accepts (§3.3.1 rights). */
const RIGHTS_PATTERN = /^http:\/\/(creativecommons\.org\/(licenses|publicdomain)\/|rightsstatements\.org\/vocab\/)\S+$/;
const NUMBERED_LABEL = /^(\d+|[ivxlcdm]+)$/i;

type ManifestBuilder = Parameters<Parameters<IIIFBuilder['createManifest']>[1]>[0];
type ContentResource = Parameters<ManifestBuilder['addThumbnail']>[0];
type CanvasBuilder = Parameters<Parameters<ManifestBuilder['createCanvas']>[1]>[0];
type Annotation = Parameters<CanvasBuilder['createAnnotation']>[1];
type Service = Parameters<ManifestBuilder['setService']>[0][number];

function nfcDeep<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map((entry) => nfcDeep(entry)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key.normalize('NFC'), nfcDeep(entry)]),
    ) as T;
  }
  return value;
}

/** `vi` + `en` (English only where it is known). */
function bilingual(vi: string, en?: string): LanguageMap {
  return en === undefined ? { vi: [vi] } : { vi: [vi], en: [en] };
}

/** Language keys the schema accepts: letters and hyphens, else `none`. */
function languageKey(lang: string | undefined, fallback: string): string {
  return lang !== undefined && /^[a-zA-Z-]+$/.test(lang) ? lang : fallback;
}

function fromDcValues(values: readonly DcValue[] | undefined, fallback: string): LanguageMap | undefined {
  const map: LanguageMap = {};
  for (const { value, lang } of values ?? []) {
    const text = value.trim();
    if (text === '') continue;
    (map[languageKey(lang, fallback)] ??= []).push(text);
  }
  return Object.keys(map).length > 0 ? map : undefined;
}

function toLanguageMap(value: string | LanguageMap): LanguageMap {
  return typeof value === 'string' ? { vi: [value] } : value;
}

/** An absolute http(s) URL without trailing slashes, or InvalidInputError naming `what`. */
function checkedHttpUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new InvalidInputError(`The ${what} "${value}" is not an absolute URL; fix the setting it comes from.`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputError(`The ${what} must be an http or https URL, got "${value}".`);
  }
  return value.replace(/\/+$/, '');
}

function checkedRights(rights: string): string {
  // Both vocabularies define their URIs with http; accept the https spelling people paste.
  const uri = rights.trim().replace(/^https:\/\/(creativecommons\.org|rightsstatements\.org)\//, 'http://$1/');
  if (!RIGHTS_PATTERN.test(uri)) {
    throw new InvalidInputError(
      `The rights value "${rights}" is not a Creative Commons or RightsStatements.org URI; pick one of those (e.g. ${DEFAULT_RIGHTS}).`,
    );
  }
  return uri;
}

function checkedPage(page: ManifestPage, seen: Set<number>): void {
  const dimensions = [page.width, page.height, ...(page.thumbnail ? [page.thumbnail.width, page.thumbnail.height] : [])];
  if (!dimensions.every((value) => Number.isInteger(value) && value > 0)) {
    throw new InvalidInputError(
      `Page ${page.seq} (${page.id}) has no valid pixel size; run the derivatives stage before building the manifest.`,
    );
  }
  if (!Number.isInteger(page.seq) || page.seq < 1 || seen.has(page.seq)) {
    throw new InvalidInputError(`Page ${page.id} has a missing or duplicate sequence number ${page.seq}.`);
  }
  seen.add(page.seq);
}

function pageLabel(page: ManifestPage): LanguageMap {
  const label = page.label?.trim();
  if (!label) return bilingual(`Trang ${page.seq}`, `Page ${page.seq}`);
  if (NUMBERED_LABEL.test(label)) return bilingual(`Trang ${label}`, `Page ${label}`);
  return { none: [label] };
}

/** `w,h`: the canonical Image API 3.0 size form (§4.7 Canonical URI Syntax). */
function thumbnailSize(page: ManifestPage): { width: number; height: number } {
  if (page.thumbnail) return page.thumbnail;
  const scale = Math.min(1, THUMBNAIL_SIZE / Math.max(page.width, page.height));
  return { width: Math.max(1, Math.round(page.width * scale)), height: Math.max(1, Math.round(page.height * scale)) };
}

/**
 * The IIIF Presentation 3.0 Manifest of one document, built with `iiif-builder`.
 *
 * Identifiers (all under `baseUrl`; ids in paths are URI-encoded):
 * - Manifest `{base}/iiif/manifest/{itemId}`
 * - Canvas `{base}/iiif/canvas/{itemId}/{seq}`
 * - its painting AnnotationPage `{manifest}/page/{seq}` and Annotation `{manifest}/annotation/{seq}`
 * - image service `{base}/iiif/3/{pageId}` (ImageService3, level2), painting body
 *   `{base}/iiif/3/{pageId}/full/max/0/default.jpg`, thumbnails `…/full/{w},{h}/0/default.jpg`
 * - PDF `{base}/api/items/{itemId}/pdf`, hOCR `{base}/api/pages/{pageId}/hocr`,
 *   search `{base}/iiif/search/{itemId}`, document web page `{base}/items/{itemId}`,
 *   collection `{base}/iiif/collection/{collectionId}`, library `{base}/libraries/{libraryId}`.
 *
 * Two gaps of iiif-builder 2.0 are filled in the serialised JSON: `provider` (no setter)
 * and an explicit `viewingDirection: left-to-right` (its serialiser omits the default).
 * Every string is NFC.
 *
 * @see https://iiif.io/api/presentation/3.0/#52-manifest
 * @see https://iiif.io/api/presentation/3.0/#34-technical-properties (viewingDirection, behavior)
 * @see https://iiif.io/api/presentation/3.0/#35-linking-properties (rendering, seeAlso, service, partOf, homepage)
 * @see https://iiif.io/api/search/2.0/#3-declaring-services (SearchService2 in the Manifest's `service`)
 */
export function buildManifest(input: ManifestInput): Manifest {
  const base = checkedHttpUrl(input.baseUrl, 'public base URL');
  const item = nfcDeep(input.item);
  const collection = input.collection && nfcDeep(input.collection);
  const library = input.library && nfcDeep(input.library);
  if (library?.homepage !== undefined) checkedHttpUrl(library.homepage, 'library homepage');
  if (input.pages.length === 0) {
    throw new InvalidInputError(`Document ${item.identifier} has no pages; a manifest needs at least one canvas.`);
  }
  const seen = new Set<number>();
  for (const page of input.pages) checkedPage(page, seen);
  const pages = [...input.pages].sort((a, b) => a.seq - b.seq);
  const rights = checkedRights(input.rights ?? DEFAULT_RIGHTS);

  const itemId = encodeURIComponent(item.id);
  const manifestId = `${base}/iiif/manifest/${itemId}`;
  const imageService = (page: ManifestPage): Service =>
    ({ id: `${base}/iiif/3/${encodeURIComponent(page.id)}`, type: 'ImageService3', profile: IMAGE_SERVICE_PROFILE }) as Service;
  const thumbnail = (page: ManifestPage): ContentResource => {
    const size = thumbnailSize(page);
    return {
      id: `${base}/iiif/3/${encodeURIComponent(page.id)}/full/${size.width},${size.height}/0/default.jpg`,
      type: 'Image',
      format: 'image/jpeg',
      width: size.width,
      height: size.height,
      service: [imageService(page)],
    } as ContentResource;
  };

  const title = fromDcValues(item.dublinCore.title, 'vi') ?? { vi: [item.title] };
  const metadata: { label: LanguageMap; value: LanguageMap }[] = [];
  for (const [element, vi, en] of DC_LABELS) {
    const value =
      element === 'title' ? title : fromDcValues(item.dublinCore[element], element === 'subject' ? 'vi' : 'none');
    if (value) metadata.push({ label: bilingual(vi, en), value });
  }
  metadata.push({ label: bilingual('Ký hiệu', 'Call number'), value: { none: [item.identifier] } });
  if (collection) metadata.push({ label: bilingual('Bộ sưu tập', 'Collection'), value: { vi: [collection.title] } });
  if (library) metadata.push({ label: bilingual('Thư viện', 'Library'), value: { vi: [library.name] } });
  const [accessVi, accessEn] = ACCESS_LABELS[item.accessLevel];
  metadata.push({ label: bilingual('Quyền truy cập', 'Access'), value: bilingual(accessVi, accessEn) });

  const requiredStatement = input.requiredStatement
    ? {
        label: toLanguageMap(nfcDeep(input.requiredStatement.label)),
        value: toLanguageMap(nfcDeep(input.requiredStatement.value)),
      }
    : library
      ? { label: bilingual('Ghi công', 'Attribution'), value: { vi: [library.name] } }
      : undefined;

  const viewingDirection = item.ocrProfile !== undefined && isVerticalProfile(item.ocrProfile) ? 'right-to-left' : 'left-to-right';
  const builder = new IIIFBuilder();
  // The serialiser writes a `partOf` reference only for an entity the vault holds, so the
  // collection goes in first (as a reference: id, type, label).
  const collectionId = collection ? `${base}/iiif/collection/${encodeURIComponent(collection.id)}` : undefined;
  if (collection && collectionId) {
    builder.createCollection(collectionId, (entry) => entry.setLabel({ vi: [collection.title] }));
  }
  const normalized = builder.createManifest(manifestId, (manifest) => {
    manifest.setLabel(title);
    manifest.setMetadata(metadata);
    const summary = fromDcValues(item.dublinCore.description, 'vi');
    if (summary) manifest.setSummary(summary);
    if (requiredStatement) manifest.setRequiredStatement(requiredStatement);
    manifest.setRights(rights);
    manifest.addThumbnail(thumbnail(pages[0] as ManifestPage));
    manifest.setViewingDirection(viewingDirection);
    manifest.setBehavior(['paged']);
    manifest.setHomepage({
      id: `${base}/items/${itemId}`,
      type: 'Text',
      format: 'text/html',
      label: title,
      language: ['vi'],
    } as ContentResource);
    manifest.setRendering([
      {
        id: `${base}/api/items/${itemId}/pdf`,
        type: 'Text',
        format: 'application/pdf',
        label: bilingual('PDF tìm kiếm được', 'Searchable PDF'),
      } as ContentResource,
    ]);
    manifest.setService([{ id: `${base}/iiif/search/${itemId}`, type: 'SearchService2' } as Service]);
    if (collectionId) {
      manifest.setPartOf([{ id: collectionId, type: 'Collection' } as Parameters<ManifestBuilder['setPartOf']>[0][number]]);
    }

    for (const page of pages) {
      const canvasId = `${base}/iiif/canvas/${itemId}/${page.seq}`;
      manifest.createCanvas(canvasId, (canvas) => {
        canvas.setLabel(nfcDeep(pageLabel(page)));
        canvas.setWidth(page.width);
        canvas.setHeight(page.height);
        if (page.thumbnail) canvas.addThumbnail(thumbnail(page));
        if (page.hasOcr ?? true) {
          canvas.addSeeAlso({
            id: `${base}/api/pages/${encodeURIComponent(page.id)}/hocr`,
            type: 'Text',
            format: 'text/vnd.hocr+html',
            profile: HOCR_PROFILE,
            label: bilingual('Văn bản OCR (hOCR)', 'OCR text (hOCR)'),
          } as ContentResource);
        }
        canvas.createAnnotationPage(`${manifestId}/page/${page.seq}`, (annotationPage) => {
          annotationPage.createAnnotation({
            id: `${manifestId}/annotation/${page.seq}`,
            type: 'Annotation',
            motivation: 'painting',
            target: canvasId,
            body: {
              id: `${base}/iiif/3/${encodeURIComponent(page.id)}/full/max/0/default.jpg`,
              type: 'Image',
              format: 'image/jpeg',
              width: page.width,
              height: page.height,
              service: [imageService(page)],
            },
          } as Annotation);
        });
      });
    }
  });

  let json = builder.toPresentation3({ id: normalized.id, type: 'Manifest' }) as Manifest;
  // Post-processing 1: the serialiser drops `viewingDirection` when it is the default
  // left-to-right; say it anyway, so clients need not know the default.
  json = insertAfter(json, 'type', 'viewingDirection', viewingDirection);
  if (library) {
    // Post-processing 2: iiif-builder 2.0 has no setter for `provider` (§3.3.1, an Agent).
    const agentId = library.id ? `${base}/libraries/${encodeURIComponent(library.id)}` : `${base}/`;
    const agent = {
      id: agentId,
      type: 'Agent',
      label: { vi: [library.name] },
      ...(library.homepage
        ? { homepage: [{ id: library.homepage, type: 'Text', format: 'text/html', label: { vi: [library.name] } }] }
        : {}),
    };
    json = insertAfter(json, 'rights', 'provider', [agent]);
  }
  return nfcDeep(json);
}

/** A copy of `object` with `key: value` placed right after `anchor` (or at the end), replacing any `key`. */
function insertAfter(object: Manifest, anchor: string, key: string, value: unknown): Manifest {
  const entries = Object.entries(object).filter(([name]) => name !== key);
  const at = entries.findIndex(([name]) => name === anchor);
  entries.splice(at < 0 ? entries.length : at + 1, 0, [key, value]);
  return Object.fromEntries(entries) as Manifest;
}

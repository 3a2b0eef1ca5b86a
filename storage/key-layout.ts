/**
 * Where the pipeline keeps what it makes (design §5). Derivatives are keyed by page id, not
 * position: reordering pages must not move objects. Masters are keyed by their sha256, so
 * storing the same scan again is the same write.
 */
export const masterKey = (itemId: string, sha256: string, extension: string) => `masters/${itemId}/${sha256}.${extension}`;

export type DerivativeFile = 'pyramid.tif' | 'thumb.jpg' | 'print.jpg' | 'ocr.hocr' | 'ocr.json' | 'text.txt';

export const derivativeKey = (itemId: string, pageId: string, file: DerivativeFile) => `derivatives/${itemId}/${pageId}/${file}`;

export const packageKey = (itemId: string, file: 'document.pdf' | 'manifest.json') => `packages/${itemId}/${file}`;

/**
 * Labelled character crops from the OCR correction editor: the recogniser's training data,
 * per library (repository/corrections). Keyed by sample id, never by label (labels may be
 * characters no key may hold).
 */
export const trainingSampleKey = (libraryId: string, sampleId: string) => `training/${libraryId}/${sampleId}.png`;

/** What the self-describing records describe: each has one JSON record under `records/`. */
export type RecordSubject = 'library' | 'collection' | 'item';

/**
 * The catalogue's records (design §5): what `scripts/rebuild-index` rebuilds the database from.
 * The ledger does not list them: they describe the ledger.
 */
export const RECORDS_PREFIX = 'records/';

const RECORD_FOLDERS: Readonly<Record<RecordSubject, string>> = { library: 'libraries', collection: 'collections', item: 'items' };

export const recordFolder = (subject: RecordSubject) => `${RECORDS_PREFIX}${RECORD_FOLDERS[subject]}/`;

export const recordKey = (subject: RecordSubject, id: string) => `${recordFolder(subject)}${id}.json`;

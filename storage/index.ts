/**
 * The storage folder's public surface: the ObjectStore port, its two adapters, the key rules
 * and the product's error family. Everything else in this folder is internal.
 */
export type {
  ListOptions,
  ListPage,
  ObjectBody,
  ObjectInfo,
  ObjectStore,
  ObjectSummary,
  PutOptions,
} from './object-store.port.ts';
export {
  AccessDeniedError,
  ForbiddenError,
  TooManyRequestsError,
  AppError,
  ChecksumMismatchError,
  ConfigurationError,
  ConflictError,
  InvalidInputError,
  isAppError,
  NotFoundError,
  PayloadTooLargeError,
  UpstreamError,
  type AppErrorOptions,
  type ErrorCode,
} from './errors.ts';
export { assertValidKey, assertValidPrefix, InvalidKeyError, isValidKey, MAX_KEY_LENGTH } from './object-key.ts';
export { contentTypeFor } from './content-type.ts';
export { sha256Hex } from './sha256.ts';
export type { StoreLogger } from './store-logger.ts';
export type { RetryPolicy } from './retry.ts';
export { FsObjectStore, type FsObjectStoreOptions } from './fs.object-store.ts';
export { MinioObjectStore, type MinioObjectStoreOptions } from './minio.object-store.ts';
export { readJsonObject } from './read-json-object.ts';
export { removeOrphanedScratch, SCRATCH_OWNER } from './scratch-files.ts';
export { derivativeKey, masterKey, packageKey, recordFolder, recordKey, RECORDS_PREFIX, trainingSampleKey, type DerivativeFile, type RecordSubject } from './key-layout.ts';

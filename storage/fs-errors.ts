import { errorCode } from './error-code.ts';
import { AppError, ConflictError, NotFoundError, UpstreamError } from './errors.ts';
import { describeKey } from './object-key.ts';

export interface FsErrorContext {
  /** What we were doing, as a verb phrase: "store", "read", "list". */
  op: string;
  /** The store's root folder, named in messages about the disk. */
  root: string;
  key?: string;
  /** Whether ENOENT/ENOTDIR/ELOOP mean "the object is missing" (reads), rather than a broken store. */
  missingMeansNotFound?: boolean;
}

/**
 * Turns an error from Node's `fs` into one of ours, with a message an operator can act on.
 * Errors that are already ours pass through unchanged.
 */
export function translateFsError(error: unknown, context: FsErrorContext): AppError {
  if (error instanceof AppError) return error;
  const code = errorCode(error);
  const what = context.key === undefined ? context.op : `${context.op} ${describeKey(context.key)}`;
  const detail = error instanceof Error ? error.message : String(error);
  const options = { cause: error, details: { code, root: context.root, key: context.key } };
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'ELOOP':
      if (context.missingMeansNotFound === true && context.key !== undefined) {
        return new NotFoundError(`object ${describeKey(context.key)} not found`, options);
      }
      if (code === 'ENOTDIR') break;
      return new UpstreamError(
        `object store folder ${context.root} is missing part of its structure (${what} failed: ${detail}); check that the disk is mounted`,
        options,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new UpstreamError(
        `object store is full: free space on ${context.root} (${what} failed with ${code})`,
        options,
      );
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new UpstreamError(
        `object store at ${context.root} refused access (${what} failed with ${code}): check the folder's owner and permissions, and that the disk is mounted read-write`,
        { ...options, retryable: false },
      );
    case 'EMFILE':
    case 'ENFILE':
      return new UpstreamError(
        `too many open files (${what} failed with ${code}): raise the process's file limit (ulimit -n) or lower concurrency`,
        options,
      );
    case 'EIO':
      return new UpstreamError(
        `disk I/O error under ${context.root} (${what} failed): check the disk and the system log`,
        options,
      );
    default:
      break;
  }
  if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST' || code === 'ENOTEMPTY') {
    return new ConflictError(
      `cannot ${what}: on the filesystem a key cannot be both an object and the folder of other keys (for example "a" and "a/b")`,
      options,
    );
  }
  return new UpstreamError(`filesystem object store at ${context.root} could not ${what}: ${detail}`, options);
}

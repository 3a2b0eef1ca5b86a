import { open, type FileHandle } from 'node:fs/promises';

import { NotFoundError } from '../../storage/index.ts';

/**
 * Random access to the bytes of a file (or of a buffer, e.g. an EXIF block), so that header
 * parsers read only the few bytes they need. `read` returns fewer bytes than asked at the end
 * of the data, and none past it.
 */
export interface ByteReader {
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function bufferByteReader(bytes: Uint8Array): ByteReader {
  return {
    read: async (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)),
  };
}

function fileByteReader(handle: FileHandle): ByteReader {
  return {
    read: async (offset, length) => {
      const buffer = new Uint8Array(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    },
  };
}

/** Opens `path` for reading, runs `use`, and always closes the file. A missing file is a NotFoundError. */
export async function withFileByteReader<T>(path: string, use: (reader: ByteReader) => Promise<T>): Promise<T> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(`The page image file does not exist: ${path}`, { cause: error, details: { path } });
    }
    throw error;
  }
  try {
    return await use(fileByteReader(handle));
  } finally {
    await handle.close();
  }
}

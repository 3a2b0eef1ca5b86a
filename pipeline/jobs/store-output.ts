import { createReadStream } from 'node:fs';
import type { Repositories } from '../../repository/index.ts';
import type { ObjectStore } from '../../storage/index.ts';

export interface StoredOutput {
  key: string;
  sha256: string;
  size: number;
}

/**
 * Puts a local file under `key` (atomically: the store never shows a half-written object)
 * and records its sha256 in the database (design §5: every object's checksum is recorded).
 */
export async function storeOutput(
  store: ObjectStore,
  repositories: Repositories,
  file: string,
  output: { key: string; contentType: string; kind: string; itemId: string; pageId?: string },
): Promise<StoredOutput> {
  const info = await store.put(output.key, createReadStream(file), { contentType: output.contentType });
  await repositories.storedObjects.record({
    key: output.key,
    sha256: info.sha256 as string,
    size: info.size,
    contentType: output.contentType,
    itemId: output.itemId,
    pageId: output.pageId ?? null,
    kind: output.kind,
  });
  return { key: output.key, sha256: info.sha256 as string, size: info.size };
}

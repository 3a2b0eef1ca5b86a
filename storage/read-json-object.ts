import { text } from 'node:stream/consumers';
import { UpstreamError } from './errors.ts';
import type { ObjectStore } from './object-store.port.ts';

/**
 * Reads a stored JSON object and parses it. Throws the store's `NotFoundError` when the key
 * is absent and `UpstreamError` (naming the key) when the object is not JSON.
 */
export async function readJsonObject(store: ObjectStore, key: string): Promise<unknown> {
  const raw = await text(await store.get(key));
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new UpstreamError(`The stored object ${key} is not valid JSON; re-run the stage that wrote it.`, { cause: error });
  }
}

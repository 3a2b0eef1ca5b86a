import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { ObjectStore } from '../../storage/index.ts';

/** Streams a stored object as the response body (never buffered); NotFoundError becomes the usual 404. */
export async function sendObject(
  res: Response,
  store: ObjectStore,
  key: string,
  headers: { contentType?: string; filename?: string; cacheControl?: string } = {},
): Promise<void> {
  const info = await store.stat(key);
  const body = await store.get(key);
  res.status(200);
  res.setHeader('Content-Type', headers.contentType ?? info.contentType);
  res.setHeader('Content-Length', String(info.size));
  res.setHeader('Last-Modified', info.lastModified.toUTCString());
  if (info.sha256) res.setHeader('ETag', `"${info.sha256}"`);
  res.setHeader('Cache-Control', headers.cacheControl ?? 'no-cache');
  if (headers.filename) res.attachment(headers.filename);
  await pipeline(body, res);
}

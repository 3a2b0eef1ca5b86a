import type { Request } from 'express';
import type { Size } from './calculate-image-operation.ts';

/** A local pyramid file ready to read, and what the responses need to know about it. */
export interface ImageSource {
  /** Path of a page-based pyramidal TIFF on local disk. */
  path: string;
  width: number;
  height: number;
  /** Level n = TIFF page n, largest first. */
  levels: Size[];
  /** Changes whenever the pyramid changes (sha256 or store etag). */
  etag: string;
  lastModified: Date;
  /** Only for some viewers (restricted or confidential): responses must not be kept by shared caches. */
  restricted?: boolean;
}

/**
 * Identifier → source, after the access decision. Throws `NotFoundError` (404) for unknown
 * identifiers and `AccessDeniedError` (401) when the viewer may not see the image.
 */
export type ResolveImageSource = (identifier: string, req: Request) => Promise<ImageSource>;

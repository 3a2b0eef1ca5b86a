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
  /**
   * Set for images of restricted and confidential documents: responses must not be kept by
   * shared caches, and info.json offers the document's IIIF Auth probe service.
   */
  accessControl?: { itemId: string };
}

/** `describe`: for info.json, which says what the image is but shows no pixel; `render`: for image requests. */
export type ImagePurpose = 'describe' | 'render';

/**
 * Identifier → source, after the access decision for this purpose. Throws `NotFoundError`
 * (404) for unknown identifiers and `AccessDeniedError` (401) when the viewer may not have it.
 */
export type ResolveImageSource = (identifier: string, req: Request, purpose: ImagePurpose) => Promise<ImageSource>;

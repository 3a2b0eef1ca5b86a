import { NotFoundError } from '../../storage/index.ts';
import type { ImageSource, ResolveImageSource } from './image-source.ts';

/** Tries each source in turn; the first that knows the identifier answers. Other errors stop the search. */
export function combineImageSources(...sources: ResolveImageSource[]): ResolveImageSource {
  return async (identifier, req, purpose): Promise<ImageSource> => {
    for (const source of sources) {
      try {
        return await source(identifier, req, purpose);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    throw new NotFoundError(`No image ${identifier}`);
  };
}

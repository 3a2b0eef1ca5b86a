import { AccessDeniedError } from '../../storage/index.ts';
import type { AccessLevel, Item } from '../database/domain.types.ts';

/** Who is asking. Until user accounts exist every request is anonymous. */
export type Viewer = { kind: 'anonymous' };

export const ANONYMOUS: Viewer = { kind: 'anonymous' };

/**
 * The one access decision (design §6): may this viewer see the content of an item at this
 * level? Every door that shows content (PDF, OCR text, hOCR, thumbnails, manifests, tiles,
 * search) asks it. Anonymous viewers see `public` items only.
 */
export function canSeeContent(level: AccessLevel, viewer: Viewer): boolean {
  switch (viewer.kind) {
    case 'anonymous':
      return level === 'public';
  }
}

/** Throws `AccessDeniedError` (401) when the viewer may not see the item's content. */
export function assertCanSeeContent(item: Item, viewer: Viewer): void {
  if (!canSeeContent(item.effectiveAccessLevel, viewer)) {
    throw new AccessDeniedError(
      `Document ${item.identifier} is ${item.effectiveAccessLevel === 'restricted' ? 'for registered readers only (restricted)' : 'for library staff only (confidential)'}: sign in to see its content`,
    );
  }
}

import { AccessDeniedError, ForbiddenError } from '../../storage/index.ts';
import type { AccessLevel, Item, User } from '../database/domain.types.ts';

/** The signed-in user as a request sees them (what every decision needs, nothing more). */
export type SignedInUser = Pick<User, 'id' | 'username' | 'role' | 'libraryId'>;

/**
 * Who is asking: anonymous, or a user signed in with a session cookie or an API token.
 * `readingRoom`: the request comes from a configured reading-room network (READING_ROOM_IPS),
 * where restricted documents may be read without signing in.
 */
export type Viewer =
  | { kind: 'anonymous'; readingRoom: boolean }
  | { kind: 'user'; user: SignedInUser; via: 'session' | 'token'; readingRoom: boolean };

/** A viewer known to be signed in. */
export type SignedInViewer = Extract<Viewer, { kind: 'user' }>;

export const ANONYMOUS: Viewer = { kind: 'anonymous', readingRoom: false };

/** Library staff: administrators and operators. */
export function isStaff(viewer: Viewer): boolean {
  return viewer.kind === 'user' && (viewer.user.role === 'admin' || viewer.user.role === 'operator');
}

export function isAdmin(viewer: Viewer): boolean {
  return viewer.kind === 'user' && viewer.user.role === 'admin';
}

/**
 * The one access decision (design §6): may this viewer see the content of a document at this
 * level? Every door that shows content (tiles, info.json, manifests, collections, search,
 * PDF, OCR text, hOCR, thumbnails) asks it.
 * - `public`: everyone;
 * - `restricted` ("đọc hạn chế"): signed-in readers and staff, and anyone in a reading room;
 * - `confidential`: library staff only.
 */
export function canSeeContent(level: AccessLevel, viewer: Viewer): boolean {
  switch (level) {
    case 'public':
      return true;
    case 'restricted':
      return viewer.kind === 'user' || viewer.readingRoom;
    case 'confidential':
      return isStaff(viewer);
  }
}

/**
 * May this viewer see that a document exists and what it is (its catalogue record, its IIIF
 * manifest without the content the manifest points to)? Whoever may see the content; and for
 * restricted documents everyone when the library shows their records (RESTRICTED_METADATA),
 * which is what lets a IIIF viewer find the sign-in of IIIF Authorization Flow 2.0.
 * Confidential documents never.
 */
export function canSeeDescription(level: AccessLevel, viewer: Viewer, restrictedMetadata: 'hidden' | 'shown'): boolean {
  return canSeeContent(level, viewer) || (level === 'restricted' && restrictedMetadata === 'shown');
}

/** Throws `AccessDeniedError` (401) when the viewer may not see the item's content. */
export function assertCanSeeContent(item: Item, viewer: Viewer): void {
  if (!canSeeContent(item.effectiveAccessLevel, viewer)) {
    throw new AccessDeniedError(
      `Document ${item.identifier} is ${item.effectiveAccessLevel === 'restricted' ? 'for registered readers only (restricted)' : 'for library staff only (confidential)'}: sign in to see its content`,
    );
  }
}

/** May the viewer change records of this library (its collections' documents and pages)? Administrators everywhere, operators in their own library. */
export function canChangeLibrary(viewer: Viewer, libraryId: string): boolean {
  if (viewer.kind !== 'user') return false;
  return viewer.user.role === 'admin' || (viewer.user.role === 'operator' && viewer.user.libraryId === libraryId);
}

/**
 * Throws `AccessDeniedError` (401) for an anonymous viewer and `ForbiddenError` (403) for a
 * signed-in one who may not change this library's records.
 */
export function assertCanChangeLibrary(viewer: Viewer, libraryId: string, what: string): void {
  if (viewer.kind !== 'user') throw new AccessDeniedError(`Sign in to ${what}`);
  if (!canChangeLibrary(viewer, libraryId)) {
    throw new ForbiddenError(
      viewer.user.role === 'operator'
        ? `Operator ${viewer.user.username} works for another library and may not ${what}`
        : `User ${viewer.user.username} (${viewer.user.role}) may not ${what}`,
    );
  }
}

/** Throws 401/403 unless the viewer has one of these roles. */
export function assertRole(viewer: Viewer, roles: readonly User['role'][], what: string): asserts viewer is SignedInViewer {
  if (viewer.kind !== 'user') throw new AccessDeniedError(`Sign in to ${what}`);
  if (!roles.includes(viewer.user.role)) throw new ForbiddenError(`User ${viewer.user.username} (${viewer.user.role}) may not ${what}`);
}

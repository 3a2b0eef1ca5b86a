import type { RequestHandler } from 'express';
import type { Viewer } from '../../repository/index.ts';

/** An administrator, for tests that mount routers without the product's sign-in. */
export const ADMIN_VIEWER: Viewer = {
  kind: 'user',
  user: { id: 'test-admin', username: 'test-admin', role: 'admin', libraryId: null },
  via: 'token',
  readingRoom: false,
};

/** Makes every request of a router-level test app come from `viewer` (what `authenticate` does in the product). */
export function actingAs(viewer: Viewer): RequestHandler {
  return (req, _res, next) => {
    req.viewer = viewer;
    next();
  };
}

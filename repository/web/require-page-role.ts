import type { RequestHandler } from 'express';
import { viewerOf } from '../auth/request-auth.ts';
import type { UserRole } from '../database/domain.types.ts';
import { pageContext } from './page-context.ts';
import { sendPage } from './page-response.ts';
import { forbiddenView } from './views/login.view.ts';

/**
 * Pages for these roles only: an anonymous visitor is sent to sign in (and brought back), a
 * signed-in user without the role gets the 403 page in their language.
 */
export function requirePageRole(roles: readonly UserRole[]): RequestHandler {
  return (req, res, next) => {
    const viewer = viewerOf(req);
    if (viewer.kind !== 'user') return res.redirect(303, `/dang-nhap?tiep=${encodeURIComponent(req.originalUrl)}`);
    if (!roles.includes(viewer.user.role)) return sendPage(res, 403, forbiddenView(pageContext(req, res)));
    next();
  };
}

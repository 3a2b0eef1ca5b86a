import { Router, type Request, type Response } from 'express';
import { InvalidInputError, NotFoundError } from '../../storage/index.ts';
import { canSeeContent, type Viewer } from '../access/access-decision.ts';
import type { Database } from '../database/database.port.ts';
import { createRepositories } from '../database/repositories.ts';
import { pageContext } from '../web/page-context.ts';
import { sendPage } from '../web/page-response.ts';
import { iiifAuthWindowView, iiifTokenView } from '../web/views/iiif-auth.view.ts';
import { AuditLogRepository } from './audit-log.repository.ts';
import { IiifAccessTokenRepository } from './iiif-access-token.repository.ts';
import { bearerToken, clearSessionCookie, viewerOf, type SessionCookieOptions } from './request-auth.ts';
import { SessionRepository } from './session.repository.ts';

/** JSON-LD context of IIIF Authorization Flow 2.0; it comes before the Image or Presentation context. */
export const IIIF_AUTH_CONTEXT = 'http://iiif.io/api/auth/2/context.json';
/** Where the flow's services live: `/probe/:itemId`, `/access`, `/token`, `/logout`. */
export const IIIF_AUTH_PATH = '/iiif/auth';

/** How long an access token lives (never longer than its session). */
const ACCESS_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export interface IiifAuthRoutesDependencies {
  database: Database;
  cookies: SessionCookieOptions;
  /** Scheme and host of the services' ids, as in the descriptions that point to them (`requestBaseUrl`). */
  baseUrl: (req: Request) => string;
}

type LanguageMap = Record<string, string[]>;
const bilingual = (vi: string, en: string): LanguageMap => ({ vi: [vi], en: [en] });

/**
 * IIIF Authorization Flow 2.0 (https://iiif.io/api/auth/2.0/) over the product's own sign-in:
 * - `GET /iiif/auth/probe/:itemId`: may the holder of `Authorization: Bearer iiif_…` (or this
 *   browser, or this reading room) see the document? Always HTTP 200 with the answer in `status`;
 * - `GET /iiif/auth/access` (`active` profile): the viewer opens it in a window; it sends
 *   the user through `/dang-nhap` and then closes itself. The session cookie it leaves is
 *   what tiles, text and PDF check;
 * - `GET /iiif/auth/token?messageId=…&origin=…`: loaded by the viewer in an iframe; answers a
 *   page that posts an access token (or an error) to `origin`;
 * - `GET /iiif/auth/logout`: ends the browser's session and its access tokens.
 * The cookie is SameSite=Lax: viewers on this site (or another port or subdomain of it) get
 * the tiles; a viewer on another site only if the browser sends it third-party cookies.
 */
export function iiifAuthRoutes(deps: IiifAuthRoutesDependencies): Router {
  const router = Router();
  const sessions = new SessionRepository(deps.database.db);
  const accessTokens = new IiifAccessTokenRepository(deps.database.db);
  const audit = new AuditLogRepository(deps.database.db);

  router.options(`${IIIF_AUTH_PATH}/probe/:itemId`, (_req, res) => {
    allowProbeFromAnyOrigin(res);
    res.setHeader('Access-Control-Allow-Methods', 'GET');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });

  router.get(`${IIIF_AUTH_PATH}/probe/:itemId`, async (req, res) => {
    allowProbeFromAnyOrigin(res);
    const item = await createRepositories(deps.database.db)
      .items.getById(req.params.itemId)
      .catch((error: unknown) => {
        if (error instanceof InvalidInputError) throw new NotFoundError(`No document ${req.params.itemId}`);
        throw error;
      });
    const viewer = await probingViewer(req, accessTokens);
    res.setHeader('Cache-Control', 'no-store');
    res.vary('Authorization').vary('Cookie');
    res.json(probeResult(`${deps.baseUrl(req)}${IIIF_AUTH_PATH}/probe/${encodeURIComponent(item.id)}`, canSeeContent(item.effectiveAccessLevel, viewer), viewer.kind === 'user'));
  });

  router.get(`${IIIF_AUTH_PATH}/access`, (req, res) => {
    if (req.browserSession === undefined) {
      res.redirect(303, `/dang-nhap?tiep=${encodeURIComponent(`${IIIF_AUTH_PATH}/access`)}`);
      return;
    }
    sendPage(res, 200, iiifAuthWindowView(pageContext(req, res), 'signedIn'));
  });

  router.get(`${IIIF_AUTH_PATH}/token`, async (req, res) => {
    const messageId = typeof req.query.messageId === 'string' ? req.query.messageId.slice(0, 200) : undefined;
    const origin = typeof req.query.origin === 'string' ? viewerOrigin(req.query.origin) : undefined;
    res.setHeader('Cache-Control', 'no-store');
    res.vary('Cookie');
    const reply = (message: Record<string, unknown>) =>
      sendPage(res, 200, iiifTokenView({ '@context': IIIF_AUTH_CONTEXT, ...message, ...(messageId === undefined ? {} : { messageId }) }, origin ?? '*'));
    if (messageId === undefined) return reply(tokenError('invalidRequest', 'The token service needs messageId and origin parameters'));
    if (origin === undefined) return reply(tokenError('invalidOrigin', 'The origin parameter is not an http(s) origin'));
    const session = req.browserSession;
    if (session === undefined) return reply(tokenError('missingAspect', 'Not signed in: use the access service first'));
    const issued = await accessTokens.issue(session.cookie, origin, ACCESS_TOKEN_LIFETIME_MS, session.expiresAt);
    reply({ type: 'AuthAccessToken2', accessToken: issued.token, expiresIn: issued.expiresInSeconds });
  });

  router.get(`${IIIF_AUTH_PATH}/logout`, async (req, res) => {
    const session = req.browserSession;
    if (session !== undefined) {
      await sessions.close(session.cookie);
      await audit.record({ viewer: viewerOf(req), action: 'logout', outcome: 'ok', ip: req.ip, detail: { via: 'iiif-logout-service' } });
    }
    clearSessionCookie(res, deps.cookies);
    sendPage(res, 200, iiifAuthWindowView(pageContext(req, res), 'signedOut'));
  });

  return router;
}

/**
 * The probe's answer: `status` 200 when the viewer may see the document, 401 when signing in
 * could change that, 403 when it could not (a signed-in reader and a confidential document).
 *
 * @see https://iiif.io/api/auth/2.0/#probe-service-response
 */
export function probeResult(probeId: string, allowed: boolean, signedIn: boolean) {
  const base = { '@context': IIIF_AUTH_CONTEXT, id: probeId, type: 'AuthProbeResult2' };
  if (allowed) return { ...base, status: 200 };
  if (signedIn) {
    return {
      ...base,
      status: 403,
      heading: bilingual('Chỉ cán bộ thư viện', 'Library staff only'),
      note: bilingual('Tài liệu này chỉ dành cho cán bộ thư viện.', 'This document is for library staff only.'),
    };
  }
  return {
    ...base,
    status: 401,
    heading: bilingual('Cần đăng nhập', 'Sign-in required'),
    note: bilingual('Đăng nhập bằng tài khoản bạn đọc để xem tài liệu này.', 'Sign in with your reader account to see this document.'),
  };
}

/** The probe asks about the access token's user when one is sent, else about whoever `authenticate` found. */
async function probingViewer(req: Request, accessTokens: IiifAccessTokenRepository): Promise<Viewer> {
  const viewer = viewerOf(req);
  const bearer = bearerToken(req);
  if (bearer === undefined) return viewer;
  const user = await accessTokens.userOf(bearer);
  // The token stands for the browser session it was issued from.
  return user === undefined ? { kind: 'anonymous', readingRoom: viewer.readingRoom } : { kind: 'user', user, via: 'session', readingRoom: viewer.readingRoom };
}

function tokenError(profile: 'invalidRequest' | 'invalidOrigin' | 'missingAspect', note: string): Record<string, unknown> {
  return { type: 'AuthAccessTokenError2', profile, heading: bilingual('Không lấy được quyền xem', 'No access token'), note: { en: [note] } };
}

/** `origin` as a bare http(s) origin (scheme, host, port), or undefined. */
function viewerOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '') ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

function allowProbeFromAnyOrigin(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
}

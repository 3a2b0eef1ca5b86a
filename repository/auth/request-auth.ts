import { BlockList, isIPv6 } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import { AccessDeniedError, ForbiddenError, InvalidInputError } from '../../storage/index.ts';
import { ANONYMOUS, type Viewer } from '../access/access-decision.ts';
import type { Database } from '../database/database.port.ts';
import { readCookie } from '../web/i18n/choose-language.ts';
import { ApiTokenRepository } from './api-token.repository.ts';
import { IIIF_ACCESS_TOKEN_PREFIX } from './iiif-access-token.repository.ts';
import { AuditLogRepository } from './audit-log.repository.ts';
import { SessionRepository } from './session.repository.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** Who is asking (set by `authenticate`; anonymous before it ran). */
    viewer?: Viewer;
    /** The signed-in browser's session, when the request came with its cookie. */
    browserSession?: { cookie: string; csrfToken: string; expiresAt: Date };
    /** Where this request's accountable actions are written (set by `authenticate`). */
    audit?: AuditLogRepository;
  }
}

export const SESSION_COOKIE = 'tvs_session';

/** How sign-in cookies are set. */
export interface SessionCookieOptions {
  /** `Secure` (HTTPS only): on whenever PUBLIC_BASE_URL is https. */
  secure: boolean;
  lifetimeMs: number;
}

export interface AuthenticateOptions {
  database: Database;
  /** Networks of the reading rooms (READING_ROOM_IPS), where restricted documents may be read without signing in. */
  readingRooms: BlockList | undefined;
}

/** Who is asking; anonymous for a request that `authenticate` has not seen. */
export function viewerOf(req: Request): Viewer {
  return req.viewer ?? ANONYMOUS;
}

/** A BlockList of `READING_ROOM_IPS` (comma-separated addresses or CIDR ranges, IPv4 or IPv6). Throws `InvalidInputError` naming a bad entry. */
export function readingRoomList(entries: readonly string[]): BlockList | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const family = isIPv6(address ?? '') ? 'ipv6' : 'ipv4';
    try {
      if (bits === undefined) list.addAddress(address!, family);
      else list.addSubnet(address!, Number(bits), family);
    } catch {
      throw new InvalidInputError(`READING_ROOM_IPS: "${entry}" is not an address or a CIDR range such as 10.1.2.0/24`);
    }
  }
  return list;
}

/** Audit token use at most this often per token (every tile request would drown the log). */
const TOKEN_USE_AUDIT_INTERVAL_MS = 60_000;

/**
 * Finds out who is asking, before any route: an `Authorization: Bearer` API token (a bad,
 * revoked or expired token is refused with 401 — it never falls back to anonymous), else the
 * session cookie of a signed-in browser, else anonymous. IIIF access tokens are not API
 * tokens: they grant nothing here (only the IIIF probe service reads them). Every viewer also learns whether the
 * request comes from a reading room.
 */
export function authenticate(options: AuthenticateOptions): RequestHandler {
  const sessions = new SessionRepository(options.database.db);
  const tokens = new ApiTokenRepository(options.database.db);
  const audit = new AuditLogRepository(options.database.db);
  return async (req, _res, next) => {
    req.audit = audit;
    const readingRoom = inReadingRoom(options.readingRooms, req.ip);
    const authorization = req.headers.authorization;
    const bearer = bearerToken(req);
    if (authorization !== undefined && !bearer?.startsWith(IIIF_ACCESS_TOKEN_PREFIX)) {
      const found = bearer === undefined ? undefined : await tokens.authenticate(bearer);
      if (found === undefined) {
        await audit.record({ viewer: { ...ANONYMOUS, readingRoom }, action: 'token.use', outcome: 'denied', ip: req.ip });
        throw new AccessDeniedError('The API token is unknown, revoked or expired: ask an administrator for a new one');
      }
      req.viewer = { kind: 'user', user: found.user, via: 'token', readingRoom };
      if (found.lastUsedAt === null || Date.now() - found.lastUsedAt.getTime() > TOKEN_USE_AUDIT_INTERVAL_MS) {
        await tokens.markUsed(found.tokenId);
        await audit.record({ viewer: req.viewer, action: 'token.use', target: { type: 'token', id: found.tokenId }, outcome: 'ok', ip: req.ip });
      }
      return next();
    }
    const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
    const session = cookie === undefined ? undefined : await sessions.find(cookie);
    if (cookie !== undefined && session !== undefined) {
      req.viewer = { kind: 'user', user: session.user, via: 'session', readingRoom };
      req.browserSession = { cookie, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    } else {
      req.viewer = { kind: 'anonymous', readingRoom };
    }
    next();
  };
}

/** Methods that change something: what CSRF checks and the audit of writes look at. */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses a state-changing request made with the session cookie unless it carries the
 * session's CSRF token (`X-CSRF-Token` header, or `_csrf` form field): another site can make a
 * browser send the cookie, never the token. API tokens are not sent by browsers on their own,
 * so token requests need none.
 */
export const requireCsrfToken: RequestHandler = (req, _res, next) => {
  const session = req.browserSession;
  if (!UNSAFE_METHODS.has(req.method) || session === undefined) return next();
  const sent = req.get('x-csrf-token') ?? (typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>)._csrf : undefined);
  if (sent !== session.csrfToken) {
    throw new ForbiddenError('This request has no valid CSRF token (the page may be old, or the request came from another site): reload the page and try again');
  }
  next();
};

/** Sets the session cookie: HTTP-only, SameSite=Lax (sent when following a link to us, not on other sites' requests), Secure under HTTPS. */
export function setSessionCookie(res: Response, cookie: string, options: SessionCookieOptions): void {
  res.cookie(SESSION_COOKIE, cookie, { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/', maxAge: options.lifetimeMs });
}

export function clearSessionCookie(res: Response, options: SessionCookieOptions): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' });
}

/** The token of an `Authorization: Bearer …` header; undefined without one (or with another scheme). */
export function bearerToken(req: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

function inReadingRoom(list: BlockList | undefined, ip: string | undefined): boolean {
  if (list === undefined || ip === undefined) return false;
  const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return list.check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4');
}

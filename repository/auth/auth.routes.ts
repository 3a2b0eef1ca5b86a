import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ForbiddenError, InvalidInputError, isAppError } from '../../storage/index.ts';
import { assertRole, isAdmin, type SignedInViewer, type Viewer } from '../access/access-decision.ts';
import type { Database } from '../database/database.port.ts';
import { USER_ROLES } from '../database/domain.types.ts';
import { createRepositories } from '../database/repositories.ts';
import { parseInput } from '../database/validation.ts';
import { readCookie } from '../web/i18n/choose-language.ts';
import { pageContext } from '../web/page-context.ts';
import { sendPage } from '../web/page-response.ts';
import { readForm } from '../web/record-form.ts';
import { requirePageRole } from '../web/require-page-role.ts';
import { loginView } from '../web/views/login.view.ts';
import { passwordChangedView, passwordChangeView } from '../web/views/password-change.view.ts';
import { ApiTokenRepository } from './api-token.repository.ts';
import { AuditLogRepository } from './audit-log.repository.ts';
import { changePassword, PASSWORD_CHANGE_FIELDS, type PasswordChangeOutcome } from './change-password.ts';
import { LoginThrottle, type LoginThrottlePolicy } from './login-throttle.ts';
import { hashPassword, passwordProblems, verifyPassword } from './password.ts';
import { clearSessionCookie, setSessionCookie, viewerOf, type SessionCookieOptions } from './request-auth.ts';
import { newSecret } from './secret-token.ts';
import { SessionRepository } from './session.repository.ts';

export interface AuthRoutesDependencies {
  database: Database;
  cookies: SessionCookieOptions;
  throttle?: LoginThrottlePolicy;
}

/** Pre-session CSRF cookie of the sign-in form (double submit: the form field must equal it). */
const LOGIN_CSRF_COOKIE = 'tvs_login_csrf';

const tokenSchema = z.strictObject({ name: z.string().trim().min(1).max(200), expiresInDays: z.int().min(1).max(3650).optional(), userId: z.string().max(64).optional() });
const newUserSchema = z.strictObject({
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable().optional(),
  role: z.enum(USER_ROLES),
  libraryId: z.string().nullable().optional(),
  password: z.string().optional(),
});
const userPatchSchema = newUserSchema.omit({ username: true }).partial().extend({ disabled: z.boolean().optional() });

/**
 * Signing in and out, API tokens and user accounts:
 * - `GET|POST /dang-nhap` (`?tiep=/path` to return there), `POST /dang-xuat`;
 * - `GET|POST /tai-khoan/mat-khau`: a signed-in user's own password (browser sessions only);
 * - `POST|GET /api/tokens`, `DELETE /api/tokens/:id` (own tokens; an administrator may make one for another user);
 * - `POST|GET /api/users`, `PATCH /api/users/:id` (administrators).
 * Every sign-in (success and failure), sign-out, password change (done or refused), token and
 * account change goes to the audit log.
 */
export function authRoutes(deps: AuthRoutesDependencies): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const sessions = new SessionRepository(deps.database.db);
  const tokens = new ApiTokenRepository(deps.database.db);
  const audit = new AuditLogRepository(deps.database.db);
  const throttle = new LoginThrottle(deps.database.db, deps.throttle);
  const users = () => createRepositories(deps.database.db).users;
  /** A new token for the sign-in form, also set as its cookie (double submit). */
  const newLoginForm = (res: Response): string => {
    const token = newSecret();
    res.cookie(LOGIN_CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: deps.cookies.secure, path: '/dang-nhap' });
    return token;
  };

  router.get('/dang-nhap', (req, res) => {
    sendPage(res, 200, loginView(pageContext(req, res), { csrfToken: newLoginForm(res), next: safeNext(req.query.tiep) }));
  });

  router.post('/dang-nhap', form, async (req, res) => {
    const context = pageContext(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.tiep);
    const expected = readCookie(req.headers.cookie, LOGIN_CSRF_COOKIE);
    // Every answer carries a fresh form, so a sign-in form is good for one attempt.
    const csrfToken = newLoginForm(res);
    const again = (status: number, problem: 'wrong' | 'throttled' | 'expired', retryAfterSeconds?: number) => {
      if (retryAfterSeconds !== undefined) res.set('Retry-After', String(retryAfterSeconds));
      sendPage(res, status, loginView(context, { csrfToken, next, username, problem, retryAfterSeconds }));
    };
    if (expected === undefined || body._csrf !== expected) return again(403, 'expired');
    try {
      await throttle.assertMayTry(username);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'TOO_MANY_REQUESTS') throw error;
      await audit.record({ viewer: viewerOf(req), action: 'login', target: { type: 'user', id: username }, outcome: 'denied', ip: req.ip, detail: { reason: 'throttled' } });
      return again(429, 'throttled', error.details.retryAfterSeconds as number);
    }
    const credentials = await users().getCredentials(username).catch((error: unknown) => {
      if (isAppError(error) && error.code === 'NOT_FOUND') return undefined;
      throw error;
    });
    const valid =
      credentials !== undefined && !credentials.user.disabled && credentials.passwordHash !== null && (await verifyPassword(credentials.passwordHash, password));
    if (!valid || credentials === undefined) {
      const failures = await throttle.failed(username);
      await audit.record({ viewer: viewerOf(req), action: 'login', target: { type: 'user', id: username }, outcome: 'failed', ip: req.ip, detail: { failures } });
      return again(401, 'wrong');
    }
    await throttle.succeeded(username);
    const session = await sessions.open(credentials.user.id, deps.cookies.lifetimeMs, req.ip);
    setSessionCookie(res, session.cookie, deps.cookies);
    const viewer: Viewer = { kind: 'user', user: credentials.user, via: 'session', readingRoom: false };
    await audit.record({ viewer, action: 'login', target: { type: 'user', id: credentials.user.id }, outcome: 'ok', ip: req.ip });
    res.redirect(303, next);
  });

  router.post('/dang-xuat', async (req, res) => {
    const session = req.browserSession;
    if (session !== undefined) {
      await sessions.close(session.cookie);
      await audit.record({ viewer: viewerOf(req), action: 'logout', outcome: 'ok', ip: req.ip });
    }
    clearSessionCookie(res, deps.cookies);
    res.redirect(303, '/');
  });

  const signedIn = requirePageRole(USER_ROLES);

  router.get('/tai-khoan/mat-khau', signedIn, (req, res) => {
    sessionViewer(req);
    sendPage(res, 200, passwordChangeView(pageContext(req, res), {}));
  });

  router.post('/tai-khoan/mat-khau', signedIn, form, async (req, res) => {
    const viewer = sessionViewer(req);
    const context = pageContext(req, res);
    const fields = readForm(req.body, PASSWORD_CHANGE_FIELDS);
    const outcome = await changePassword({ db: deps.database.db, throttle, sessionLifetimeMs: deps.cookies.lifetimeMs }, { ...fields, user: viewer.user, ip: req.ip });
    await audit.record({
      viewer,
      action: 'user.password-change',
      target: { type: 'user', id: viewer.user.id },
      outcome: outcome.type === 'changed' ? 'ok' : 'denied',
      ip: req.ip,
      detail: passwordChangeDetail(outcome),
    });
    if (outcome.type === 'throttled') {
      res.set('Retry-After', String(outcome.retryAfterSeconds));
      return sendPage(res, 429, passwordChangeView(context, { retryAfterSeconds: outcome.retryAfterSeconds }));
    }
    if (outcome.type === 'refused') return sendPage(res, 400, passwordChangeView(context, { problems: outcome.problems }));
    setSessionCookie(res, outcome.session.cookie, deps.cookies);
    // The page's sign-out form must carry the new session's token: the old session is gone.
    sendPage(res, 200, passwordChangedView({ ...context, csrfToken: outcome.session.csrfToken }));
  });

  router.post('/api/tokens', async (req, res) => {
    const viewer = viewerOf(req);
    assertRole(viewer, USER_ROLES, 'make an API token');
    const input = parseInput(tokenSchema, req.body, 'token');
    const userId = input.userId ?? viewer.user.id;
    if (userId !== viewer.user.id) assertRole(viewer, ['admin'], 'make a token for another user');
    const owner = await users().getById(userId);
    const expiresAt = input.expiresInDays === undefined ? undefined : new Date(Date.now() + input.expiresInDays * 86_400_000);
    const { token, record } = await tokens.create(owner.id, input.name, { expiresAt });
    await audit.record({ viewer, action: 'token.create', target: { type: 'token', id: record.id }, outcome: 'ok', ip: req.ip, detail: { for: owner.username, name: record.name } });
    res.status(201).json({ ...record, token, note: 'The token is shown only now: keep it in the station’s configuration (STATION_TOKEN).' });
  });

  router.get('/api/tokens', async (req, res) => {
    const viewer = viewerOf(req);
    assertRole(viewer, USER_ROLES, 'list API tokens');
    res.json({ data: await tokens.listOf(viewer.user.id) });
  });

  router.delete('/api/tokens/:tokenId', async (req, res) => {
    const viewer = viewerOf(req);
    assertRole(viewer, USER_ROLES, 'revoke an API token');
    const revoked = await tokens.revoke(req.params.tokenId, isAdmin(viewer) ? undefined : viewer.user.id);
    await audit.record({ viewer, action: 'token.revoke', target: { type: 'token', id: revoked.id }, outcome: 'ok', ip: req.ip });
    res.json(revoked);
  });

  router.post('/api/users', async (req, res) => {
    const viewer = viewerOf(req);
    assertRole(viewer, ['admin'], 'create user accounts');
    const { password, ...input } = parseInput(newUserSchema, req.body, 'user');
    const passwordHash = password === undefined ? null : await checkedHash(password, input.username);
    const user = await users().create({ ...input, passwordHash });
    await audit.record({ viewer, action: 'user.create', target: { type: 'user', id: user.id }, outcome: 'ok', ip: req.ip, detail: { username: user.username, role: user.role } });
    res.status(201).location(`/api/users/${user.id}`).json(user);
  });

  router.get('/api/users', async (req, res) => {
    assertRole(viewerOf(req), ['admin'], 'list user accounts');
    const { rows, total } = await users().list({ limit: 1000 });
    res.json({ data: rows, total });
  });

  router.patch('/api/users/:userId', async (req, res) => {
    const viewer = viewerOf(req);
    assertRole(viewer, ['admin'], 'change user accounts');
    const existing = await users().getById(req.params.userId);
    const { password, ...patch } = parseInput(userPatchSchema, req.body, 'user change');
    const passwordHash = password === undefined ? undefined : await checkedHash(password, existing.username);
    const user = await users().update(existing.id, passwordHash === undefined ? patch : { ...patch, passwordHash });
    // A new password, a new role or a disabled account ends the sessions opened before.
    if (passwordHash !== undefined || patch.disabled === true || (patch.role !== undefined && patch.role !== existing.role)) await sessions.closeAllOf(user.id);
    await audit.record({ viewer, action: 'user.update', target: { type: 'user', id: user.id }, outcome: 'ok', ip: req.ip, detail: { fields: Object.keys(req.body as object) } });
    res.json(user);
  });

  return router;
}

/** A password that meets the policy, hashed; `InvalidInputError` listing what is wrong otherwise. */
async function checkedHash(password: string, username: string): Promise<string> {
  const problems = passwordProblems(password, username);
  if (problems.length > 0) throw new InvalidInputError(`The password ${problems.join('; ')}`, { details: { field: 'password' } });
  return hashPassword(password);
}


/** The user of a browser session; API tokens are refused (the page is for people at a browser, and a success answers with a session cookie). */
function sessionViewer(req: Request): SignedInViewer {
  const viewer = viewerOf(req);
  if (viewer.kind !== 'user' || viewer.via !== 'session') {
    throw new ForbiddenError('A password is changed from a browser signed in with it, not with an API token: sign in at /dang-nhap');
  }
  return viewer;
}

/** What the audit log keeps of a password change: why it was refused, never what was typed. */
function passwordChangeDetail(outcome: PasswordChangeOutcome): Record<string, unknown> {
  if (outcome.type === 'refused') return { problems: outcome.problems };
  if (outcome.type === 'throttled') return { reason: 'throttled' };
  return {};
}

/** Where to go after signing in: a path on this site only (never `//other.site` or `https://…`). */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/';
}

import type { RequestHandler } from 'express';
import { UNSAFE_METHODS, viewerOf } from './request-auth.ts';

/**
 * Paths whose writes are audited where they happen (sign-in, password change, tokens,
 * accounts), or are the bytes of an upload (one line per tus chunk would bury everything else;
 * the upload's creation and its addition to a document are audited).
 */
const AUDITED_ELSEWHERE = [/^\/dang-nhap/, /^\/dang-xuat/, /^\/tai-khoan\/mat-khau/, /^\/api\/tokens/, /^\/api\/users/, /^\/api\/uploads\/[^/]+$/];

/**
 * Writes every change a signed-in user asks for to the audit log once its answer is sent:
 * method and path, and whether it was done (2xx/3xx), refused (401/403) or failed.
 * Anonymous writes are refused before they do anything and are not logged one by one.
 */
export const auditWrites: RequestHandler = (req, res, next) => {
  const viewer = viewerOf(req);
  const path = req.path;
  if (!UNSAFE_METHODS.has(req.method) || viewer.kind !== 'user' || req.audit === undefined || AUDITED_ELSEWHERE.some((pattern) => pattern.test(path))) {
    return next();
  }
  const audit = req.audit;
  res.once('finish', () => {
    const status = res.statusCode;
    const outcome = status < 400 ? 'ok' : status === 401 || status === 403 ? 'denied' : 'failed';
    audit
      .record({ viewer, action: `${req.method} ${path}`, outcome, ip: req.ip, detail: { status } })
      .catch((error: unknown) => req.log?.error({ err: error }, 'could not write the audit log'));
  });
  next();
};

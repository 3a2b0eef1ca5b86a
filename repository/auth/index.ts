/** Users, sign-in, API tokens, CSRF, login throttling and the audit log. */
export { authRoutes, type AuthRoutesDependencies } from './auth.routes.ts';
export { ApiTokenRepository, API_TOKEN_PREFIX, type ApiToken } from './api-token.repository.ts';
export { AuditLogRepository, type AuditEntry, type AuditEvent, type AuditOutcome } from './audit-log.repository.ts';
export { bootstrapAdmin, BOOTSTRAP_ADMIN_USERNAME } from './bootstrap-admin.ts';
export { LoginThrottle, DEFAULT_LOGIN_THROTTLE, type LoginThrottlePolicy } from './login-throttle.ts';
export { hashPassword, MIN_PASSWORD_LENGTH, passwordProblems, verifyPassword } from './password.ts';
export {
  authenticate,
  readingRoomList,
  requireCsrfToken,
  SESSION_COOKIE,
  viewerOf,
  type AuthenticateOptions,
  type SessionCookieOptions,
} from './request-auth.ts';
export { SessionRepository, type ActiveSession } from './session.repository.ts';
export { seeContent } from './see-content.ts';
export { IIIF_AUTH_CONTEXT, IIIF_AUTH_PATH, iiifAuthRoutes, type IiifAuthRoutesDependencies } from './iiif-auth.routes.ts';
export { IiifAccessTokenRepository, IIIF_ACCESS_TOKEN_PREFIX } from './iiif-access-token.repository.ts';
export { auditWrites } from './audit-writes.ts';
export { sweepExpiredSignIns } from './sweep-expired-sign-ins.ts';

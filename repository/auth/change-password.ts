import type { Kysely } from 'kysely';
import { isAppError } from '../../storage/index.ts';
import type { SignedInUser } from '../access/access-decision.ts';
import { createRepositories } from '../database/repositories.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { hashPassword, passwordProblems, verifyPassword } from './password.ts';
import { SessionRepository } from './session.repository.ts';

/** The fields of the password form, in the order it shows them. */
export const PASSWORD_CHANGE_FIELDS = ['currentPassword', 'newPassword', 'repeatPassword'] as const;
export type PasswordChangeField = (typeof PASSWORD_CHANGE_FIELDS)[number];

/** Why a field was refused: wrong current password, new one against the policy or equal to the current one, repeat differs. */
export type PasswordChangeProblem = 'wrong' | 'policy' | 'same' | 'mismatch';
export type PasswordChangeProblems = Partial<Record<PasswordChangeField, PasswordChangeProblem>>;

export type PasswordChangeRequest = Record<PasswordChangeField, string> & { user: SignedInUser; ip: string | undefined };

export type PasswordChangeOutcome =
  | { type: 'changed'; session: { cookie: string; csrfToken: string; expiresAt: Date } }
  | { type: 'refused'; problems: PasswordChangeProblems }
  | { type: 'throttled'; retryAfterSeconds: number };

export interface PasswordChangeDependencies {
  db: Kysely<DatabaseSchema>;
  /** The sign-in throttle: a wrong current password counts as a failed sign-in, so this form is no way around it. */
  throttle: LoginThrottle;
  sessionLifetimeMs: number;
}

/**
 * A signed-in user's own password change. On success the new hash is stored and every
 * session of the user is closed in one transaction, and a fresh session is opened for the
 * browser that asked (a stolen cookie dies with the old password; the user stays signed in).
 */
export async function changePassword(deps: PasswordChangeDependencies, request: PasswordChangeRequest): Promise<PasswordChangeOutcome> {
  const { username, id } = request.user;
  try {
    await deps.throttle.assertMayTry(username);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'TOO_MANY_REQUESTS') throw error;
    return { type: 'throttled', retryAfterSeconds: error.details.retryAfterSeconds as number };
  }
  const { passwordHash } = await createRepositories(deps.db).users.getCredentials(username);
  const valid = passwordHash !== null && (await verifyPassword(passwordHash, request.currentPassword));
  if (valid) await deps.throttle.succeeded(username);
  else await deps.throttle.failed(username);
  const problems = problemsOf(request, valid);
  if (Object.keys(problems).length > 0) return { type: 'refused', problems };
  // Hashed before the transaction: argon2 takes a while, the transaction should not.
  const newHash = await hashPassword(request.newPassword);
  const session = await deps.db.transaction().execute(async (trx) => {
    await createRepositories(trx).users.update(id, { passwordHash: newHash });
    const sessions = new SessionRepository(trx);
    await sessions.closeAllOf(id);
    return sessions.open(id, deps.sessionLifetimeMs, request.ip);
  });
  return { type: 'changed', session };
}

/** What is wrong with each field (empty when nothing is). Compared in NFC, as passwords are hashed. */
function problemsOf(request: PasswordChangeRequest, currentIsValid: boolean): PasswordChangeProblems {
  const current = request.currentPassword.normalize('NFC');
  const next = request.newPassword.normalize('NFC');
  const problems: PasswordChangeProblems = {};
  if (!currentIsValid) problems.currentPassword = 'wrong';
  if (passwordProblems(next, request.user.username).length > 0) problems.newPassword = 'policy';
  else if (next === current) problems.newPassword = 'same';
  if (request.repeatPassword.normalize('NFC') !== next) problems.repeatPassword = 'mismatch';
  return problems;
}

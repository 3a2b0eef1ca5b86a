import type { Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import { InvalidInputError } from '../../storage/index.ts';
import type { Database } from '../database/database.port.ts';
import { createRepositories } from '../database/repositories.ts';
import { ApiTokenRepository } from './api-token.repository.ts';
import { AuditLogRepository } from './audit-log.repository.ts';
import { hashPassword, passwordProblems } from './password.ts';

export const BOOTSTRAP_ADMIN_USERNAME = 'admin';

/**
 * On the first start (no administrator yet) creates `admin`: with BOOTSTRAP_ADMIN_PASSWORD when
 * set, otherwise a random password written once to the log (change it after signing in).
 * BOOTSTRAP_ADMIN_TOKEN, when set, is installed as an API token of the first administrator
 * if no token has that value yet — for automated installs and the scan stations' first token.
 */
export async function bootstrapAdmin(database: Database, options: { password?: string; token?: string }, logger: Logger): Promise<void> {
  const { users } = createRepositories(database.db);
  const admins = await users.list({ role: 'admin', limit: 1 });
  let admin = admins.rows[0];
  if (admin === undefined) {
    const generated = options.password === undefined;
    const password = options.password ?? randomBytes(15).toString('base64url');
    const problems = passwordProblems(password, BOOTSTRAP_ADMIN_USERNAME);
    if (problems.length > 0) throw new InvalidInputError(`BOOTSTRAP_ADMIN_PASSWORD ${problems.join('; ')}`);
    admin = await users.create({ username: BOOTSTRAP_ADMIN_USERNAME, displayName: 'Quản trị viên', role: 'admin', passwordHash: await hashPassword(password) });
    await new AuditLogRepository(database.db).record({ viewer: 'system', action: 'user.create', target: { type: 'user', id: admin.id }, outcome: 'ok', detail: { bootstrap: true } });
    if (generated) {
      logger.warn({ username: BOOTSTRAP_ADMIN_USERNAME, password }, 'First start: administrator created with this password, shown only now. Sign in at /dang-nhap and change it.');
    } else {
      logger.info({ username: BOOTSTRAP_ADMIN_USERNAME }, 'First start: administrator created from BOOTSTRAP_ADMIN_PASSWORD');
    }
  }
  if (options.token !== undefined) {
    const tokens = new ApiTokenRepository(database.db);
    if (!(await tokens.exists(options.token))) {
      await tokens.create(admin.id, 'BOOTSTRAP_ADMIN_TOKEN', { secret: options.token });
      logger.info({ username: admin.username }, 'API token from BOOTSTRAP_ADMIN_TOKEN installed');
    }
  }
}

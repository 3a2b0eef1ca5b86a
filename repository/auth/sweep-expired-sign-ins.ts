import type { Logger } from 'pino';
import type { Database } from '../database/database.port.ts';
import { IiifAccessTokenRepository } from './iiif-access-token.repository.ts';
import { SessionRepository } from './session.repository.ts';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Deletes expired sessions and IIIF access tokens now and every hour (lookups already ignore
 * them; this keeps the tables from growing for ever). Returns the function that stops it.
 */
export function sweepExpiredSignIns(database: Database, logger: Logger, intervalMs = HOUR_MS): () => void {
  const sessions = new SessionRepository(database.db);
  const accessTokens = new IiifAccessTokenRepository(database.db);
  const sweep = async () => {
    try {
      // Tokens first: a session's tokens go with it, so none is left to count twice.
      const tokens = await accessTokens.sweep();
      const closed = await sessions.sweep();
      if (tokens + closed > 0) logger.info({ sessions: closed, iiifAccessTokens: tokens }, 'expired sign-ins deleted');
    } catch (error) {
      logger.warn({ err: error }, 'could not delete expired sign-ins; will try again');
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

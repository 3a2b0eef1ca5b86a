import type { Kysely } from 'kysely';
import { translateDatabaseError } from '../database/database-errors.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import type { Viewer } from '../access/access-decision.ts';

export type AuditOutcome = 'ok' | 'denied' | 'failed';

/** One line of the audit log. */
export interface AuditEntry {
  id: number;
  at: Date;
  actorId: string | null;
  actorName: string;
  actorVia: 'session' | 'token' | 'anonymous' | 'system';
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  detail: Record<string, unknown>;
}

export interface AuditEvent {
  viewer: Viewer | 'system';
  /** Dotted verb, e.g. `login`, `token.create`, `item.update`, `content.read`. */
  action: string;
  target?: { type: string; id: string };
  outcome: AuditOutcome;
  ip?: string;
  detail?: Record<string, unknown>;
}

/** Who did what and when: writes, sign-ins, token use, reading restricted and confidential content. Append-only. */
export class AuditLogRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  async record(event: AuditEvent): Promise<void> {
    const viewer = event.viewer;
    const actor =
      viewer === 'system'
        ? { actor_id: null, actor_name: 'system', actor_via: 'system' as const }
        : viewer.kind === 'user'
          ? { actor_id: viewer.user.id, actor_name: viewer.user.username, actor_via: viewer.via }
          : { actor_id: null, actor_name: 'anonymous', actor_via: 'anonymous' as const };
    try {
      await this.#db
        .insertInto('audit_log')
        .values({
          ...actor,
          action: event.action,
          target_type: event.target?.type ?? null,
          target_id: event.target?.id ?? null,
          outcome: event.outcome,
          ip: event.ip ?? null,
          detail: JSON.stringify(event.detail ?? {}),
        })
        .execute();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  /** Newest first, optionally only since a time or of one action. */
  async list(filter: { limit: number; offset?: number; since?: Date; action?: string }): Promise<AuditEntry[]> {
    let query = this.#db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset ?? 0);
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    try {
      const rows = await query.execute();
      return rows.map((row) => ({
        id: Number(row.id),
        at: row.at,
        actorId: row.actor_id,
        actorName: row.actor_name,
        actorVia: row.actor_via,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        outcome: row.outcome,
        ip: row.ip,
        detail: row.detail,
      }));
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}

import type { Request } from 'express';
import { assertCanSeeContent } from '../access/access-decision.ts';
import type { Item } from '../database/domain.types.ts';
import { viewerOf } from './request-auth.ts';

/** One audit line per viewer, document, door and outcome in this window: a reader paging through tiles is one event, not thousands. */
const WINDOW_MS = 10 * 60_000;
const MAX_REMEMBERED = 10_000;
const lastRecorded = new Map<string, number>();

/**
 * The content door's check: throws 401 when the viewer may not see the document, and writes
 * reads of restricted and confidential documents — allowed or refused — to the audit log
 * (when the request went through `authenticate`, which gives it `req.audit`).
 */
export async function seeContent(req: Request, item: Item, door: string): Promise<void> {
  const viewer = viewerOf(req);
  let refused: unknown;
  try {
    assertCanSeeContent(item, viewer);
  } catch (error) {
    refused = error;
  }
  if (item.effectiveAccessLevel !== 'public' && req.audit !== undefined) {
    const outcome = refused === undefined ? 'ok' : 'denied';
    const who = viewer.kind === 'user' ? viewer.user.id : `anonymous@${req.ip ?? ''}`;
    const key = `${who}|${item.id}|${door}|${outcome}`;
    const now = Date.now();
    if ((lastRecorded.get(key) ?? 0) + WINDOW_MS <= now) {
      if (lastRecorded.size >= MAX_REMEMBERED) lastRecorded.clear();
      lastRecorded.set(key, now);
      await req.audit.record({ viewer, action: 'content.read', target: { type: 'item', id: item.id }, outcome, ip: req.ip, detail: { door, level: item.effectiveAccessLevel } });
    }
  }
  if (refused !== undefined) throw refused;
}

import { Router } from 'express';

/** One dependency the process needs, as `/health` reports it. */
export interface HealthCheck {
  /** What it is for: `storage`, `database`, `queue`. */
  name: string;
  /** Which adapter is in use: `filesystem`, `s3`, `pglite`, `postgres`, `in-process`, `bullmq`. */
  adapter: string;
  /** Where it is, for the operator; never contains credentials. */
  describe(): string;
  /** Resolves when the dependency answers; rejects with the reason otherwise. */
  ping(): Promise<void>;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { adapter: string; location: string; ok: boolean; error?: string; ms: number }>;
}

export async function checkHealth(checks: readonly HealthCheck[], timeoutMs: number): Promise<HealthReport> {
  const entries = await Promise.all(
    checks.map(async (check) => {
      const started = performance.now();
      const outcome = await withTimeout(check.ping(), timeoutMs).then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, error: error instanceof Error ? error.message : String(error) }),
      );
      const ms = Math.round(performance.now() - started);
      return [check.name, { adapter: check.adapter, location: check.describe(), ...outcome, ms }] as const;
    }),
  );
  return {
    status: entries.every(([, entry]) => entry.ok) ? 'ok' : 'unavailable',
    checks: Object.fromEntries(entries),
  };
}

/** `GET /health`: 200 when every dependency answers, 503 (same body) when one does not. */
export function healthRoutes(checks: readonly HealthCheck[], timeoutMs = 2000): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const report = await checkHealth(checks, timeoutMs);
    res.status(report.status === 'ok' ? 200 : 503).set('Cache-Control', 'no-store').json(report);
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

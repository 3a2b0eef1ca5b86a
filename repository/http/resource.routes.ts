import { Router, type Request } from 'express';
import { NotFoundError } from '../../storage/index.ts';
import type { Paged } from '../database/domain.types.ts';

/** The data-access shape shared by libraries, collections and items. */
export interface ResourceRepository<T, New, Patch, Filter> {
  create(input: New): Promise<T>;
  getById(id: string): Promise<T>;
  list(filter: Filter): Promise<Paged<T>>;
  update(id: string, patch: Patch): Promise<T>;
}

export interface ResourceRoutesOptions<T, New, Patch, Filter> {
  /** e.g. `/api/libraries`. */
  path: string;
  repository: ResourceRepository<T, New, Patch, Filter>;
  /** Query parameters (besides `limit` and `offset`) that filter the list. */
  filters: readonly string[];
  /** What `GET path/:id` answers; the record itself unless given. */
  present?: (record: T, req: Request) => Promise<unknown>;
  /** Who may do what: each throws (401/403) to refuse. `visible` hides records from a listing or a read (404). */
  guard: ResourceGuard<T, New>;
}

export interface ResourceGuard<T, New> {
  create(req: Request, input: New): Promise<void>;
  update(req: Request, record: T): Promise<void>;
  visible(req: Request, record: T): boolean;
}

/** Paged list body: `{ data, total, limit, offset }`. */
export interface PagedBody<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}

const DEFAULT_LIMIT = 50;

/**
 * `POST path` → 201 with the record and its `Location`; `GET path` → paged list;
 * `GET path/:id`; `PATCH path/:id`. Validation and its messages are the repository's.
 */
export function resourceRoutes<T extends { id: string }, New, Patch, Filter>(
  options: ResourceRoutesOptions<T, New, Patch, Filter>,
): Router {
  const { path, repository, filters, present, guard } = options;
  const router = Router();

  router.post(path, async (req, res) => {
    await guard.create(req, req.body as New);
    const record = await repository.create(req.body as New);
    res.status(201).location(`${path}/${record.id}`).json(record);
  });

  router.get(path, async (req, res) => {
    const filter = listFilter(req, filters);
    const { rows, total } = await repository.list(filter as Filter);
    const body: PagedBody<T> = {
      data: rows.filter((record) => guard.visible(req, record)),
      total,
      limit: (filter.limit as number | undefined) ?? DEFAULT_LIMIT,
      offset: (filter.offset as number | undefined) ?? 0,
    };
    res.json(body);
  });

  router.get(`${path}/:id`, async (req, res) => {
    const record = await repository.getById(req.params.id as string);
    if (!guard.visible(req, record)) throw new NotFoundError(`No record ${req.params.id as string} here`);
    res.json(present ? await present(record, req) : record);
  });

  router.patch(`${path}/:id`, async (req, res) => {
    await guard.update(req, await repository.getById(req.params.id as string));
    res.json(await repository.update(req.params.id as string, req.body as Patch));
  });

  return router;
}

/** `limit`/`offset` as numbers when they look like numbers (the repository validates them), named filters as given. */
function listFilter(req: Request, filters: readonly string[]): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const name of ['limit', 'offset']) {
    const raw = req.query[name];
    if (raw !== undefined) filter[name] = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  }
  for (const name of filters) {
    if (req.query[name] !== undefined) filter[name] = req.query[name];
  }
  return filter;
}

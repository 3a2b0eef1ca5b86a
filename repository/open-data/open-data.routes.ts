import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { ANONYMOUS, canSeeDescription } from '../access/access-decision.ts';
import type { Database } from '../database/database.port.ts';
import { ACCESS_LEVELS } from '../database/domain.types.ts';
import { progressReportCsv } from '../stats/progress-report-csv.ts';
import { progressStatistics } from '../stats/progress-statistics.ts';
import { reportingDay } from '../stats/reporting-day.ts';
import { pageContext } from '../web/page-context.ts';
import { sendPage } from '../web/page-response.ts';
import { openDataView } from '../web/views/open-data.view.ts';
import { catalogueCsvChunks, catalogueJsonLdChunks } from './catalogue-export.ts';
import { dcatCatalog } from './dcat-catalog.ts';
import { OpenDataRepository, type CatalogueFreshness } from './open-data.repository.ts';
import type { OpenDatasetKey } from './open-datasets.ts';

export interface OpenDataRoutesDependencies {
  database: Database;
  /** The base URL (scheme and host) the request reached us at: every link of the exports is built on it. */
  baseUrl: (req: Request) => string;
  /** OPEN_DATA_LICENSE: the licence of the metadata. */
  license: string;
  /** OPEN_DATA_PUBLISHER; unset → the first library registered. */
  publisher?: string;
  /** RESTRICTED_METADATA: `shown` puts restricted documents in the catalogue (never confidential ones). */
  restrictedMetadata: 'hidden' | 'shown';
  /** "Now" for the progress statistics' report day. */
  clock: () => Date;
  /** Documents per keyset query of the catalogue exports (default `DEFAULT_EXPORT_PAGE_SIZE`). */
  pageSize?: number;
}

/** Used when no publisher is configured and no library exists yet. */
const FALLBACK_PUBLISHER = 'Thư viện số';

/**
 * Open data (issue 9), the same for every visitor: what the anonymous public may see, so a
 * download is reproducible and cacheable whoever makes it.
 * - `GET /open-data`: the page listing the datasets (Vietnamese, `?lang=en`);
 * - `GET /open-data/catalogue.csv`, `/open-data/catalogue.jsonld`: the catalogue, streamed;
 * - `GET /open-data/progress.csv`: the progress report of `/api/reports/progress.csv`, as of today;
 * - `GET /open-data/catalog.jsonld`: the DCAT 3 catalogue of all of them.
 */
export function openDataRoutes(deps: OpenDataRoutesDependencies): Router {
  const router = Router();
  const openData = () => new OpenDataRepository(deps.database.db);
  const levels = ACCESS_LEVELS.filter((level) => canSeeDescription(level, ANONYMOUS, deps.restrictedMetadata));
  const publisher = async () => deps.publisher ?? (await openData().firstLibraryName()) ?? FALLBACK_PUBLISHER;
  const modified = async (): Promise<{ catalogue: CatalogueFreshness; modified: Partial<Record<OpenDatasetKey, Date>> }> => {
    const [catalogue, lastChange] = await Promise.all([openData().catalogueFreshness(levels), openData().lastChange()]);
    const all = lastChange ?? undefined;
    return {
      catalogue,
      modified: { catalogue: catalogue.lastModified ?? undefined, progress: all, 'iiif-collection': all },
    };
  };

  router.get('/open-data', async (req, res) => {
    const context = pageContext(req, res);
    const [dates, name] = await Promise.all([modified(), publisher()]);
    sendPage(res, 200, openDataView(context, { license: deps.license, publisher: name, catalogueCount: dates.catalogue.count, modified: dates.modified }));
  });

  router.get('/open-data/catalog.jsonld', async (req, res) => {
    const [dates, name] = await Promise.all([modified(), publisher()]);
    const body = dcatCatalog({ baseUrl: deps.baseUrl(req), license: deps.license, publisher: name, modified: dates.modified });
    openToAll(res).set('Cache-Control', 'no-cache').type('application/ld+json').send(JSON.stringify(body));
  });

  const catalogueExports = [
    { path: '/open-data/catalogue.csv', type: 'text/csv; charset=utf-8; header=present', filename: 'muc-luc.csv', chunks: catalogueCsvChunks },
    {
      path: '/open-data/catalogue.jsonld',
      type: 'application/ld+json',
      filename: 'muc-luc.jsonld',
      chunks: (records: Parameters<typeof catalogueCsvChunks>[0], base: string) => catalogueJsonLdChunks(records, base, deps.license),
    },
  ];
  for (const { path, type, filename, chunks } of catalogueExports) {
    router.get(path, async (req, res) => {
      const base = deps.baseUrl(req);
      const freshness = await openData().catalogueFreshness(levels);
      openToAll(res).set({
        'Content-Type': type,
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-cache',
        ETag: exportTag(path, freshness, levels, deps.license, base),
        ...(freshness.lastModified !== null ? { 'Last-Modified': freshness.lastModified.toUTCString() } : {}),
      });
      if (req.fresh) return void res.status(304).end();
      if (req.method === 'HEAD') return void res.end();
      await streamText(req, res, chunks(openData().catalogueRecords(levels, deps.pageSize), base));
    });
  }

  router.get('/open-data/progress.csv', async (_req, res) => {
    const statistics = await progressStatistics(deps.database.db, { today: reportingDay(deps.clock()) });
    // `send` adds an ETag of the body, so an unchanged report answers 304.
    openToAll(res)
      .set({
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Disposition': `attachment; filename="tien-do-so-hoa-${statistics.asOf}.csv"`,
        'Cache-Control': 'no-cache',
      })
      .send(Buffer.from(progressReportCsv(statistics), 'utf8'));
  });

  return router;
}

/** Open data is for any site's scripts too (an open-data portal's browser, a notebook). */
function openToAll(res: Response): Response {
  return res.set('Access-Control-Allow-Origin', '*');
}

/**
 * A weak validator that changes whenever the export could: a document added, removed or edited
 * (count and newest `updated_at`, which also follow collections and libraries), another access
 * policy, licence or base URL.
 */
function exportTag(path: string, freshness: CatalogueFreshness, levels: readonly string[], license: string, base: string): string {
  const parts = [path, freshness.count, freshness.lastModified?.toISOString() ?? '', levels.join(','), license, base];
  return `W/"${createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 27)}"`;
}

/**
 * Streams text chunks to the response with its backpressure (`pipeline` waits for 'drain'
 * before pulling the next chunk). A client that goes away ends the export quietly; a failure
 * after the headers left can only cut the response short, so it is logged here.
 */
async function streamText(req: Request, res: Response, chunks: AsyncIterable<string>): Promise<void> {
  try {
    await pipeline(Readable.from(chunks), res);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    req.log?.error({ err: error }, `open-data export ${req.path} failed after sending began; the download was cut short`);
  }
}

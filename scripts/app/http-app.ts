import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import path from 'node:path';
import {
  collectionRoutes,
  combineImageSources,
  extraImagesSource,
  imageRoutes,
  manifestRoutes,
  pageImageSource,
  PyramidFileCache,
  requestBaseUrl,
  searchRoutes,
  viewerRoutes,
  type ResolveImageSource,
} from '../../iiif/index.ts';
import { buildPyramid } from '../../pipeline/index.ts';
import { QueueItemProcessing, queueCorrectionPipeline, StorePageIngest } from '../../pipeline/index.ts';
import {
  auditRoutes,
  auditWrites,
  correctionRoutes,
  LearnedReadingRepository,
  loadNomReadings,
  NomReadingsLookup,
  OcrCorrectionService,
  authenticate,
  authRoutes,
  createRepositories,
  readingRoomList,
  requireCsrfToken,
  errorHandler,
  fixityRoutes,
  type FixityAuditor,
  type Harvester,
  harvestRoutes,
  healthRoutes,
  iiifAuthRoutes,
  holdingsImportRoutes,
  itemRoutes,
  modsRoutes,
  oaiRoutes,
  marcImportRoutes,
  notFoundHandler,
  pageNotFound,
  recordRoutes,
  ResumableUploads,
  siteSearchRoutes,
  openDataRoutes,
  statsRoutes,
  webRoutes,
} from '../../repository/index.ts';
import type { Config } from '../config.ts';
import type { Services } from './open-services.ts';
import { securityHeaders } from './security-headers.ts';

/** The express application: routes of every folder mounted on one server. */
export function createHttpApp(config: Config, services: Services, logger: Logger, shutdown: AbortSignal, auditor: FixityAuditor, harvester: Harvester): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders({ publicBaseUrl: config.publicBaseUrl }));
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger,
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/health' },
    }),
  );
  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));
  app.use(authenticate({ database: services.database, readingRooms: readingRoomList(config.auth.readingRoomIps) }), requireCsrfToken, auditWrites);
  const repositories = createRepositories(services.database.db);
  const cookies = { secure: config.auth.secureCookies, lifetimeMs: config.auth.sessionLifetimeMs };
  const resumableUploads = new ResumableUploads({
    directory: path.join(config.dataDir, 'uploads'),
    maxFileBytes: config.uploadMaxBytes,
    expiryMs: config.uploadExpiryMs,
    items: repositories.items,
    logger: logger.child({ component: 'resumable-uploads' }),
    shutdown,
  });
  app.use(
    healthRoutes([
      { name: 'storage', ...adapterCheck(services.store) },
      { name: 'database', ...adapterCheck(services.database) },
      { name: 'queue', ...adapterCheck(services.queue) },
    ]),
  );
  app.use(
    authRoutes({ database: services.database, cookies }),
    resumableUploads.router,
    itemRoutes({
      repositories,
      store: services.store,
      ingest: new StorePageIngest(services.database, services.store),
      processing: new QueueItemProcessing(services.database, services.queue),
      publicBaseUrl: config.publicBaseUrl,
      spoolDir: path.join(config.dataDir, 'tmp', 'uploads'),
      uploadLimits: { maxFileBytes: config.uploadMaxBytes, maxRequestBytes: config.uploadMaxRequestBytes, maxFiles: 500 },
      resumableUploads,
      progressPollMs: 1000,
      shutdown,
    }),
    statsRoutes({ database: services.database, clock: () => new Date() }),
    fixityRoutes({ database: services.database, auditor }),
    siteSearchRoutes({ database: services.database }),
    holdingsImportRoutes({ database: services.database }),
    marcImportRoutes({ database: services.database }),
    iiifAuthRoutes({ database: services.database, cookies, baseUrl: (req) => requestBaseUrl(req, config.publicBaseUrl) }),
    manifestRoutes(services.database, services.store, config.publicBaseUrl, config.auth.restrictedMetadata),
    collectionRoutes({ database: services.database, publicBaseUrl: config.publicBaseUrl, restrictedMetadata: config.auth.restrictedMetadata }),
    searchRoutes({ database: services.database, store: services.store, publicBaseUrl: config.publicBaseUrl }),
    viewerRoutes({ publicBaseUrl: config.publicBaseUrl }),
    webRoutes({ database: services.database, publicBaseUrl: config.publicBaseUrl }),
    openDataRoutes({
      database: services.database,
      baseUrl: (req) => requestBaseUrl(req, config.publicBaseUrl),
      license: config.openData.license,
      publisher: config.openData.publisher,
      restrictedMetadata: config.auth.restrictedMetadata,
      clock: () => new Date(),
    }),
    oaiRoutes({
      database: services.database,
      settings: { ...config.oai, restrictedMetadata: config.auth.restrictedMetadata },
      baseUrl: (req) => requestBaseUrl(req, config.publicBaseUrl),
      clock: () => new Date(),
    }),
    harvestRoutes({ database: services.database, harvester, baseUrl: (req) => requestBaseUrl(req, config.publicBaseUrl) }),
    modsRoutes({ database: services.database, restrictedMetadata: config.auth.restrictedMetadata, baseUrl: (req) => requestBaseUrl(req, config.publicBaseUrl) }),
    recordRoutes({ database: services.database }),
    correctionRoutes({
      database: services.database,
      store: services.store,
      corrections: new OcrCorrectionService({ database: services.database, store: services.store, pipeline: queueCorrectionPipeline(services.queue) }),
      readings: new NomReadingsLookup(() => loadNomReadings(), new LearnedReadingRepository(services.database.db)),
    }),
    auditRoutes({ database: services.database }),
    imageRoutes({
      resolveSource: imageSources(config, services),
      baseUrl: (req) => requestBaseUrl(req, config.publicBaseUrl),
      tileCache: { maxBytes: config.iiif.tileCacheBytes },
      // A bound on what one request may render: without it `^60000,` would need gigabytes.
      limits: { maxArea: config.iiif.maxPixels, maxWidth: 16_384, maxHeight: 16_384 },
      logger: logger.child({ component: 'iiif-image' }),
    }),
  );
  app.use(pageNotFound, notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

/** Pages of digitised items, and (for conformance checks) the images of IIIF_EXTRA_IMAGES_DIR. */
function imageSources(config: Config, services: Services): ResolveImageSource {
  const cacheDir = path.join(config.dataDir, 'cache');
  const pages = pageImageSource(
    services.database,
    services.store,
    new PyramidFileCache({ dir: path.join(cacheDir, 'pyramids'), maxBytes: config.iiif.pyramidCacheBytes }),
  );
  if (config.iiif.extraImagesDir === undefined) return pages;
  const extra = extraImagesSource(config.iiif.extraImagesDir, path.join(cacheDir, 'extra-pyramids'), (input, out) => buildPyramid(input, out));
  return combineImageSources(extra, pages);
}

function adapterCheck(service: { adapter: string; describe(): string; ping(): Promise<void> }) {
  return { adapter: service.adapter, describe: () => service.describe(), ping: () => service.ping() };
}

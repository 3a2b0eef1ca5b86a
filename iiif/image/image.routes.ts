import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { errorHandler } from '../../repository/index.ts';
import { probeServiceDescription, withAuthContext } from '../auth/auth-services.ts';
import { InvalidInputError } from '../../storage/index.ts';
import { ByteLruCache } from './byte-lru-cache.ts';
import { buildImageInfo, IMAGE_JSON_LD_MEDIA_TYPE, LEVEL2_PROFILE_URI } from './build-image-info.ts';
import { calculateImageOperation, type ImageLimits } from './calculate-image-operation.ts';
import { MEDIA_TYPE_BY_FORMAT } from './image-request.types.ts';
import type { ImageSource, ResolveImageSource } from './image-source.ts';
import { parseImageRequest } from './parse-image-request.ts';
import { renderImage } from './render-image.ts';

/** Restricted images may be kept by the reader's own browser, never by a shared cache (a proxy would hand them to the next visitor). */
const PRIVATE_CACHE_CONTROL = 'private, max-age=3600';

export const IMAGE_API_PREFIX = '/iiif/3';

export interface ImageRoutesLimits extends ImageLimits {
  /** Pixel limit when opening a pyramid level (sharp `limitInputPixels`). Default 268 402 689. */
  limitInputPixels?: number;
  /** JPEG / WebP quality of responses, 1–100. Default 85. */
  jpegQuality?: number;
}

export interface ImageRoutesDependencies {
  /** Identifier → local pyramid; throws NotFoundError / AccessDeniedError. Compose with `combineImageSources`. */
  resolveSource: ResolveImageSource;
  /** Scheme and host for ids and Link headers; usually `(req) => requestBaseUrl(req, config.publicBaseUrl)`. */
  baseUrl: (req: Request) => string;
  limits?: ImageRoutesLimits;
  /** Rendered responses kept in memory, least recently used evicted. */
  tileCache?: { maxBytes: number; maxEntries?: number };
  /** `Cache-Control` of successful responses. Default `public, max-age=86400`. */
  cacheControl?: string;
  logger: Logger;
}

interface Rendered {
  body: Buffer;
  contentType: string;
}

/** Access-Control-Allow-Origin on every response, errors included (https://iiif.io/api/image/3.0/#71-cors). */
const cors: RequestHandler = (_req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'Link, ETag, Location');
  next();
};

const quoteEtag = (...parts: string[]) => `"${createHash('sha1').update(parts.join('\u0000')).digest('base64url')}"`;

/**
 * IIIF Image API 3.0, level 2 (https://iiif.io/api/image/3.0/):
 * `GET /iiif/3/:identifier` → 303 to info.json (§2.2), `GET /iiif/3/:identifier/info.json` (§5),
 * `GET /iiif/3/:identifier/:region/:size/:rotation/:quality.:format` (§4). Every response has
 * CORS; images carry profile and canonical Link headers (§7), ETag, Last-Modified and
 * Cache-Control, and conditional requests get 304. Errors are JSON bodies through the shared
 * error table: 400 naming the bad part, 401, 404.
 */
export function imageRoutes(deps: ImageRoutesDependencies): Router {
  const limits: ImageRoutesLimits = deps.limits ?? {};
  const sizeLimits: ImageLimits = {
    ...(limits.maxWidth === undefined ? {} : { maxWidth: limits.maxWidth }),
    ...(limits.maxHeight === undefined ? {} : { maxHeight: limits.maxHeight }),
    ...(limits.maxArea === undefined ? {} : { maxArea: limits.maxArea }),
  };
  const tiles = new ByteLruCache<Rendered>(deps.tileCache?.maxBytes ?? 64 * 1024 * 1024, deps.tileCache?.maxEntries ?? Infinity);
  const rendering = new Map<string, Promise<Rendered>>();
  const cacheControl = deps.cacheControl ?? 'public, max-age=86400';
  const router = Router();
  router.use(IMAGE_API_PREFIX, cors);
  const keepPrivateWhenControlled = (res: Response, source: ImageSource) => {
    res.setHeader('Cache-Control', source.accessControl === undefined ? cacheControl : PRIVATE_CACHE_CONTROL);
    if (source.accessControl !== undefined) res.vary('Cookie').vary('Authorization');
  };

  const serviceId = (req: Request, identifier: string) => `${deps.baseUrl(req)}${IMAGE_API_PREFIX}/${encodeURIComponent(identifier)}`;

  router.get(`${IMAGE_API_PREFIX}/:identifier`, (req, res) => {
    res.redirect(303, `${serviceId(req, req.params.identifier as string)}/info.json`);
  });

  router.get(`${IMAGE_API_PREFIX}/:identifier/info.json`, async (req, res) => {
    const identifier = req.params.identifier as string;
    const source = await deps.resolveSource(identifier, req, 'describe');
    const id = serviceId(req, identifier);
    res.vary('Accept');
    const jsonLd = req.accepts(['application/json', 'application/ld+json']) === 'application/ld+json';
    res.setHeader('Content-Type', jsonLd ? IMAGE_JSON_LD_MEDIA_TYPE : 'application/json');
    res.setHeader('Link', `<${LEVEL2_PROFILE_URI}>;rel="profile"`);
    res.setHeader('ETag', quoteEtag(source.etag, id, String(limits.maxWidth), String(limits.maxHeight), String(limits.maxArea)));
    res.setHeader('Last-Modified', source.lastModified.toUTCString());
    keepPrivateWhenControlled(res, source);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    const info = buildImageInfo(id, source, source.levels, sizeLimits);
    const described =
      source.accessControl === undefined
        ? info
        : { ...info, '@context': withAuthContext(info['@context']), service: [probeServiceDescription(deps.baseUrl(req), source.accessControl.itemId)] };
    res.send(Buffer.from(JSON.stringify(described)));
  });

  router.get(`${IMAGE_API_PREFIX}/:identifier/:region/:size/:rotation/:qualityFormat`, async (req, res) => {
    const { identifier, region, size, rotation, qualityFormat } = req.params as Record<string, string>;
    const request = parseImageRequest(`${region}/${size}/${rotation}/${qualityFormat}`);
    if (request.type !== 'image') throw new InvalidInputError('Invalid IIIF image request');
    let source = await deps.resolveSource(identifier as string, req, 'render');
    const operation = calculateImageOperation(request, source, source.levels, sizeLimits);
    const id = serviceId(req, identifier as string);
    res.setHeader('Link', `<${LEVEL2_PROFILE_URI}>;rel="profile", <${id}/${operation.canonicalPath}>;rel="canonical"`);
    res.setHeader('ETag', quoteEtag(source.etag, operation.canonicalPath));
    res.setHeader('Last-Modified', source.lastModified.toUTCString());
    keepPrivateWhenControlled(res, source);
    res.setHeader('Content-Type', MEDIA_TYPE_BY_FORMAT[request.format]);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    const render = (from: ImageSource) =>
      renderImage(from.path, { operation, rotation: request.rotation, quality: request.quality, format: request.format }, {
        ...(limits.limitInputPixels === undefined ? {} : { limitInputPixels: limits.limitInputPixels }),
        ...(limits.jpegQuality === undefined ? {} : { quality: limits.jpegQuality }),
      });
    const key = `${source.path}\u0000${operation.canonicalPath}`;
    let rendered = tiles.get(key);
    if (rendered === undefined) {
      let pending = rendering.get(key);
      if (pending === undefined) {
        pending = (async () => {
          let body: Buffer;
          try {
            body = await render(source);
          } catch (error) {
            // The pyramid file was evicted from the disk cache between resolving and reading: resolve again.
            if (existsSync(source.path)) throw error;
            source = await deps.resolveSource(identifier as string, req, 'render');
            body = await render(source);
          }
          const result = { body, contentType: MEDIA_TYPE_BY_FORMAT[request.format] };
          tiles.set(key, result, body.length);
          return result;
        })().finally(() => rendering.delete(key));
        rendering.set(key, pending);
      }
      rendered = await pending;
    }
    res.send(rendered.body);
  });

  router.get(`${IMAGE_API_PREFIX}/:identifier/*rest`, (req: Request, _res: Response) => {
    throw new InvalidInputError(
      `Invalid IIIF image request "${req.path}": expected ${IMAGE_API_PREFIX}/{identifier}/{region}/{size}/{rotation}/{quality}.{format} or ${IMAGE_API_PREFIX}/{identifier}/info.json`,
      { details: { part: 'path' } },
    );
  });

  router.use(IMAGE_API_PREFIX, errorHandler(deps.logger));
  return Object.assign(router, { tileCache: tiles });
}

import type { Request, Response } from 'express';

/** Presentation 3.0 media type (Presentation API 3.0 §6.1, "Responses"). */
export const PRESENTATION_MEDIA_TYPE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"';

/**
 * Sends a IIIF JSON-LD document: `mediaType` (JSON-LD; by default with the Presentation 3 profile) if the
 * Accept header prefers it, `application/json` otherwise; `Access-Control-Allow-Origin: *`,
 * as every IIIF response must be usable from any viewer; `Vary` on the headers that change it.
 *
 * @see https://iiif.io/api/presentation/3.0/#61-responses
 */
export function sendIiifJson(req: Request, res: Response, body: unknown, mediaType: string = PRESENTATION_MEDIA_TYPE): void {
  allowAnyOrigin(res);
  res.vary('Accept');
  res.vary('X-Forwarded-Proto');
  res.vary('X-Forwarded-Host');
  const wantsLd = req.accepts(['application/json', 'application/ld+json']) === 'application/ld+json';
  res.status(200);
  res.setHeader('Content-Type', wantsLd ? mediaType : 'application/json');
  res.setHeader('Cache-Control', 'no-cache');
  // `res.end`, not `res.send`: express would rewrite the media type (adding a charset).
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  res.setHeader('Content-Length', String(json.length));
  res.end(json);
}

/** CORS for IIIF: any origin may read (Presentation API 3.0 §6.1; Content Search 2.0 inherits it). */
export function allowAnyOrigin(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
}

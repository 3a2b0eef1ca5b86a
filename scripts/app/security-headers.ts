import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

type Directives = Record<string, string[]>;

const sha256Source = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The one inline `<style>` of the viewer page (iiif/viewer/viewer.routes.ts); a change there must change this. */
const VIEWER_PAGE_STYLE = 'html,body{margin:0;height:100%}#viewer{position:absolute;inset:0}';

/**
 * Mirador's styles (emotion, in its production "speedy" mode) are inserted as empty `<style>`
 * elements filled through CSSOM `insertRule`, which CSP does not govern: allowing the hash of
 * the empty text is enough, and no `'unsafe-inline'` is needed.
 */
const EMPTY_STYLE_ELEMENT = '';

/** Every page: our own scripts and styles only, no inline script, no plugins, no framing by other sites. */
function siteDirectives(https: boolean): Directives {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/** The dashboard draws its progress bars with `style="width: N%"` attributes (admin.view.ts). */
function adminDirectives(https: boolean): Directives {
  return { ...siteDirectives(https), 'style-src-attr': ["'unsafe-inline'"] };
}

function viewerDirectives(https: boolean): Directives {
  return { ...siteDirectives(https), 'style-src': ["'self'", sha256Source(VIEWER_PAGE_STYLE), sha256Source(EMPTY_STYLE_ELEMENT)] };
}

/** `/viewer?manifest=URL` opens manifests, info.json and tiles of any IIIF server over HTTPS. */
function openViewerDirectives(https: boolean): Directives {
  return { ...viewerDirectives(https), 'connect-src': ["'self'", 'https:'], 'img-src': ["'self'", 'data:', 'https:'] };
}

/** The IIIF Auth token service page is framed by IIIF viewers on any site (it posts its token to the framing page). */
function tokenServiceDirectives(https: boolean): Directives {
  return { ...siteDirectives(https), 'frame-ancestors': ['*'] };
}

function headers(directives: Directives, https: boolean, resourcePolicy: 'same-origin' | 'cross-origin'): RequestHandler {
  const frameable = directives['frame-ancestors']?.includes('*') === true;
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    crossOriginResourcePolicy: { policy: resourcePolicy },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // A library's other hosts under the same domain are not ours to force onto HTTPS.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    xFrameOptions: frameable ? false : { action: 'sameorigin' },
  });
}

const under = (prefix: string) => (path: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * Security headers (helmet) for every response, by route group (first match wins):
 * - `/iiif/auth/token`: framed by IIIF viewers anywhere (`frame-ancestors *`);
 * - `/iiif/*`: `Cross-Origin-Resource-Policy: cross-origin`, so other IIIF viewers can use our
 *   images and manifests (the IIIF routes add `Access-Control-Allow-Origin: *` themselves);
 * - `/viewer?manifest=URL`, `/viewer/*`: Mirador's styles, and other IIIF servers for the former;
 * - `/quan-tri/*`: style attributes;
 * - everything else: the strict site policy.
 * HSTS and upgrade-insecure-requests only when the public address is HTTPS.
 */
export function securityHeaders(options: { publicBaseUrl: string }): RequestHandler {
  const https = new URL(options.publicBaseUrl).protocol === 'https:';
  const groups: { matches: (path: string) => boolean; handler: RequestHandler }[] = [
    { matches: under('/iiif/auth/token'), handler: headers(tokenServiceDirectives(https), https, 'cross-origin') },
    { matches: under('/iiif'), handler: headers(siteDirectives(https), https, 'cross-origin') },
    { matches: (path) => path === '/viewer' || path === '/viewer/', handler: headers(openViewerDirectives(https), https, 'same-origin') },
    { matches: under('/viewer'), handler: headers(viewerDirectives(https), https, 'same-origin') },
    { matches: under('/quan-tri'), handler: headers(adminDirectives(https), https, 'same-origin') },
  ];
  const site = headers(siteDirectives(https), https, 'same-origin');
  return (req, res, next) => {
    // Express matches routes case-insensitively.
    const path = req.path.toLowerCase();
    const group = groups.find((candidate) => candidate.matches(path));
    (group?.handler ?? site)(req, res, next);
  };
}

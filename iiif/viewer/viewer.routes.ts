import { createRequire } from 'node:module';
import { Router, type Request } from 'express';
import { InvalidInputError } from '../../storage/index.ts';

/** Mirador 4's self-contained UMD bundle, served from node_modules: no CDN, ever. */
const MIRADOR_BUNDLE = createRequire(import.meta.url).resolve('mirador');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** JSON inside a <script> element: `<` escaped so no string can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The reader's language, as the web pages choose it: `?lang=`, then the `lang` cookie, else Vietnamese. */
function viewerLanguage(req: Request): 'vi' | 'en' {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : /(?:^|;\s*)lang=(vi|en)\b/.exec(req.headers.cookie ?? '')?.[1];
  return asked === 'en' ? 'en' : 'vi';
}

function viewerPage(manifestUrl: string, title: string, language: 'vi' | 'en'): string {
  const config = {
    id: 'viewer',
    language,
    windows: [{ manifestId: manifestUrl }],
    window: { allowClose: false, defaultSideBarPanel: 'info', sideBarOpen: true },
    workspaceControlPanel: { enabled: false },
  };
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>html,body{margin:0;height:100%}#viewer{position:absolute;inset:0}</style>
</head>
<body>
<div id="viewer" role="main" aria-label="Trình xem IIIF"></div>
<script type="application/json" id="viewer-config">${scriptJson(config)}</script>
<script src="/viewer/assets/mirador.min.js"></script>
<script src="/viewer/assets/start-viewer.js"></script>
</body>
</html>`;
}

/**
 * The self-hosted IIIF viewer (Mirador 4): `GET /viewer/:itemId` opens one of our documents,
 * `GET /viewer?manifest=URL` any IIIF manifest. Access to the content is decided where the
 * manifest and tiles are served, not here.
 */
export function viewerRoutes(options: { publicBaseUrl: string }): Router {
  const router = Router();
  router.get('/viewer/assets/mirador.min.js', (_req, res) => {
    res.sendFile(MIRADOR_BUNDLE, { maxAge: '7d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });
  // Started from a file, not an inline script, so a strict Content-Security-Policy can forbid inline code.
  router.get('/viewer/assets/start-viewer.js', (_req, res) => {
    res
      .type('text/javascript')
      .set('Cache-Control', 'public, max-age=86400')
      .send("Mirador.viewer(JSON.parse(document.getElementById('viewer-config').textContent));\n");
  });
  router.get('/viewer', (req, res) => {
    const manifest = req.query.manifest;
    if (typeof manifest !== 'string' || !/^https?:\/\/[^\s]+$/.test(manifest)) {
      throw new InvalidInputError('Give the manifest to open as ?manifest=https://…');
    }
    res.type('html').send(viewerPage(manifest, 'Trình xem tài liệu', viewerLanguage(req)));
  });
  router.get('/viewer/:itemId', (req, res) => {
    const itemId = req.params.itemId;
    if (!/^[A-Za-z0-9-]{1,100}$/.test(itemId)) throw new InvalidInputError(`"${itemId}" is not a document id`);
    res.type('html').send(viewerPage(`${options.publicBaseUrl}/iiif/manifest/${itemId}`, 'Trình xem tài liệu', viewerLanguage(req)));
  });
  return router;
}

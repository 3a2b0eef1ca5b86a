import { html, raw, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';
import { layoutView } from './layout.view.ts';

/**
 * The window a IIIF viewer opened for the access service (after signing in) or the logout
 * service (after signing out): says what happened and closes itself, which the viewer waits for.
 */
export function iiifAuthWindowView(context: PageContext, outcome: 'signedIn' | 'signedOut'): SafeHtml {
  const { t } = context;
  const title = t(`iiifAuth.${outcome}.title`);
  const main = html`<h1>${title}</h1>
<p class="notice">${t(`iiifAuth.${outcome}.body`)}</p>
<script src="/web/assets/close-window.js"></script>`;
  return layoutView(context, { title, main });
}

/**
 * IIIF token service page, loaded in a hidden iframe of the viewer: the message (an access
 * token or an error) and its target origin travel as JSON data, which `iiif-token.js` posts
 * to the parent window (no inline script, so the site's content security policy holds).
 */
export function iiifTokenView(message: Record<string, unknown>, targetOrigin: string): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>IIIF access token</title></head>
<body>
<script type="application/json" id="iiif-token-message">${raw(scriptJson({ message, targetOrigin }))}</script>
<script src="/web/assets/iiif-token.js"></script>
</body>
</html>`;
}

/** JSON that cannot end its `<script>` element or open a comment inside it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

import { raw, type SafeHtml } from '../html.ts';

/**
 * The IIIF logo, drawn for this site (three slanted blue bars and a red F, each with its dot),
 * as inline SVG so that it needs no request. Decorative: the link around it carries the label.
 */
export const IIIF_LOGO: SafeHtml = raw(
  `<svg class="iiif-logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 44" width="36" height="33" aria-hidden="true" focusable="false">` +
    `<g fill="#2873ab"><path d="M2 14h6l-2 28H0z"/><circle cx="6" cy="6" r="4"/>` +
    `<path d="M13 14h6l-2 28h-6z"/><circle cx="17" cy="6" r="4"/>` +
    `<path d="M24 14h6l-2 28h-6z"/><circle cx="28" cy="6" r="4"/></g>` +
    `<g fill="#ed1d33"><path d="M35 14h13l-.5 6H41l-.4 5h6l-.5 6h-6L39 42h-6z"/><circle cx="44" cy="6" r="4"/></g>` +
    `</svg>`,
);

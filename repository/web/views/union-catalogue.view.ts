import type { UnionSearchResponse } from '../../harvest/union-search.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';
import { layoutView } from './layout.view.ts';

/** What `/muc-luc-lien-hop` shows: the form, the grouped works, or why the query was refused. */
export type UnionCataloguePage = { q: string } & ({ type: 'form' } | { type: 'results'; response: UnionSearchResponse } | { type: 'invalid'; message: string });

/** `GET /muc-luc-lien-hop`: the union catalogue, each work with the libraries holding it and their digital copies. */
export function unionCatalogueView(context: PageContext, page: UnionCataloguePage): SafeHtml {
  const { t } = context;
  const form = html`<form class="site-search" action="/muc-luc-lien-hop" method="get" role="search">
  <label for="union-q">${t('union.label')}</label>
  <div class="site-search__row">
    <input id="union-q" name="q" type="search" value="${page.q}" autocomplete="off">
    <button type="submit">${t('sitesearch.button')}</button>
  </div>
</form>`;
  let body: SafeHtml = html``;
  if (page.type === 'invalid') body = html`<p class="notice notice--error" role="alert">${page.message}</p>`;
  if (page.type === 'results') {
    body = html`<p class="union__count">${t('union.count', { count: String(page.response.total) })}</p>
<ol class="union__works">
${page.response.groups.map(
  (group) => html`<li class="union__work">
  <h2>${group.title}</h2>
  <p class="union__meta">${[group.creator, group.date, ...group.standardNumbers].filter((value) => value !== null).join(' · ')}</p>
  <ul class="union__holdings">
  ${group.holdings.map(
    (holding) => html`<li class="union__holding" data-origin="${holding.origin}">
    <strong>${holding.library}</strong>${holding.title === group.title ? '' : html` — ${holding.title}`}
    ${holding.documentUrl === null ? '' : html` · <a href="${holding.documentUrl}">${t('union.record')}</a>`}
    ${holding.manifestUrl === null ? html` · ${t('union.noCopy')}` : html` · ${t('union.digitalCopy')} (<a href="${holding.manifestUrl}">IIIF</a>)`}
  </li>`,
  )}
  </ul>
</li>`,
)}
</ol>`;
  }
  const main = html`<h1>${t('union.title')}</h1>
<p class="lead">${t('union.intro')}</p>
${form}
${body}`;
  return layoutView(context, { title: t('union.title'), main, current: 'search' });
}

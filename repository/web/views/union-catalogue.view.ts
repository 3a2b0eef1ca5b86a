import type { UnionSearchResponse } from '../../harvest/union-search.ts';
import { numberFormat } from '../format-number.ts';
import { html, type SafeHtml } from '../html.ts';
import { withLanguage, type PageContext } from '../page-context.ts';
import { layoutView } from './layout.view.ts';

/**
 * What `/muc-luc-lien-hop` shows: the form, one page of the grouped works (`page` from 1), or
 * why the query was refused. `manageSources`: the viewer is an administrator (link to the sources).
 */
export type UnionCataloguePage = { q: string; manageSources: boolean } & (
  | { type: 'form' }
  | { type: 'results'; response: UnionSearchResponse; page: number; pageSize: number }
  | { type: 'invalid'; message: string }
);

/** The page's address for `q` and page `page` (page 1 has no `trang`), as the search page's paging. */
function pageHref(q: string, page: number): string {
  const query = new URLSearchParams({ q });
  if (page > 1) query.set('trang', String(page));
  return `/muc-luc-lien-hop?${query.toString()}`;
}

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
    const { total, groups } = page.response;
    const format = numberFormat(context.language);
    const first = (page.page - 1) * page.pageSize + 1;
    const pageCount = Math.max(1, Math.ceil(total / page.pageSize));
    const count =
      groups.length === 0 || total <= page.pageSize
        ? t('union.count', { count: format.number(total) })
        : t('union.range', { from: format.number(first), to: format.number(first + groups.length - 1), count: format.number(total) });
    const pager =
      pageCount > 1 || page.page > 1
        ? html`<nav class="pager" aria-label="${t('pager.label')}">
  ${page.page > 1 ? html`<a rel="prev" href="${pageHref(page.q, Math.min(page.page - 1, pageCount))}">${t('pager.previous')}</a>` : ''}
  <span>${t('pager.status', { page: page.page, pages: pageCount })}</span>
  ${page.page < pageCount ? html`<a rel="next" href="${pageHref(page.q, page.page + 1)}">${t('pager.next')}</a>` : ''}
</nav>`
        : '';
    body = html`<p class="union__count" data-total="${total}">${count}</p>
<ol class="union__works" start="${first}">
${groups.map(
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
</ol>
${pager}`;
  }
  const main = html`<h1>${t('union.title')}</h1>
<p class="lead">${t('union.intro')}</p>
${page.manageSources ? html`<p><a href="${withLanguage('/quan-tri/nguon-thu-thap', context.language)}">${t('union.manageSources')}</a></p>` : ''}
${form}
${body}`;
  return layoutView(context, { title: t('union.title'), main, current: 'search' });
}

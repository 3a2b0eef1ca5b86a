import type { FacetValue, SearchFacets } from '../../search/search-catalogue.ts';
import type { MessageKey } from '../i18n/vi.ts';
import { numberFormat } from '../format-number.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';
import { SEARCH_PAGE_SIZE, searchHref, type SearchOutcome, type SearchParameters } from '../search-page.ts';
import { layoutView } from './layout.view.ts';

type FacetName = keyof SearchFacets;
const FACETS: readonly { name: FacetName; heading: MessageKey }[] = [
  { name: 'library', heading: 'sitesearch.facet.library' },
  { name: 'collection', heading: 'sitesearch.facet.collection' },
  { name: 'category', heading: 'sitesearch.facet.category' },
  { name: 'script', heading: 'sitesearch.facet.script' },
  { name: 'decade', heading: 'sitesearch.facet.decade' },
];

/**
 * `GET /tim-kiem`: the search form; with a query, the results (title linking to the document,
 * collection, library, snippets whose `<mark>` markup the search module has already escaped),
 * the facets as filter links with counts, the active filters (each removable) and paging.
 */
export function searchView(context: PageContext, outcome: SearchOutcome): SafeHtml {
  const { t } = context;
  const { parameters } = outcome;
  const format = numberFormat(context.language);
  const form = html`<form class="site-search" action="/tim-kiem" method="get" role="search">
  <label for="site-search-q">${t('sitesearch.label')}</label>
  <div class="site-search__row">
    <input id="site-search-q" name="q" type="search" value="${parameters.q ?? ''}" autocomplete="off">
    ${hiddenFilters(parameters)}
    <button type="submit">${t('sitesearch.button')}</button>
  </div>
</form>`;
  let body: SafeHtml = html``;
  if (outcome.type === 'invalid') {
    body = html`<div class="notice notice--error" role="alert"><p><strong>${t('sitesearch.invalid')}</strong></p><p>${explainProblem(context, outcome)}</p></div>`;
  } else if (outcome.type === 'results') {
    const { response, page } = outcome;
    const pageCount = Math.max(1, Math.ceil(response.total / SEARCH_PAGE_SIZE));
    body = html`${activeFilters(context, parameters, response.facets)}
<div class="search-layout">
  <section class="search-results" aria-labelledby="results-heading">
    <h2 id="results-heading" class="search-results__count" data-total="${response.total}">${
      response.total === 0 ? t('sitesearch.none') : t('sitesearch.count', { count: format.number(response.total) })
    }</h2>
    <ol class="result-list" start="${(page - 1) * SEARCH_PAGE_SIZE + 1}">
      ${response.results.map(
        (result) => html`<li class="result" data-item-id="${result.itemId}">
        <h3 class="result__title"><a href="/tai-lieu/${encodeURIComponent(result.itemId)}">${result.title}</a></h3>
        <p class="result__where"><span class="result__id">${result.identifier}</span> · ${result.collection.title} · ${result.library.name}</p>
        ${result.snippets.length === 0 ? '' : html`<ul class="result__snippets">${result.snippets.map(
          (snippet) => html`<li>${snippet.seq === undefined ? '' : html`<span class="result__page">${t('sitesearch.page', { seq: snippet.seq })}:</span> `}${raw(snippet.html)}</li>`,
        )}</ul>`}
      </li>`,
      )}
    </ol>
    ${
      pageCount > 1
        ? html`<nav class="pager" aria-label="${t('pager.label')}">
      ${page > 1 ? html`<a rel="prev" href="${searchHref(parameters, { trang: String(page - 1) })}">${t('pager.previous')}</a>` : ''}
      <span>${t('pager.status', { page, pages: pageCount })}</span>
      ${page < pageCount ? html`<a rel="next" href="${searchHref(parameters, { trang: String(page + 1) })}">${t('pager.next')}</a>` : ''}
    </nav>`
        : ''
    }
  </section>
  ${response.total === 0 && !hasFilter(parameters) ? '' : facetsView(context, parameters, response.facets)}
</div>`;
  }
  const main = html`<link rel="stylesheet" href="/web/assets/pages.css">
<h1>${t('sitesearch.title')}</h1>
${form}
${body}`;
  return layoutView(context, { title: parameters.q === undefined ? t('sitesearch.title') : `${parameters.q} — ${t('sitesearch.title')}`, main, current: 'search' });
}

function hasFilter(parameters: SearchParameters): boolean {
  return ['library', 'collection', 'category', 'script', 'from', 'to'].some((name) => parameters[name as keyof SearchParameters] !== undefined);
}

/** The active filters travel with a new query typed into the form. */
function hiddenFilters(parameters: SearchParameters): SafeHtml[] {
  return (['library', 'collection', 'category', 'script', 'from', 'to'] as const)
    .filter((name) => parameters[name] !== undefined)
    .map((name) => html`<input type="hidden" name="${name}" value="${parameters[name]}">`);
}

function facetLabel(context: PageContext, name: FacetName, value: FacetValue): string {
  if (name === 'category') {
    const key = `category.${value.id}`;
    return key in { 'category.dia-chi': 1, 'category.rare': 1, 'category.endogenous': 1, 'category.other': 1 } ? context.t(key as MessageKey) : value.label;
  }
  return value.label;
}

/** The filter a facet value sets: a decade sets the year range `from`–`to`. */
function facetChange(name: FacetName, value: FacetValue): SearchParameters {
  if (name === 'decade') return { from: value.id, to: String(Number(value.id) + 9) };
  return { [name]: value.id };
}

function isActive(parameters: SearchParameters, name: FacetName, value: FacetValue): boolean {
  if (name === 'decade') return parameters.from === value.id && parameters.to === String(Number(value.id) + 9);
  return parameters[name] === value.id;
}

function facetsView(context: PageContext, parameters: SearchParameters, facets: SearchFacets): SafeHtml {
  const { t } = context;
  const format = numberFormat(context.language);
  return html`<aside class="facets" aria-labelledby="facets-heading">
  <h2 id="facets-heading">${t('sitesearch.refine')}</h2>
  ${FACETS.filter(({ name }) => facets[name].length > 0).map(
    ({ name, heading }) => html`<section class="facet" data-facet="${name}">
    <h3>${t(heading)}</h3>
    <ul>
      ${facets[name].map((value) =>
        isActive(parameters, name, value)
          ? html`<li class="facet__active"><span aria-current="true">${facetLabel(context, name, value)}</span> <span class="facet__count" data-count="${value.count}">${format.number(value.count)}</span></li>`
          : html`<li><a href="${searchHref(parameters, facetChange(name, value))}" data-facet-value="${value.id}">${facetLabel(context, name, value)}</a> <span class="facet__count" data-count="${value.count}">${format.number(value.count)}</span></li>`,
      )}
    </ul>
  </section>`,
  )}
</aside>`;
}

/** The active filters, each a link that removes it. */
function activeFilters(context: PageContext, parameters: SearchParameters, facets: SearchFacets): SafeHtml {
  const { t } = context;
  const label = (name: FacetName, id: string) => {
    const value = facets[name].find((candidate) => candidate.id === id);
    return value === undefined ? id : facetLabel(context, name, value);
  };
  const active: { text: string; remove: Record<string, undefined> }[] = [];
  for (const name of ['library', 'collection', 'category', 'script'] as const) {
    const id = parameters[name];
    if (id !== undefined) active.push({ text: `${t(FACETS.find((f) => f.name === name)!.heading)}: ${label(name, id)}`, remove: { [name]: undefined } });
  }
  if (parameters.from !== undefined || parameters.to !== undefined) {
    active.push({ text: `${t('sitesearch.years')}: ${parameters.from ?? '…'}–${parameters.to ?? '…'}`, remove: { from: undefined, to: undefined } });
  }
  if (active.length === 0) return html``;
  return html`<div class="active-filters"><span>${t('sitesearch.active')}</span>
  <ul>${active.map(
    (filter) => html`<li><a class="chip" href="${searchHref(parameters, filter.remove)}" aria-label="${t('sitesearch.remove', { label: filter.text })}">${filter.text} <span aria-hidden="true">×</span></a></li>`,
  )}</ul></div>`;
}

/** The search form's name of a parameter, whichever layer (page or search) refused it. */
const FIELD_KEYS: Record<string, MessageKey> = {
  q: 'sitesearch.field.q',
  library: 'sitesearch.field.library',
  libraryId: 'sitesearch.field.library',
  collection: 'sitesearch.field.collection',
  collectionId: 'sitesearch.field.collection',
  category: 'sitesearch.field.category',
  script: 'sitesearch.field.script',
  from: 'sitesearch.field.from',
  yearFrom: 'sitesearch.field.from',
  to: 'sitesearch.field.to',
  yearTo: 'sitesearch.field.to',
  trang: 'sitesearch.field.page',
};

/** Why the search was refused, in the reader's language; the server's own text when the reason is not a known one. */
function explainProblem({ t }: PageContext, outcome: Extract<SearchOutcome, { type: 'invalid' }>): SafeHtml | string {
  const found = outcome.problem;
  if (found === undefined) return html`<span lang="en">${outcome.message}</span>`;
  const key = FIELD_KEYS[found.field];
  const field = key === undefined ? found.field : t(key);
  return t(`sitesearch.problem.${found.problem}`, { field, limit: found.limit ?? '' });
}

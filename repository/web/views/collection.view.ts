import type { Collection, Library } from '../../database/domain.types.ts';
import type { BrowseEntry } from '../catalogue.repository.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';
import { layoutView } from './layout.view.ts';

export interface CollectionPage {
  library: Library;
  collection: Collection;
  entries: readonly BrowseEntry[];
  total: number;
  page: number;
  pageCount: number;
}

/** `GET /bo-suu-tap/:collectionId`: a page of the collection's digitised documents. */
export function collectionView(context: PageContext, input: CollectionPage): SafeHtml {
  const { t } = context;
  const { library, collection, entries, page, pageCount } = input;
  const pageHref = (n: number) => `/bo-suu-tap/${encodeURIComponent(collection.id)}${n === 1 ? '' : `?trang=${n}`}`;
  const main = html`<nav aria-label="${t('nav.breadcrumb')}" class="breadcrumb"><ol>
  <li><a href="/">${t('nav.home')}</a></li>
  <li>${library.name}</li>
  <li aria-current="page">${collection.title}</li>
</ol></nav>
<h1>${collection.title}</h1>
<p class="lead">${t(`category.${collection.category}`)} · ${t('collection.count', { count: input.total.toLocaleString(context.language) })}</p>
${collection.description !== '' ? html`<p class="description">${collection.description}</p>` : ''}
${
  entries.length === 0
    ? html`<p>${t('collection.empty')}</p>`
    : html`<h2 class="visually-hidden">${t('collection.documents')}</h2>
<ul class="document-grid">
  ${entries.map(
    (entry) => html`<li class="document-card">
    <a href="/tai-lieu/${encodeURIComponent(entry.id)}">
      <span class="document-card__thumb">${
        entry.firstPageId === null
          ? ''
          : html`<img src="/api/pages/${encodeURIComponent(entry.firstPageId)}/thumbnail" alt="" loading="lazy">`
      }</span>
      <span class="document-card__title">${entry.title}</span>
      <span class="document-card__id">${entry.identifier}</span>
    </a>
  </li>`,
  )}
</ul>`
}
${
  pageCount > 1
    ? html`<nav class="pager" aria-label="${t('pager.label')}">
  ${page > 1 ? html`<a rel="prev" href="${pageHref(page - 1)}">${t('pager.previous')}</a>` : ''}
  <span>${t('pager.status', { page, pages: pageCount })}</span>
  ${page < pageCount ? html`<a rel="next" href="${pageHref(page + 1)}">${t('pager.next')}</a>` : ''}
</nav>`
    : ''
}`;
  return layoutView(context, { title: collection.title, main });
}

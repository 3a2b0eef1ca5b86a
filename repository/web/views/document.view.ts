import type { Collection, Item, Library } from '../../database/domain.types.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';
import { dublinCoreList } from './dublin-core-list.view.ts';
import { IIIF_LOGO } from './iiif-logo.view.ts';
import { layoutView } from './layout.view.ts';

export interface DocumentPage {
  library: Library;
  collection: Collection;
  item: Item;
  /** `{publicBaseUrl}/iiif/manifest/{itemId}`. */
  manifestUrl: string;
}

/** `GET /tai-lieu/:itemId` for a document the viewer may see: metadata, viewer, search inside, links. */
export function documentView(context: PageContext, input: DocumentPage): SafeHtml {
  const { t } = context;
  const { library, collection, item, manifestUrl } = input;
  const id = encodeURIComponent(item.id);
  const digitised = item.status === 'digitised';
  const main = html`<nav aria-label="${t('nav.breadcrumb')}" class="breadcrumb"><ol>
  <li><a href="/">${t('nav.home')}</a></li>
  <li><a href="/bo-suu-tap/${encodeURIComponent(collection.id)}">${collection.title}</a></li>
  <li aria-current="page">${item.title}</li>
</ol></nav>
<h1>${item.title}</h1>
${
  digitised
    ? html`<section class="viewer" aria-labelledby="viewer-heading">
  <h2 id="viewer-heading" class="visually-hidden">${t('document.viewer')}</h2>
  <iframe class="viewer__frame" src="/viewer/${id}" title="${t('document.viewerFrame', { title: item.title })}" allowfullscreen></iframe>
</section>`
    : html`<p class="notice">${t('document.notDigitised')}</p>`
}
<div class="document-columns">
  <section aria-labelledby="metadata-heading">
    <h2 id="metadata-heading">${t('document.metadata')}</h2>
    <dl class="metadata">
      ${dublinCoreList(context, item.dublinCore)}
      <div><dt>${t('document.callNumber')}</dt><dd>${item.identifier}</dd></div>
      <div><dt>${t('document.collection')}</dt><dd><a href="/bo-suu-tap/${encodeURIComponent(collection.id)}">${collection.title}</a></dd></div>
      <div><dt>${t('document.library')}</dt><dd>${library.name}</dd></div>
    </dl>
  </section>
  ${
    digitised
      ? html`<div class="document-tools">
  <section aria-labelledby="search-heading" class="search-inside">
    <h2 id="search-heading">${t('search.title')}</h2>
    <form data-search-inside data-endpoint="/iiif/search/${id}" data-msg-searching="${t('search.searching')}"
      data-msg-none="${t('search.none')}" data-msg-count="${t('search.count')}" data-msg-page="${t('search.page')}"
      data-msg-error="${t('search.error')}" action="/iiif/search/${id}" method="get" role="search">
      <label for="search-inside-q">${t('search.label')}</label>
      <div class="search-inside__row">
        <input id="search-inside-q" name="q" type="search" required autocomplete="off">
        <button type="submit">${t('search.button')}</button>
      </div>
    </form>
    <p class="search-inside__status" role="status" aria-live="polite"></p>
    <ol class="search-inside__hits"></ol>
  </section>
  <section aria-labelledby="links-heading" class="document-links">
    <h2 id="links-heading">${t('links.title')}</h2>
    <ul>
      <li><a class="button" href="/api/items/${id}/pdf" download>${t('links.pdf')}</a></li>
      <li class="manifest-link">
        <a href="${manifestUrl}" title="${t('links.logo')}" aria-label="${t('links.logo')}">${IIIF_LOGO}</a>
        <label for="manifest-url">${t('links.manifestUrl')}</label>
        <input id="manifest-url" type="text" readonly value="${manifestUrl}">
      </li>
      <li><a href="/viewer?manifest=${encodeURIComponent(manifestUrl)}">${t('links.openViewer')}</a></li>
    </ul>
  </section>
</div>`
      : ''
  }
</div>`;
  return layoutView(context, { title: item.title, main, scripts: digitised ? ['search-inside.js'] : [] });
}

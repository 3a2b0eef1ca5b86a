import type { Collection, Library } from '../../database/domain.types.ts';
import type { CollectionCounts } from '../catalogue.repository.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';
import { layoutView } from './layout.view.ts';

export interface HomeLibrary {
  library: Library;
  collections: { collection: Collection; counts: CollectionCounts }[];
}

/** `GET /`: every library with its collections and their counts (public information). */
export function homeView(context: PageContext, libraries: readonly HomeLibrary[]): SafeHtml {
  const { t } = context;
  const main = html`<h1>${t('home.title')}</h1>
<p class="lead">${t('home.intro')}</p>
${libraries.length === 0 ? html`<p>${t('home.empty')}</p>` : ''}
${libraries.map(
  ({ library, collections }) => html`<section class="library" aria-labelledby="library-${library.id}">
  <h2 id="library-${library.id}">${library.name} <span class="library__province">${library.province}</span></h2>
  ${
    collections.length === 0
      ? html`<p>${t('home.noCollections')}</p>`
      : html`<ul class="collection-list">
    ${collections.map(
      ({ collection, counts }) => html`<li class="collection-card">
      <h3><a href="/bo-suu-tap/${encodeURIComponent(collection.id)}">${collection.title}</a></h3>
      <p class="collection-card__category">${t(`category.${collection.category}`)}</p>
      <dl class="counts">
        <div><dt>${t('home.registered')}</dt><dd>${counts.registered.toLocaleString(context.language)}</dd></div>
        <div><dt>${t('home.digitised')}</dt><dd>${counts.digitised.toLocaleString(context.language)}</dd></div>
      </dl>
    </li>`,
    )}
  </ul>`
  }
</section>`,
)}`;
  return layoutView(context, { title: t('nav.home'), main, current: 'home' });
}

import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';
import { layoutView } from './layout.view.ts';

/** The 404 page, in the request's language. */
export function notFoundView(context: PageContext): SafeHtml {
  const { t } = context;
  const main = html`<h1>${t('notFound.title')}</h1>
<p>${t('notFound.body')}</p>
<p><a href="/">${t('notFound.home')}</a></p>`;
  return layoutView(context, { title: t('notFound.title'), main });
}

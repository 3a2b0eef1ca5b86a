import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';
import { layoutView } from './layout.view.ts';

/** A 400 page: the request cannot be answered, with the server's reason (in English). */
export function invalidRequestView(context: PageContext, message: string): SafeHtml {
  const { t } = context;
  const main = html`<h1>${t('invalid.title')}</h1>
<div class="notice" role="alert"><p lang="en">${message}</p></div>
<p><a href="/">${t('notFound.home')}</a></p>`;
  return layoutView(context, { title: t('invalid.title'), main });
}

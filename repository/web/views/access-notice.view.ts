import type { AccessLevel } from '../../database/domain.types.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';
import { layoutView } from './layout.view.ts';

/**
 * A document the viewer may not see. No content links; and for a confidential document not
 * even its title, which is staff-only information too.
 */
export function accessNoticeView(context: PageContext, level: Exclude<AccessLevel, 'public'>): SafeHtml {
  const { t } = context;
  const title = level === 'restricted' ? t('restricted.title') : t('confidential.title');
  const main = html`<h1>${title}</h1>
<p class="notice">${level === 'restricted' ? t('restricted.body') : t('confidential.body')}</p>
<p><a href="/">${t('notFound.home')}</a></p>`;
  return layoutView(context, { title, main });
}

import type { AuditEntry } from '../../auth/audit-log.repository.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';
import { layoutView } from './layout.view.ts';

const OUTCOME_KEYS = { ok: 'audit.outcome.ok', denied: 'audit.outcome.denied', failed: 'audit.outcome.failed' } as const;

/** `GET /quan-tri/nhat-ky`: the newest audit lines, filterable by action, with the CSV export. */
export function auditView(context: PageContext, page: { entries: AuditEntry[]; action?: string; limit: number }): SafeHtml {
  const { t, language } = context;
  const when = new Intl.DateTimeFormat(language === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' });
  const csv = `/quan-tri/nhat-ky.csv${page.action === undefined ? '' : `?action=${encodeURIComponent(page.action)}`}`;
  const main = html`<h1>${t('audit.title')}</h1>
<p>${t('audit.intro', { count: page.limit })}</p>
<form class="audit-filter" action="/quan-tri/nhat-ky" method="get">
  <label for="audit-action">${t('audit.action')}</label>
  <input id="audit-action" name="action" value="${page.action ?? ''}" placeholder="login, content.read, token.use…">
  <button type="submit">${t('audit.filter')}</button>
  <a class="button" href="${csv}" download>${t('audit.csv')}</a>
</form>
<div class="table-scroll"><table class="progress-table audit-table">
  <thead><tr><th scope="col">${t('audit.at')}</th><th scope="col">${t('audit.actor')}</th><th scope="col">${t('audit.action')}</th><th scope="col">${t('audit.target')}</th><th scope="col">${t('audit.outcome')}</th><th scope="col">IP</th></tr></thead>
  <tbody>
  ${page.entries.map(
    (entry) => html`<tr data-outcome="${entry.outcome}">
    <td data-label="${t('audit.at')}"><time datetime="${entry.at.toISOString()}">${when.format(entry.at)}</time></td>
    <td data-label="${t('audit.actor')}">${entry.actorName} <small>(${entry.actorVia})</small></td>
    <td data-label="${t('audit.action')}"><code>${entry.action}</code></td>
    <td data-label="${t('audit.target')}">${entry.targetType === null ? '—' : `${entry.targetType} ${entry.targetId ?? ''}`}</td>
    <td data-label="${t('audit.outcome')}">${t(OUTCOME_KEYS[entry.outcome])}</td>
    <td data-label="IP">${entry.ip ?? '—'}</td>
  </tr>`,
  )}
  </tbody>
</table></div>`;
  return layoutView(context, { title: t('audit.title'), main, current: 'admin' });
}

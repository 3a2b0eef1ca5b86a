import type { HarvestSource } from '../../harvest/harvest-source.repository.ts';
import type { HarvestRun } from '../../harvest/harvester.ts';
import { numberFormat } from '../format-number.ts';
import { html, type SafeHtml } from '../html.ts';
import { withLanguage, type PageContext } from '../page-context.ts';
import { ASSETS, layoutView } from './layout.view.ts';

/** What the last action on the list page did, shown above the list. */
export type HarvestNotice =
  | { type: 'harvested'; source: HarvestSource; run: HarvestRun }
  | { type: 'failed'; source: HarvestSource; message: string }
  | { type: 'deleted'; name: string; records: number };

export interface HarvestSourcesPage {
  sources: readonly HarvestSource[];
  /** Records held now per source id (see `HarvestSourceRepository.heldRecordCounts`). */
  records: ReadonlyMap<string, number>;
  notice?: HarvestNotice;
}

export const HARVEST_SOURCES_PATH = '/quan-tri/nguon-thu-thap';

export const sourcePath = (source: { id: string }, action = '') => `${HARVEST_SOURCES_PATH}/${encodeURIComponent(source.id)}${action}`;

/** Date and time in Vietnam's zone, as the audit log writes them. */
export function dateTimeFormat(context: PageContext): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(context.language === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' });
}

/** `GET /quan-tri/nguon-thu-thap`: every OAI-PMH source, its settings, its last harvest and its actions. */
export function harvestSourcesView(context: PageContext, page: HarvestSourcesPage): SafeHtml {
  const { t, language } = context;
  const format = numberFormat(language);
  const when = dateTimeFormat(context);
  const csrf = html`<input type="hidden" name="_csrf" value="${context.csrfToken ?? ''}">`;
  const row = (source: HarvestSource) => html`<tr data-source-id="${source.id}" data-enabled="${String(source.enabled)}">
    <th scope="row">${source.name}</th>
    <td data-label="${t('harvest.baseUrl')}"><code class="harvest-url">${source.baseUrl}</code></td>
    <td data-label="${t('harvest.setSpec')}">${source.setSpec ?? t('harvest.allSets')}</td>
    <td data-label="${t('harvest.state')}">${source.enabled ? t('harvest.enabled') : t('harvest.disabled')}</td>
    <td data-label="${t('harvest.interval')}" class="num">${t('harvest.everyMinutes', { count: format.number(source.intervalMinutes) })}</td>
    <td data-label="${t('harvest.lastSuccess')}">${
      source.lastSuccessAt === null ? t('harvest.never') : html`<time datetime="${source.lastSuccessAt.toISOString()}">${when.format(source.lastSuccessAt)}</time>`
    }</td>
    <td data-label="${t('harvest.lastError')}" class="harvest-error">${source.lastError ?? '—'}</td>
    <td data-label="${t('harvest.records')}" class="num" data-records="${page.records.get(source.id) ?? 0}">${format.number(page.records.get(source.id) ?? 0)}</td>
    <td data-label="${t('harvest.actions')}"><div class="harvest-actions">
      <form action="${withLanguage(sourcePath(source, '/thu-thap'), language)}" method="post">${csrf}<button type="submit" aria-label="${t('harvest.harvestNowLabel', { name: source.name })}">${t('harvest.harvestNow')}</button></form>
      <form action="${withLanguage(sourcePath(source, '/trang-thai'), language)}" method="post">${csrf}<input type="hidden" name="enabled" value="${String(!source.enabled)}"><button class="button--secondary" type="submit" aria-label="${t(source.enabled ? 'harvest.disableLabel' : 'harvest.enableLabel', { name: source.name })}">${t(source.enabled ? 'harvest.disable' : 'harvest.enable')}</button></form>
      <a href="${withLanguage(sourcePath(source), language)}" aria-label="${t('harvest.editLabel', { name: source.name })}">${t('records.edit')}</a>
      <a href="${withLanguage(sourcePath(source, '/xoa'), language)}" aria-label="${t('harvest.deleteLabel', { name: source.name })}">${t('harvest.delete')}</a>
    </div></td>
  </tr>`;
  const main = html`<link rel="stylesheet" href="${ASSETS}/pages.css">
<p class="record-back"><a href="${withLanguage('/quan-tri', language)}">${t('records.back')}</a></p>
<h1>${t('harvest.title')}</h1>
<p class="lead">${t('harvest.intro')}</p>
${page.notice === undefined ? '' : noticeView(context, page.notice)}
<p class="admin-actions">
  <a class="button" href="${withLanguage(`${HARVEST_SOURCES_PATH}/moi`, language)}">${t('harvest.add')}</a>
  <a class="button button--secondary" href="${withLanguage('/muc-luc-lien-hop', language)}">${t('union.title')}</a>
</p>
${
  page.sources.length === 0
    ? html`<p>${t('harvest.none')}</p>`
    : html`<div class="table-scroll"><table class="progress-table harvest-sources">
  <thead><tr><th scope="col">${t('harvest.name')}</th><th scope="col">${t('harvest.baseUrl')}</th><th scope="col">${t('harvest.setSpec')}</th><th scope="col">${t('harvest.state')}</th><th scope="col">${t('harvest.interval')}</th><th scope="col">${t('harvest.lastSuccess')}</th><th scope="col">${t('harvest.lastError')}</th><th scope="col">${t('harvest.records')}</th><th scope="col">${t('harvest.actions')}</th></tr></thead>
  <tbody>
  ${page.sources.map(row)}
  </tbody>
</table></div>`
}`;
  return layoutView(context, { title: t('harvest.title'), main, current: 'admin' });
}

function noticeView(context: PageContext, notice: HarvestNotice): SafeHtml {
  const { t } = context;
  const format = numberFormat(context.language);
  if (notice.type === 'failed') {
    return html`<div class="notice notice--error harvest-outcome" role="alert" data-outcome="failed"><p><strong>${t('harvest.outcome.failed', { name: notice.source.name })}</strong></p><p>${notice.message}</p></div>`;
  }
  if (notice.type === 'deleted') {
    return html`<p class="notice harvest-outcome" role="status" data-outcome="deleted">${t('harvest.outcome.deleted', { name: notice.name, records: format.number(notice.records) })}</p>`;
  }
  const { run } = notice;
  return html`<p class="notice harvest-outcome" role="status" data-outcome="harvested" data-harvested="${run.harvested}" data-deleted="${run.deleted}" data-pages="${run.pages}">${t(
    run.from === null ? 'harvest.outcome.full' : 'harvest.outcome.incremental',
    { name: notice.source.name, harvested: format.number(run.harvested), deleted: format.number(run.deleted), pages: format.number(run.pages), records: format.number(run.recordCount), from: run.from ?? '' },
  )}</p>`;
}

/** `GET /quan-tri/nguon-thu-thap/:id/xoa`: what deleting the source removes, and the button that does it. */
export function harvestSourceDeleteView(context: PageContext, source: HarvestSource, records: number): SafeHtml {
  const { t, language } = context;
  const title = t('harvest.deleteTitle', { name: source.name });
  const main = html`<link rel="stylesheet" href="${ASSETS}/pages.css">
<p class="record-back"><a href="${withLanguage(HARVEST_SOURCES_PATH, language)}">${t('harvest.back')}</a></p>
<h1>${title}</h1>
<p>${t('harvest.deleteExplain', { records: numberFormat(language).number(records), url: source.baseUrl })}</p>
<form class="record-form" action="${withLanguage(sourcePath(source, '/xoa'), language)}" method="post">
  <input type="hidden" name="_csrf" value="${context.csrfToken ?? ''}">
  <p class="record-form__actions">
    <button type="submit">${t('harvest.deleteConfirm')}</button>
    <a href="${withLanguage(HARVEST_SOURCES_PATH, language)}">${t('records.cancel')}</a>
  </p>
</form>`;
  return layoutView(context, { title, main, current: 'admin' });
}

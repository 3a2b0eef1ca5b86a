import type { MessageKey } from '../i18n/vi.ts';
import type { FixityFailure } from '../../fixity/fixity-check.repository.ts';
import type { CollectionProgress, LibraryProgress, ProgressFigures, ProgressStatistics } from '../../stats/progress-statistics.ts';
import { numberFormat, type NumberFormat } from '../format-number.ts';
import { html, type SafeHtml } from '../html.ts';
import type { MonthlyBurnUp } from '../monthly-burn-up.ts';
import type { PageContext } from '../page-context.ts';
import { burnUpChartView } from './burn-up-chart.view.ts';
import { layoutView } from './layout.view.ts';

export interface AdminPage {
  statistics: ProgressStatistics;
  /** Burn-up per collection id (dashboard only). */
  charts?: ReadonlyMap<string, MonthlyBurnUp>;
  /** Objects failing their last fixity audit (dashboard only). */
  fixityFailures?: readonly FixityFailure[];
}

/** The objects whose last fixity audit failed, first on the dashboard: an irreplaceable master may be damaged. */
function fixityAlert(context: PageContext, failures: readonly FixityFailure[]): SafeHtml {
  const { t } = context;
  if (failures.length === 0) return html``;
  return html`<section class="fixity-alert" role="alert" aria-labelledby="fixity-alert-title">
  <h2 id="fixity-alert-title">${t('fixity.alert', { count: failures.length })}</h2>
  <p>${t('fixity.alertBody')}</p>
  <div class="table-scroll"><table class="progress-table fixity-table">
    <thead><tr><th scope="col">${t('fixity.object')}</th><th scope="col">${t('fixity.document')}</th><th scope="col">${t('fixity.outcome')}</th><th scope="col">${t('fixity.checkedAt')}</th></tr></thead>
    <tbody>${failures.map(
      (failure) => html`<tr data-fixity-key="${failure.key}">
      <td data-label="${t('fixity.object')}"><code>${failure.key}</code></td>
      <td data-label="${t('fixity.document')}">${failure.itemId === null ? '—' : html`<a href="/bien-muc/tai-lieu/${encodeURIComponent(failure.itemId)}">${failure.itemIdentifier ?? ''} ${failure.itemTitle ?? ''}</a>`}</td>
      <td data-label="${t('fixity.outcome')}">${t(`fixity.outcome.${failure.outcome}`)}</td>
      <td data-label="${t('fixity.checkedAt')}"><time datetime="${failure.checkedAt.toISOString()}">${failure.checkedAt.toISOString().slice(0, 16).replace('T', ' ')}</time></td>
    </tr>`,
    )}</tbody>
  </table></div>
</section>`;
}

/** The numbers of a row as data attributes, written as the JSON API writes them (for checks and scripts). */
function dataAttributes(level: 'library' | 'collection', id: string, f: ProgressFigures): SafeHtml {
  const text = (value: number | string | boolean | null) => (value === null ? '' : String(value));
  return html`data-level="${level}" data-id="${id}" data-holdings="${f.holdings}" data-registered="${f.registered}" data-digitised="${f.digitised}" data-percent="${f.percentDigitised}" data-target-percent="${f.targetPercent}" data-target-date="${text(f.targetDate)}" data-on-track="${text(f.onTrack)}" data-needed="${text(f.neededPerMonth)}" data-achieved="${text(f.achievedPerMonth)}" data-pages="${f.pagesDigitised}" data-failures="${f.failuresWaiting}"`;
}

function paceView(context: PageContext, format: NumberFormat, f: ProgressFigures): SafeHtml {
  const { t } = context;
  const status =
    f.onTrack === null
      ? html`<span class="pace pace--none">${t('admin.noDeadline')}</span>`
      : f.onTrack
        ? html`<span class="pace pace--ok">${t('admin.onTrack')}</span>`
        : html`<span class="pace pace--behind">${t('admin.behind')}</span>`;
  const rate =
    f.neededPerMonth === null && f.achievedPerMonth === null
      ? ''
      : html`<br><small>${t('admin.perMonth', {
          needed: f.neededPerMonth === null ? '—' : format.number(f.neededPerMonth),
          achieved: f.achievedPerMonth === null ? '—' : format.number(f.achievedPerMonth),
        })}</small>`;
  return html`${status}${rate}`;
}

function figuresCells(context: PageContext, format: NumberFormat, f: ProgressFigures): SafeHtml {
  const { t } = context;
  const width = Math.min(100, Math.max(0, f.percentDigitised));
  // data-label names each figure where a narrow screen shows the rows as cards (pages.css).
  return html`<td class="num" data-label="${t('admin.holdings')}">${format.number(f.holdings)}</td>
    <td class="num" data-label="${t('admin.registered')}">${format.number(f.registered)}</td>
    <td class="num" data-label="${t('admin.digitised')}">${format.number(f.digitised)}</td>
    <td class="progress-cell" data-label="${t('admin.percent')}"><span class="percent">${format.percent(f.percentDigitised)}</span>
      <span class="bar" aria-hidden="true"><span class="bar__fill" style="width: ${width}%"></span>${
        f.targetPercent > 0 ? html`<span class="bar__target" style="left: ${Math.min(100, f.targetPercent)}%"></span>` : ''
      }</span></td>
    <td data-label="${t('admin.target')}">${f.targetPercent > 0 ? format.percent(f.targetPercent) : '—'}${
      f.targetDate === null ? '' : html`<br><small>${t('admin.by')} <time datetime="${f.targetDate}">${format.day(f.targetDate)}</time></small>`
    }</td>
    <td data-label="${t('admin.pace')}">${paceView(context, format, f)}</td>
    <td class="num" data-label="${t('admin.pages')}">${format.number(f.pagesDigitised)}</td>
    <td class="num" data-label="${t('admin.failures')}">${format.number(f.failuresWaiting)}</td>`;
}

/** The dashboard's link to a collection's form (not on the printed report). */
function editCollectionLink(context: PageContext, collection: CollectionProgress): SafeHtml {
  const { t } = context;
  return html` <a class="edit-link no-print" href="/quan-tri/bo-suu-tap/${encodeURIComponent(collection.id)}" aria-label="${t('records.editCollectionLabel', { title: collection.title })}">${t('records.edit')}</a>`;
}

function libraryTable(context: PageContext, format: NumberFormat, library: LibraryProgress, editable: boolean): SafeHtml {
  const { t } = context;
  return html`<div class="table-scroll"><table class="progress-table">
  <caption class="visually-hidden">${library.name}</caption>
  <thead><tr>
    <th scope="col">${t('admin.collection')}</th><th scope="col" class="num">${t('admin.holdings')}</th>
    <th scope="col" class="num">${t('admin.registered')}</th><th scope="col" class="num">${t('admin.digitised')}</th>
    <th scope="col">${t('admin.percent')}</th><th scope="col">${t('admin.target')}</th><th scope="col">${t('admin.pace')}</th>
    <th scope="col" class="num">${t('admin.pages')}</th><th scope="col" class="num">${t('admin.failures')}</th>
  </tr></thead>
  <tbody>
    ${library.collections.map(
      (collection) => html`<tr ${dataAttributes('collection', collection.id, collection)}>
      <th scope="row"><a href="/bo-suu-tap/${encodeURIComponent(collection.id)}">${collection.title}</a><br><small>${t(`category.${collection.category}`)}</small>${editable ? editCollectionLink(context, collection) : ''}</th>
      ${figuresCells(context, format, collection)}
    </tr>`,
    )}
  </tbody>
  <tfoot><tr ${dataAttributes('library', library.id, library)}>
    <th scope="row">${t('admin.total')}</th>
    ${figuresCells(context, format, library)}
  </tr></tfoot>
</table></div>`;
}

/** The import's problem and skip codes (and field names) in the page language, for the script to explain each row. */
function importProblemMessages({ t }: PageContext): Record<string, string> {
  return Object.fromEntries(IMPORT_PROBLEM_KEYS.map((key) => [key.slice('admin.import.'.length), t(key)]));
}

const IMPORT_PROBLEM_KEYS = [
  'admin.import.problem.unclosed-quote',
  'admin.import.problem.text-after-quote',
  'admin.import.problem.quote-in-field',
  'admin.import.problem.identifier-empty',
  'admin.import.problem.title-empty',
  'admin.import.problem.too-long',
  'admin.import.problem.year-invalid',
  'admin.import.skip.repeated-in-file',
  'admin.import.skip.already-registered',
  'admin.import.problem.structure-invalid',
  'admin.import.problem.truncated',
  'admin.import.problem.not-utf8',
  'admin.import.problem.record-too-long',
  'admin.import.problem.title-missing',
  'admin.import.problem.identifier-missing',
  'admin.import.problem.too-many-values',
  'admin.import.skip.marc-8',
  'admin.import.skip.not-bibliographic',
  'admin.import.skipRecord.repeated-in-file',
  'admin.import.field.identifier',
  'admin.import.field.title',
  'admin.import.field.author',
] as const satisfies readonly MessageKey[];

function importForm(context: PageContext, collection: CollectionProgress): SafeHtml {
  const { t } = context;
  const id = encodeURIComponent(collection.id);
  const inputId = `holdings-file-${collection.id}`;
  return html`<form class="holdings-import" data-holdings-import data-collection-id="${collection.id}" action="/api/collections/${id}/holdings" data-marc-action="/api/collections/${id}/marc" method="post" enctype="multipart/form-data"
    data-msg-sending="${t('admin.import.sending')}" data-msg-result="${t('admin.import.result')}" data-msg-skipped="${t('admin.import.skippedLine')}"
    data-msg-error="${t('admin.import.errorLine')}" data-msg-skipped-record="${t('admin.import.skippedRecord')}" data-msg-error-record="${t('admin.import.errorRecord')}"
    data-msg-failed="${t('admin.import.failed')}" data-msg-choose="${t('admin.import.choose')}"
    data-msg-problems="${JSON.stringify(importProblemMessages(context))}">
    <label for="${inputId}">${t('admin.import.label', { title: collection.title })}</label>
    <div class="holdings-import__row">
      <input id="${inputId}" name="file" type="file" accept=".csv,text/csv,.xml,.mrc,application/marc,application/marcxml+xml" required>
      <button type="submit">${t('admin.import.button')}</button>
    </div>
    <div class="holdings-import__result" role="status" aria-live="polite"></div>
  </form>`;
}

/** A library's links to its own form and to a new collection in it. */
function libraryActions(context: PageContext, library: LibraryProgress): SafeHtml {
  const { t } = context;
  const id = encodeURIComponent(library.id);
  return html`<p class="admin-library__actions no-print">
    <a href="/quan-tri/thu-vien/${id}" aria-label="${t('records.editLibraryLabel', { name: library.name })}">${t('records.editLibrary')}</a>
    <a href="/quan-tri/bo-suu-tap/moi?thu-vien=${id}" aria-label="${t('records.addCollectionLabel', { name: library.name })}">${t('records.addCollection')}</a>
  </p>`;
}

/** `GET /quan-tri`: progress per library and collection, burn-up charts, CSV and report links, holdings import. */
export function adminView(context: PageContext, input: AdminPage): SafeHtml {
  const { t } = context;
  const format = numberFormat(context.language);
  const { statistics } = input;
  const dateQuery = `date=${statistics.asOf}`;
  const main = html`<link rel="stylesheet" href="/web/assets/pages.css">
<h1>${t('admin.title')}</h1>
<p class="lead" data-as-of="${statistics.asOf}">${t('admin.asOf', { date: format.day(statistics.asOf) })}</p>
<p class="admin-actions">
  <a class="button" href="/api/reports/progress.csv?${dateQuery}" download>${t('admin.csv')}</a>
  <a class="button button--secondary" href="/quan-tri/bao-cao?${dateQuery}">${t('admin.print')}</a>
  <a class="button button--secondary" href="/quan-tri/thu-vien/moi">${t('records.addLibrary')}</a>
  <a class="button button--secondary" href="/quan-tri/nhat-ky">${t('audit.link')}</a>
  <a class="button button--secondary" href="/quan-tri/nguon-thu-thap">${t('harvest.link')}</a>
  <a class="button button--secondary" href="/api/reports/fixity.csv" download>${t('fixity.csv')}</a>
  <a class="button button--secondary" href="/quan-tri/bo-suu-tap/moi">${t('records.addCollection')}</a>
</p>
${fixityAlert(context, input.fixityFailures ?? [])}
${statistics.libraries.length === 0 ? html`<p>${t('home.empty')}</p>` : ''}
${statistics.libraries.map(
  (library) => html`<section class="admin-library" aria-labelledby="library-${library.id}">
  <h2 id="library-${library.id}">${library.name} <span class="library__province">${library.province}</span></h2>
  ${libraryActions(context, library)}
  ${library.collections.length === 0 ? html`<p>${t('home.noCollections')}</p>` : libraryTable(context, format, library, true)}
  ${library.collections.length === 0 ? '' : html`<div class="admin-cards">
    ${library.collections.map((collection) => {
      const chart = input.charts?.get(collection.id);
      return html`<section class="admin-card" aria-labelledby="card-${collection.id}">
      <h3 id="card-${collection.id}">${collection.title}</h3>
      ${chart === undefined ? '' : burnUpChartView(context, `chart-${collection.id}`, collection.title, chart)}
      ${importForm(context, collection)}
    </section>`;
    })}
  </div>`}
</section>`,
)}`;
  return layoutView(context, { title: t('admin.title'), main, current: 'admin', scripts: ['holdings-import.js'] });
}

/** `GET /quan-tri/bao-cao`: the same tables as the dashboard, for printing (no forms, no charts). */
export function adminReportView(context: PageContext, input: AdminPage): SafeHtml {
  const { t } = context;
  const format = numberFormat(context.language);
  const { statistics } = input;
  const main = html`<link rel="stylesheet" href="/web/assets/pages.css">
<div class="report">
<p class="no-print"><a href="/quan-tri?date=${statistics.asOf}">${t('admin.report.back')}</a></p>
<h1>${t('admin.report.title')}</h1>
<p class="lead" data-as-of="${statistics.asOf}">${t('admin.asOf', { date: format.day(statistics.asOf) })}</p>
${statistics.libraries.map(
  (library) => html`<section class="admin-library">
  <h2>${library.name} <span class="library__province">${library.province}</span></h2>
  ${library.collections.length === 0 ? html`<p>${t('home.noCollections')}</p>` : libraryTable(context, format, library, false)}
</section>`,
)}
</div>`;
  return layoutView(context, { title: t('admin.report.title'), main, current: 'admin' });
}

import { html, raw, type SafeHtml } from '../html.ts';
import type { MessageKey } from '../i18n/vi.ts';
import { withLanguage, type PageContext } from '../page-context.ts';
import { ASSETS, layoutView } from './layout.view.ts';
import { PAGE_STAGES, type Collection, type Item, type Library, type Page } from '../../database/domain.types.ts';

export interface CollectionChoice {
  library: Library;
  collections: Collection[];
}

/** The messages the operator scripts need, handed over as JSON data (no inline script runs). */
const SCRIPT_KEYS = [
  'operator.register.saving',
  'operator.register.failed',
  'operator.register.network',
  'operator.item.hashing',
  'operator.item.waiting',
  'operator.item.uploading',
  'operator.item.uploaded',
  'operator.item.retrying',
  'operator.item.adding',
  'operator.item.moveUp',
  'operator.item.moveDown',
  'operator.item.moveFailed',
  'operator.item.uploadFailed',
  'operator.item.leaveWarning',
  'operator.item.page',
  'operator.item.thumbnail',
  'operator.item.rerun',
  'operator.item.rerunFailed',
  'operator.item.processing',
  'operator.item.processFailed',
  'operator.item.live',
  'operator.item.offline',
  'operator.item.noPages',
  'operator.stage.validate',
  'operator.stage.deskew',
  'operator.stage.derivatives',
  'operator.stage.ocr',
  'operator.status.pending',
  'operator.status.running',
  'operator.status.processing',
  'operator.status.done',
  'operator.status.failed',
  'operator.status.skipped',
  'operator.status.registered',
  'operator.status.uploading',
  'operator.status.digitised',
  'operator.reason.unreadable',
  'operator.reason.damaged',
  'operator.reason.tooLarge',
  'operator.reason.missing',
  'operator.reason.format',
  'operator.reason.checksum',
  'operator.reason.busy',
  'operator.reason.server',
  'ocrFix.link',
] as const satisfies readonly MessageKey[];

function scriptMessages(context: PageContext): SafeHtml {
  const messages = Object.fromEntries(SCRIPT_KEYS.map((key) => [key, context.t(key)]));
  // JSON inside a data block: `<` is escaped so that no `</script>` can end it early.
  const json = JSON.stringify(messages).replace(/</g, '\\u003c');
  return html`<script type="application/json" id="operator-messages">${raw(json)}</script>`;
}

const STYLESHEET = html`<link rel="stylesheet" href="${ASSETS}/operator.css">`;

function statusKey(status: string): MessageKey {
  const key = `operator.status.${status}`;
  return (SCRIPT_KEYS as readonly string[]).includes(key) ? (key as MessageKey) : 'operator.status.pending';
}

/** `GET /bien-muc/tai-lieu-moi`: register a document, or find one already registered. */
export function registerView(context: PageContext, choices: CollectionChoice[], find?: { collectionId: string; identifier: string }): SafeHtml {
  const { t } = context;
  const options = (selected?: string) =>
    choices
      .filter((choice) => choice.collections.length > 0)
      .map(
        (choice) => html`<optgroup label="${choice.library.name}">${choice.collections.map(
          (collection) => html`<option value="${collection.id}"${collection.id === selected ? html` selected` : ''}>${collection.title}</option>`,
        )}</optgroup>`,
      );
  const hasCollections = choices.some((choice) => choice.collections.length > 0);
  const main = html`${STYLESHEET}
<h1>${t('operator.register.title')}</h1>
<p>${t('operator.register.intro')}</p>
${hasCollections ? '' : html`<p class="operator-notice" role="alert">${t('operator.register.noCollections')}</p>`}
<form class="operator-form" data-operator-register action="/api/items" method="post" novalidate>
  <div class="operator-form__grid">
    <label>${t('operator.register.collection')}<select name="collectionId" required>${options()}</select></label>
    <label>${t('operator.register.identifier')}<input name="identifier" required maxlength="200" autocomplete="off"></label>
    <label class="operator-form__wide">${t('operator.register.titleField')}<input name="title" required maxlength="2000"></label>
    <label>${t('operator.register.author')}<input name="creator" maxlength="4000"></label>
    <label>${t('operator.register.date')}<input name="date" maxlength="4000" inputmode="numeric"></label>
    <label>${t('operator.register.language')}<input name="language" value="vi" maxlength="35" autocapitalize="off"></label>
    <label>${t('operator.register.script')}<input name="script" value="Latn" maxlength="4" autocapitalize="off"></label>
    <label class="operator-form__wide">${t('operator.register.notes')}<textarea name="description" rows="3" maxlength="4000"></textarea></label>
  </div>
  <p class="operator-form__error" role="alert" aria-live="assertive"></p>
  <button type="submit"${hasCollections ? '' : html` disabled`}>${t('operator.register.submit')}</button>
</form>
<section class="operator-find" aria-labelledby="find-title">
  <h2 id="find-title">${t('operator.find.title')}</h2>
  ${find ? html`<p class="operator-form__error" role="alert">${t('operator.find.none', { identifier: find.identifier })}</p>` : ''}
  <form action="/bien-muc/tim" method="get" class="operator-form operator-form__inline">
    <label>${t('operator.register.collection')}<select name="bo-suu-tap" required>${options(find?.collectionId)}</select></label>
    <label>${t('operator.find.identifier')}<input type="search" name="ky-hieu" required value="${find?.identifier ?? ''}"></label>
    <button type="submit">${t('operator.find.submit')}</button>
  </form>
</section>
${scriptMessages(context)}`;
  return layoutView(context, { title: t('operator.register.title'), main, scripts: ['operator-register.js'], current: 'operator' });
}

export interface OperatorItemInput {
  item: Item;
  collection: Collection;
  library: Library;
  pages: Page[];
  /** Just back from a saved Dublin Core record (`?luu=mo-ta`). */
  descriptionSaved?: boolean;
}

/** `GET /bien-muc/tai-lieu/:itemId`: upload the pages, follow their processing, re-run, process. */
export function operatorItemView(context: PageContext, input: OperatorItemInput): SafeHtml {
  const { t } = context;
  const { item, collection, library, pages } = input;
  const main = html`${STYLESHEET}
<h1>${t('operator.item.title', { title: item.title })}</h1>
${input.descriptionSaved === true ? html`<p class="notice" role="status">${t('dcForm.saved')}</p>` : ''}
<dl class="operator-facts">
  <div><dt>${t('operator.item.identifier')}</dt><dd>${item.identifier}</dd></div>
  <div><dt>${t('operator.item.collection')}</dt><dd>${collection.title} — ${library.name}</dd></div>
  <div><dt>${t('operator.item.status')}</dt><dd><span class="operator-item__status" data-status="${item.status}">${t(statusKey(item.status))}</span></dd></div>
</dl>
<p class="operator-describe"><a href="${withLanguage(`/bien-muc/tai-lieu/${encodeURIComponent(item.id)}/mo-ta`, context.language)}">${t('dcForm.edit')}</a></p>
<div class="operator-item" data-operator-item data-item-id="${item.id}">
  <section class="operator-upload" aria-labelledby="upload-title">
    <h2 id="upload-title">${t('operator.item.upload')}</h2>
    <label class="operator-drop" data-drop-zone>
      <span>${t('operator.item.drop')}</span>
      <input type="file" name="files" multiple accept="image/tiff,image/jpeg,image/png,.tif,.tiff,.jpg,.jpeg,.png" aria-label="${t('operator.item.choose')}">
    </label>
    <div class="operator-overall">
      <label for="overall-progress">${t('operator.item.overall')}</label>
      <progress id="overall-progress" class="operator-overall__bar" max="1" value="0"></progress>
    </div>
    <ul class="operator-files" aria-live="polite"></ul>
  </section>
  <section class="operator-pages-section" aria-labelledby="pages-title">
    <h2 id="pages-title">${t('operator.item.pages')}</h2>
    <p class="operator-live" data-live aria-live="polite"></p>
    <ol class="operator-pages">
      ${pages.map((page) => pageRow(context, item.id, page))}
    </ol>
    ${pages.length === 0 ? html`<p class="operator-pages__empty">${t('operator.item.noPages')}</p>` : ''}
    <p class="operator-actions">
      <button type="button" data-process>${t('operator.item.process')}</button>
      <a class="operator-view" href="/tai-lieu/${item.id}"${item.status === 'digitised' ? '' : html` hidden`}>${t('operator.item.view')}</a>
    </p>
    <p class="operator-form__error" data-action-error role="alert"></p>
  </section>
</div>
${scriptMessages(context)}`;
  return layoutView(context, { title: t('operator.item.title', { title: item.title }), main, scripts: ['vendor/tus.min.js', 'operator-item.js'], current: 'operator' });
}

/** One page's row as the server first draws it; the script redraws it from the events. */
function pageRow(context: PageContext, itemId: string, page: Page): SafeHtml {
  const { t } = context;
  return html`<li class="operator-page" data-page-id="${page.id}" data-seq="${page.seq}" data-status="${page.status}">
  <span class="operator-page__label">${t('operator.item.page', { seq: page.seq })}</span>
  <ul class="operator-stages">${PAGE_STAGES.map((stage) => {
    const status = page.stages[stage]?.status ?? 'pending';
    return html`<li data-stage="${stage}" data-status="${status}">${t(`operator.stage.${stage}`)}: ${t(statusKey(status))}</li>`;
  })}</ul>
  ${page.stages.ocr?.status === 'done' ? html`<a class="operator-page__correct" href="${withLanguage(`/bien-muc/tai-lieu/${encodeURIComponent(itemId)}/trang/${encodeURIComponent(page.id)}/hieu-dinh`, context.language)}">${t('ocrFix.link', { seq: page.seq })}</a>` : ''}
</li>`;
}

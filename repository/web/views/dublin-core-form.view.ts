import type { Collection, DublinCoreElement, Item, Library } from '../../database/domain.types.ts';
import { defaultLanguage, EMPTY_ROWS, type DcFormState, type DcRow } from '../dublin-core-form.ts';
import { html, type SafeHtml } from '../html.ts';
import type { MessageKey } from '../i18n/vi.ts';
import { withLanguage, type PageContext } from '../page-context.ts';
import { DISPLAY_ORDER } from './dublin-core-list.view.ts';
import { errorSummary, type SummaryEntry } from './form-fields.view.ts';
import { ASSETS, layoutView } from './layout.view.ts';

export interface DublinCoreFormPage {
  item: Item;
  collection: Collection;
  library: Library;
  form: DcFormState;
}

/** The language tags offered by the language inputs (any other BCP 47 tag may be typed). */
const COMMON_LANGUAGES: readonly { tag: string; label: MessageKey }[] = [
  { tag: 'vi', label: 'dcForm.lang.vi' },
  { tag: 'en', label: 'dcForm.lang.en' },
  { tag: 'fr', label: 'dcForm.lang.fr' },
  { tag: 'lzh', label: 'dcForm.lang.lzh' },
  { tag: 'zh-Hant', label: 'dcForm.lang.zhHant' },
  { tag: 'vi-Hani', label: 'dcForm.lang.viHani' },
];

const rowId = (element: DublinCoreElement, row: number) => `dc-${element}-${row}`;

/** `GET /bien-muc/tai-lieu/:itemId/mo-ta`: the item's Dublin Core record, every element's values as rows. */
export function dublinCoreFormView(context: PageContext, page: DublinCoreFormPage): SafeHtml {
  const { t } = context;
  const { item, form } = page;
  const itemPage = withLanguage(`/bien-muc/tai-lieu/${encodeURIComponent(item.id)}`, context.language);
  const action = withLanguage(`/bien-muc/tai-lieu/${encodeURIComponent(item.id)}/mo-ta`, context.language);
  const summary: SummaryEntry[] = DISPLAY_ORDER.flatMap((element) => {
    const whole = form.errors[element];
    const rows = form.rows[element].flatMap((_row, index) => {
      const key = form.errors[`${element}.${index}`];
      return key === undefined ? [] : [{ id: `${rowId(element, index)}-value`, label: `${t(`dc.${element}`)} ${index + 1}`, message: t(key) }];
    });
    return whole === undefined ? rows : [{ id: `${rowId(element, 0)}-value`, label: t(`dc.${element}`), message: t(whole) }, ...rows];
  });
  const main = html`<link rel="stylesheet" href="${ASSETS}/pages.css">
<p class="record-back"><a href="${itemPage}">${t('dcForm.back')}</a></p>
<h1>${t('dcForm.title', { title: item.title })}</h1>
<p class="lead">${t('dcForm.intro', { identifier: item.identifier, collection: page.collection.title, library: page.library.name })}</p>
${errorSummary(context, summary, form.general)}
<form class="record-form dc-form" action="${action}" method="post" accept-charset="utf-8">
  <input type="hidden" name="_csrf" value="${context.csrfToken ?? ''}">
  <datalist id="dc-languages">${COMMON_LANGUAGES.map(({ tag, label }) => html`<option value="${tag}">${t(label)}</option>`)}</datalist>
  ${DISPLAY_ORDER.map((element) => elementFieldset(context, element, form))}
  <p class="record-form__actions">
    <button type="submit">${t('records.save')}</button>
    <a href="${itemPage}">${t('records.cancel')}</a>
  </p>
</form>`;
  return layoutView(context, { title: t('dcForm.title', { title: item.title }), main, current: 'operator' });
}

/** One element: its values, then empty rows to add more. */
function elementFieldset(context: PageContext, element: DublinCoreElement, form: DcFormState): SafeHtml {
  const { t } = context;
  const values = form.rows[element];
  const empty: DcRow = { value: '', lang: defaultLanguage(element) };
  const rows = [...values, ...Array.from({ length: EMPTY_ROWS }, () => empty)];
  const whole = form.errors[element];
  return html`<fieldset class="dc-element">
  <legend>${t(`dc.${element}`)}</legend>
  <p class="form-field__hint">${t(`dcForm.hint.${element}`)}</p>
  ${whole === undefined ? '' : html`<p class="form-field__error"><span class="visually-hidden">${t('records.errorPrefix')} </span>${t(whole)}</p>`}
  ${rows.map((row, index) => valueRow(context, element, index, row, form))}
</fieldset>`;
}

function valueRow(context: PageContext, element: DublinCoreElement, index: number, row: DcRow, form: DcFormState): SafeHtml {
  const { t } = context;
  const id = rowId(element, index);
  const error = form.errors[`${element}.${index}`];
  const warning = form.warnings[`${element}.${index}`];
  const describedBy = [error === undefined ? '' : `${id}-error`, warning === undefined ? '' : `${id}-warning`].filter((part) => part !== '').join(' ');
  return html`<div class="dc-row${error === undefined ? '' : ' form-field--error'}">
  <div class="form-field dc-row__value">
    <label for="${id}-value">${t('dcForm.value', { element: t(`dc.${element}`), n: index + 1 })}</label>
    ${error === undefined ? '' : html`<p class="form-field__error" id="${id}-error"><span class="visually-hidden">${t('records.errorPrefix')} </span>${t(error)}</p>`}
    ${warning === undefined ? '' : html`<p class="form-field__hint dc-row__warning" id="${id}-warning">${t('dcForm.warningPrefix')} ${t(warning)}</p>`}
    <input id="${id}-value" name="${element}.${index}.value" type="text" value="${row.value}" maxlength="4000"${describedBy === '' ? '' : html` aria-describedby="${describedBy}"`}${
      error === undefined ? '' : html` aria-invalid="true"`
    }${row.lang === '' ? '' : html` lang="${row.lang}"`}>
  </div>
  <div class="form-field dc-row__lang">
    <label for="${id}-lang">${t('dcForm.language')}</label>
    <input id="${id}-lang" name="${element}.${index}.lang" type="text" value="${row.lang}" list="dc-languages" maxlength="35" autocomplete="off" spellcheck="false">
  </div>
</div>`;
}

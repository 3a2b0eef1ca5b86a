import { LIBRARY_KINDS, type Library } from '../../database/domain.types.ts';
import { html, type SafeHtml } from '../html.ts';
import type { MessageKey } from '../i18n/vi.ts';
import { LIBRARY_FIELDS, type LibraryField } from '../library-form.ts';
import { withLanguage, type PageContext } from '../page-context.ts';
import type { FormState } from '../record-form.ts';
import { errorSummary, inputField, refusedFields, selectField } from './form-fields.view.ts';
import { ASSETS, layoutView } from './layout.view.ts';

export type LibraryFormPage = ({ mode: 'new' } | { mode: 'edit'; library: Library }) & { form: FormState<LibraryField> };

const LABELS: Record<LibraryField, MessageKey> = {
  slug: 'records.library.slug',
  name: 'records.library.name',
  province: 'records.library.province',
  kind: 'records.library.kind',
};

const fieldId = (field: LibraryField) => `library-${field}`;

/** `GET /quan-tri/thu-vien/moi` and `/quan-tri/thu-vien/:libraryId`: a library's form, refused fields marked. */
export function libraryFormView(context: PageContext, page: LibraryFormPage): SafeHtml {
  const { t } = context;
  const { values, errors, general } = page.form;
  const title = page.mode === 'new' ? t('records.library.newTitle') : t('records.library.editTitle', { name: page.library.name });
  const action = page.mode === 'new' ? '/quan-tri/thu-vien/moi' : `/quan-tri/thu-vien/${encodeURIComponent(page.library.id)}`;
  const error = (field: LibraryField) => {
    const key = errors[field];
    return key === undefined ? undefined : t(key);
  };
  const common = (field: LibraryField) => ({ id: fieldId(field), name: field, label: t(LABELS[field]), value: values[field], error: error(field) });
  const summary = refusedFields(LIBRARY_FIELDS, (field) => ({ id: fieldId(field), label: t(LABELS[field]), message: error(field) }));
  const main = html`<link rel="stylesheet" href="${ASSETS}/pages.css">
<p class="record-back"><a href="/quan-tri">${t('records.back')}</a></p>
<h1>${title}</h1>
<p class="lead">${t('records.library.intro')}</p>
${errorSummary(context, summary, general)}
<form class="record-form" action="${withLanguage(action, context.language)}" method="post" accept-charset="utf-8">
  <input type="hidden" name="_csrf" value="${context.csrfToken ?? ''}">
  <div class="record-form__grid">
    ${inputField(context, { ...common('name'), maxLength: 300, wide: true })}
    ${inputField(context, { ...common('slug'), hint: t('records.library.slugHint'), maxLength: 100, autocomplete: 'off', pattern: '[a-z0-9]+(-[a-z0-9]+)*', wide: true })}
    ${inputField(context, { ...common('province'), maxLength: 100 })}
    ${selectField(context, {
      ...common('kind'),
      placeholder: t('records.choose'),
      options: LIBRARY_KINDS.map((kind) => ({ value: kind, label: t(`records.kind.${kind}`) })),
    })}
  </div>
  <p class="record-form__actions">
    <button type="submit">${t('records.save')}</button>
    <a href="/quan-tri">${t('records.cancel')}</a>
  </p>
</form>`;
  return layoutView(context, { title, main, current: 'admin' });
}

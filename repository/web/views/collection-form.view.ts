import { ACCESS_LEVELS, COLLECTION_CATEGORIES, OCR_PROFILES, type Collection, type Library } from '../../database/domain.types.ts';
import { COLLECTION_FIELDS, type CollectionField } from '../collection-form.ts';
import { html, type SafeHtml } from '../html.ts';
import type { MessageKey } from '../i18n/vi.ts';
import { withLanguage, type PageContext } from '../page-context.ts';
import type { FormState } from '../record-form.ts';
import { errorSummary, fixedField, inputField, refusedFields, selectField, textAreaField } from './form-fields.view.ts';
import { ASSETS, layoutView } from './layout.view.ts';

/** A new collection chooses its library; an edited one keeps it (the patch schema has no `libraryId`). */
export type CollectionFormPage = (
  | { mode: 'new'; libraries: readonly Library[] }
  | { mode: 'edit'; collection: Collection; library: Library }
) & { form: FormState<CollectionField> };

const LABELS: Record<CollectionField, MessageKey> = {
  libraryId: 'records.collection.library',
  slug: 'records.collection.slug',
  title: 'records.collection.title',
  description: 'records.collection.description',
  category: 'records.collection.category',
  holdingsCount: 'records.collection.holdings',
  targetPercent: 'records.collection.target',
  targetDate: 'records.collection.deadline',
  defaultAccess: 'records.collection.access',
  ocrProfile: 'records.collection.ocr',
};

const fieldId = (field: CollectionField) => `collection-${field}`;

function libraryField(context: PageContext, page: CollectionFormPage, error: string | undefined): SafeHtml {
  const { t } = context;
  if (page.mode === 'edit') {
    return fixedField({ id: fieldId('libraryId'), label: t(LABELS.libraryId), value: page.library.name, hint: t('records.collection.libraryFixed') });
  }
  return selectField(context, {
    id: fieldId('libraryId'),
    name: 'libraryId',
    label: t(LABELS.libraryId),
    value: page.form.values.libraryId,
    error,
    wide: true,
    placeholder: t('records.choose'),
    options: page.libraries.map((library) => ({ value: library.id, label: `${library.name} (${library.province})` })),
  });
}

/** `GET /quan-tri/bo-suu-tap/moi` and `/quan-tri/bo-suu-tap/:collectionId`: a collection's form, refused fields marked. */
export function collectionFormView(context: PageContext, page: CollectionFormPage): SafeHtml {
  const { t } = context;
  const { values, errors, general } = page.form;
  const title = page.mode === 'new' ? t('records.collection.newTitle') : t('records.collection.editTitle', { title: page.collection.title });
  const action = page.mode === 'new' ? '/quan-tri/bo-suu-tap/moi' : `/quan-tri/bo-suu-tap/${encodeURIComponent(page.collection.id)}`;
  const error = (field: CollectionField) => {
    const key = errors[field];
    return key === undefined ? undefined : t(key);
  };
  const common = (field: CollectionField) => ({ id: fieldId(field), name: field, label: t(LABELS[field]), value: values[field], error: error(field) });
  const summary = refusedFields(COLLECTION_FIELDS, (field) => ({ id: fieldId(field), label: t(LABELS[field]), message: error(field) }));
  const noLibraries = page.mode === 'new' && page.libraries.length === 0;
  const main = html`<link rel="stylesheet" href="${ASSETS}/pages.css">
<p class="record-back"><a href="/quan-tri">${t('records.back')}</a></p>
<h1>${title}</h1>
<p class="lead">${t('records.collection.intro')}</p>
${noLibraries ? html`<p class="notice">${t('records.collection.noLibraries')} <a href="/quan-tri/thu-vien/moi">${t('records.addLibrary')}</a></p>` : ''}
${errorSummary(context, summary, general)}
<form class="record-form" action="${withLanguage(action, context.language)}" method="post" accept-charset="utf-8">
  <input type="hidden" name="_csrf" value="${context.csrfToken ?? ''}">
  <div class="record-form__grid">
    ${libraryField(context, page, error('libraryId'))}
    ${inputField(context, { ...common('title'), maxLength: 500, wide: true })}
    ${inputField(context, { ...common('slug'), hint: t('records.collection.slugHint'), maxLength: 100, autocomplete: 'off', pattern: '[a-z0-9]+(-[a-z0-9]+)*' })}
    ${selectField(context, {
      ...common('category'),
      placeholder: t('records.choose'),
      options: COLLECTION_CATEGORIES.map((category) => ({ value: category, label: t(`category.${category}`) })),
    })}
    ${inputField(context, { ...common('holdingsCount'), hint: t('records.collection.holdingsHint'), optional: true, inputMode: 'numeric', maxLength: 10, autocomplete: 'off' })}
    ${inputField(context, { ...common('targetPercent'), hint: t('records.collection.targetHint'), optional: true, inputMode: 'decimal', maxLength: 6, autocomplete: 'off' })}
    ${inputField(context, { ...common('targetDate'), hint: t('records.collection.deadlineHint'), optional: true, type: 'date' })}
    ${selectField(context, {
      ...common('ocrProfile'),
      hint: t('records.collection.ocrHint'),
      options: OCR_PROFILES.map((profile) => ({ value: profile, label: t(`records.ocr.${profile}`) })),
    })}
    ${selectField(context, {
      ...common('defaultAccess'),
      wide: true,
      hint: t('records.collection.accessHint'),
      options: ACCESS_LEVELS.map((level) => ({ value: level, label: t(`records.access.${level}`) })),
    })}
    ${textAreaField(context, { ...common('description'), optional: true, wide: true, rows: 3, maxLength: 10_000 })}
  </div>
  <p class="record-form__actions">
    <button type="submit"${noLibraries ? html` disabled` : ''}>${t('records.save')}</button>
    <a href="/quan-tri">${t('records.cancel')}</a>
  </p>
</form>`;
  return layoutView(context, { title, main, current: 'admin' });
}

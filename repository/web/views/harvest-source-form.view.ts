import type { HarvestSource } from '../../harvest/harvest-source.repository.ts';
import { HARVEST_SOURCE_FIELDS, type HarvestSourceField } from '../harvest-source-form.ts';
import { html, type SafeHtml } from '../html.ts';
import type { MessageKey } from '../i18n/vi.ts';
import { withLanguage, type PageContext } from '../page-context.ts';
import type { FormState } from '../record-form.ts';
import { errorSummary, inputField, refusedFields, selectField } from './form-fields.view.ts';
import { HARVEST_SOURCES_PATH, sourcePath } from './harvest-sources.view.ts';
import { ASSETS, layoutView } from './layout.view.ts';

export type HarvestSourceFormPage = ({ mode: 'new' } | { mode: 'edit'; source: HarvestSource }) & { form: FormState<HarvestSourceField> };

const LABELS: Record<HarvestSourceField, MessageKey> = {
  name: 'harvest.name',
  baseUrl: 'harvest.baseUrl',
  setSpec: 'harvest.setSpec',
  intervalMinutes: 'harvest.intervalField',
  enabled: 'harvest.state',
};

const fieldId = (field: HarvestSourceField) => `harvest-${field}`;

/** `GET /quan-tri/nguon-thu-thap/moi` and `/quan-tri/nguon-thu-thap/:id`: a source's form, refused fields marked. */
export function harvestSourceFormView(context: PageContext, page: HarvestSourceFormPage): SafeHtml {
  const { t, language } = context;
  const { values, errors, general } = page.form;
  const title = page.mode === 'new' ? t('harvest.newTitle') : t('harvest.editTitle', { name: page.source.name });
  const action = page.mode === 'new' ? `${HARVEST_SOURCES_PATH}/moi` : sourcePath(page.source);
  const error = (field: HarvestSourceField) => {
    const key = errors[field];
    return key === undefined ? undefined : t(key);
  };
  const common = (field: HarvestSourceField) => ({ id: fieldId(field), name: field, label: t(LABELS[field]), value: values[field], error: error(field) });
  const summary = refusedFields(HARVEST_SOURCE_FIELDS, (field) => ({ id: fieldId(field), label: t(LABELS[field]), message: error(field) }));
  const main = html`<link rel="stylesheet" href="${ASSETS}/pages.css">
<p class="record-back"><a href="${withLanguage(HARVEST_SOURCES_PATH, language)}">${t('harvest.back')}</a></p>
<h1>${title}</h1>
<p class="lead">${t('harvest.formIntro')}</p>
${errorSummary(context, summary, general)}
<form class="record-form" action="${withLanguage(action, language)}" method="post" accept-charset="utf-8">
  <input type="hidden" name="_csrf" value="${context.csrfToken ?? ''}">
  <div class="record-form__grid">
    ${inputField(context, { ...common('name'), hint: t('harvest.nameHint'), maxLength: 200, wide: true })}
    ${inputField(context, { ...common('baseUrl'), hint: t('harvest.baseUrlHint'), maxLength: 2000, autocomplete: 'off', wide: true })}
    ${inputField(context, { ...common('setSpec'), hint: t('harvest.setSpecHint'), maxLength: 200, autocomplete: 'off', optional: true })}
    ${inputField(context, { ...common('intervalMinutes'), hint: t('harvest.intervalHint'), inputMode: 'numeric', maxLength: 6, pattern: '[0-9]+' })}
    ${selectField(context, {
      ...common('enabled'),
      options: [
        { value: 'true', label: t('harvest.enabledOption') },
        { value: 'false', label: t('harvest.disabledOption') },
      ],
    })}
  </div>
  <p class="record-form__actions">
    <button type="submit">${t('records.save')}</button>
    <a href="${withLanguage(HARVEST_SOURCES_PATH, language)}">${t('records.cancel')}</a>
  </p>
</form>`;
  return layoutView(context, { title, main, current: 'admin' });
}

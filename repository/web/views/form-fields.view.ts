import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';

/**
 * The parts of the administration's record forms (plain HTML forms that work without
 * JavaScript): every control has a visible label; its hint and error message are tied to it
 * with `aria-describedby`, and a refused control carries `aria-invalid`.
 */

/** What every field shows around its control. */
export interface FieldFrame {
  /** The control's id, also the target of the error summary's link. */
  id: string;
  name: string;
  label: string;
  value: string;
  hint?: string;
  /** The message, already translated, when the value was refused. */
  error?: string;
  /** Optional fields say so in their label; the others are `required`. */
  optional?: boolean;
  /** Spans both columns of the form's grid. */
  wide?: boolean;
}

export interface InputField extends FieldFrame {
  type?: 'text' | 'date' | 'password';
  inputMode?: 'numeric' | 'decimal';
  maxLength?: number;
  pattern?: string;
  autocomplete?: string;
}

export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectField extends FieldFrame {
  options: readonly SelectOption[];
  /** The text of an empty first option, so that nothing is chosen by accident. */
  placeholder?: string;
}

export interface TextAreaField extends FieldFrame {
  maxLength: number;
  rows: number;
}

/** One line of the error summary: a link to the refused control. */
export interface SummaryEntry {
  id: string;
  label: string;
  message: string;
}

/** The summary's entries: the refused fields (those with a message), in the form's order. */
export function refusedFields<F extends string>(fields: readonly F[], entryOf: (field: F) => { id: string; label: string; message: string | undefined }): SummaryEntry[] {
  return fields.flatMap((field) => {
    const { id, label, message } = entryOf(field);
    return message === undefined ? [] : [{ id, label, message }];
  });
}

/** The label, hint and error of a field around `control`, which receives the shared attributes. */
function fieldFrame(context: PageContext, field: FieldFrame, control: (attributes: SafeHtml) => SafeHtml): SafeHtml {
  const { t } = context;
  const hintId = `${field.id}-hint`;
  const errorId = `${field.id}-error`;
  const describedBy = [field.hint === undefined ? '' : hintId, field.error === undefined ? '' : errorId].filter((id) => id !== '').join(' ');
  const attributes = html`id="${field.id}" name="${field.name}"${describedBy === '' ? '' : html` aria-describedby="${describedBy}"`}${
    field.error === undefined ? '' : html` aria-invalid="true"`
  }${field.optional ? '' : html` required`}`;
  const classes = ['form-field', field.wide ? 'form-field--wide' : '', field.error === undefined ? '' : 'form-field--error'].filter((c) => c !== '').join(' ');
  return html`<div class="${classes}">
  <label for="${field.id}">${field.label}${field.optional ? html` <span class="form-field__optional">${t('records.optional')}</span>` : ''}</label>
  ${field.hint === undefined ? '' : html`<p class="form-field__hint" id="${hintId}">${field.hint}</p>`}
  ${field.error === undefined ? '' : html`<p class="form-field__error" id="${errorId}"><span class="visually-hidden">${t('records.errorPrefix')} </span>${field.error}</p>`}
  ${control(attributes)}
</div>`;
}

export function inputField(context: PageContext, field: InputField): SafeHtml {
  return fieldFrame(
    context,
    field,
    (attributes) => html`<input ${attributes} type="${field.type ?? 'text'}" value="${field.value}"${
      field.inputMode === undefined ? '' : html` inputmode="${field.inputMode}"`
    }${field.maxLength === undefined ? '' : html` maxlength="${field.maxLength}"`}${field.pattern === undefined ? '' : html` pattern="${field.pattern}"`}${
      field.autocomplete === undefined ? '' : html` autocomplete="${field.autocomplete}"`
    }>`,
  );
}

export function selectField(context: PageContext, field: SelectField): SafeHtml {
  const option = (choice: SelectOption) =>
    html`<option value="${choice.value}"${choice.value === field.value ? html` selected` : ''}>${choice.label}</option>`;
  return fieldFrame(
    context,
    field,
    (attributes) => html`<select ${attributes}>${field.placeholder === undefined ? '' : option({ value: '', label: field.placeholder })}${field.options.map(option)}</select>`,
  );
}

export function textAreaField(context: PageContext, field: TextAreaField): SafeHtml {
  return fieldFrame(
    context,
    field,
    (attributes) => html`<textarea ${attributes} rows="${field.rows}" maxlength="${field.maxLength}">${field.value}</textarea>`,
  );
}

/** A value shown but not editable: a read-only control without a name, so nothing of it is sent. */
export function fixedField(field: { id: string; label: string; value: string; hint: string }): SafeHtml {
  return html`<div class="form-field form-field--wide">
  <label for="${field.id}">${field.label}</label>
  <p class="form-field__hint" id="${field.id}-hint">${field.hint}</p>
  <input id="${field.id}" type="text" value="${field.value}" readonly aria-describedby="${field.id}-hint">
</div>`;
}

/**
 * The summary at the top of a refused form: announced (`role="alert"`) and focused on load
 * (`autofocus`, no script), each line a link to its control. `general` holds problems that
 * name no field.
 */
export function errorSummary(context: PageContext, entries: readonly SummaryEntry[], general: readonly string[]): SafeHtml {
  const { t } = context;
  if (entries.length === 0 && general.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
  <h2 id="error-summary-title">${t('records.summary.title', { count: entries.length + general.length })}</h2>
  <ul>
    ${entries.map((entry) => html`<li><a href="#${entry.id}">${entry.label}: ${entry.message}</a></li>`)}
    ${general.map((message) => html`<li>${t('records.error.general', { message })}</li>`)}
  </ul>
</div>`;
}

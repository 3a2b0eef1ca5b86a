import { PASSWORD_CHANGE_FIELDS, type PasswordChangeField, type PasswordChangeProblems } from '../../auth/change-password.ts';
import { MIN_PASSWORD_LENGTH } from '../../auth/password.ts';
import { html, type SafeHtml } from '../html.ts';
import type { MessageKey } from '../i18n/vi.ts';
import { withLanguage, type PageContext } from '../page-context.ts';
import { errorSummary, inputField, refusedFields } from './form-fields.view.ts';
import { ASSETS, layoutView } from './layout.view.ts';

export interface PasswordChangePage {
  problems?: PasswordChangeProblems;
  /** Set when too many wrong passwords make the user wait. */
  retryAfterSeconds?: number;
}

const LABELS: Record<PasswordChangeField, MessageKey> = {
  currentPassword: 'password.current',
  newPassword: 'password.new',
  repeatPassword: 'password.repeat',
};

const AUTOCOMPLETE: Record<PasswordChangeField, string> = {
  currentPassword: 'current-password',
  newPassword: 'new-password',
  repeatPassword: 'new-password',
};

const fieldId = (field: PasswordChangeField) => `password-${field}`;

/**
 * `GET /tai-khoan/mat-khau`: the signed-in user's password form, refused fields marked.
 * Password fields are always shown empty: nothing typed is sent back.
 */
export function passwordChangeView(context: PageContext, page: PasswordChangePage): SafeHtml {
  const { t } = context;
  const problems = page.problems ?? {};
  const error = (field: PasswordChangeField) => {
    const problem = problems[field];
    return problem === undefined ? undefined : t(`password.error.${problem}`, { min: MIN_PASSWORD_LENGTH });
  };
  const summary = refusedFields(PASSWORD_CHANGE_FIELDS, (field) => ({ id: fieldId(field), label: t(LABELS[field]), message: error(field) }));
  const throttled =
    page.retryAfterSeconds === undefined
      ? ''
      : html`<div class="notice notice--error" role="alert"><p>${t('password.throttled', { seconds: page.retryAfterSeconds })}</p></div>`;
  const field = (name: PasswordChangeField) =>
    inputField(context, {
      id: fieldId(name),
      name,
      label: t(LABELS[name]),
      value: '',
      type: 'password',
      autocomplete: AUTOCOMPLETE[name],
      maxLength: 256,
      hint: name === 'newPassword' ? t('password.newHint', { min: MIN_PASSWORD_LENGTH }) : undefined,
      error: error(name),
      wide: true,
    });
  const main = html`<link rel="stylesheet" href="${ASSETS}/pages.css">
<h1>${t('password.title')}</h1>
<p class="lead">${t('password.intro')}</p>
${throttled}
${errorSummary(context, summary, [])}
<form class="record-form" action="${withLanguage('/tai-khoan/mat-khau', context.language)}" method="post" accept-charset="utf-8">
  <input type="hidden" name="_csrf" value="${context.csrfToken ?? ''}">
  <div class="record-form__grid">
    ${PASSWORD_CHANGE_FIELDS.map(field)}
  </div>
  <p class="record-form__actions">
    <button type="submit">${t('password.submit')}</button>
    <a href="/">${t('records.cancel')}</a>
  </p>
</form>`;
  return layoutView(context, { title: t('password.title'), main });
}

/** After a change: the confirmation, the user still signed in (with a fresh session). */
export function passwordChangedView(context: PageContext): SafeHtml {
  const { t } = context;
  const main = html`<h1>${t('password.changedTitle')}</h1>
<div class="notice" role="status"><p>${t('password.changed')}</p></div>
<p><a href="/">${t('notFound.home')}</a></p>`;
  return layoutView(context, { title: t('password.changedTitle'), main });
}

import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';
import { layoutView } from './layout.view.ts';

export interface LoginPage {
  /** The pre-session CSRF token, also in the `tvs_login_csrf` cookie (double submit). */
  csrfToken: string;
  /** Where to go after signing in (a path on this site). */
  next: string;
  username?: string;
  problem?: 'wrong' | 'throttled' | 'expired';
  retryAfterSeconds?: number;
}

/** `GET /dang-nhap`: sign in with a user name and password (staff and registered readers). */
export function loginView(context: PageContext, page: LoginPage): SafeHtml {
  const { t } = context;
  const problem =
    page.problem === undefined
      ? ''
      : html`<div class="notice notice--error" role="alert"><p>${
          page.problem === 'wrong' ? t('login.wrong') : page.problem === 'expired' ? t('login.expired') : t('login.throttled', { seconds: page.retryAfterSeconds ?? 60 })
        }</p></div>`;
  const main = html`<h1>${t('login.title')}</h1>
${problem}
<form class="login-form" action="/dang-nhap?lang=${context.language}" method="post">
  <input type="hidden" name="_csrf" value="${page.csrfToken}">
  <input type="hidden" name="tiep" value="${page.next}">
  <p><label for="login-username">${t('login.username')}</label><br>
  <input id="login-username" name="username" autocomplete="username" required maxlength="64" value="${page.username ?? ''}" autofocus></p>
  <p><label for="login-password">${t('login.password')}</label><br>
  <input id="login-password" name="password" type="password" autocomplete="current-password" required maxlength="256"></p>
  <p><button type="submit">${t('login.submit')}</button></p>
</form>`;
  return layoutView(context, { title: t('login.title'), main });
}

/** `403`: signed in, but this page is for another role. */
export function forbiddenView(context: PageContext): SafeHtml {
  const { t } = context;
  const main = html`<h1>${t('forbidden.title')}</h1>
<p>${t('forbidden.body')}</p>
<p><a href="/">${t('notFound.home')}</a></p>`;
  return layoutView(context, { title: t('forbidden.title'), main });
}

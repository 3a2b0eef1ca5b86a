import { html, type SafeHtml } from '../html.ts';
import { withLanguage, type PageContext } from '../page-context.ts';

export const ASSETS = '/web/assets';

export interface LayoutInput {
  /** The page's own title; the product name is appended. */
  title: string;
  main: SafeHtml;
  /** Extra scripts of the page (static files under `/web/assets`), loaded as modules. */
  scripts?: readonly string[];
  /** Which navigation entry is the current page. */
  current?: 'home' | 'search' | 'operator' | 'admin';
}

/** The page shell: header (name, navigation, language switch), main landmark, footer. */
export function layoutView(context: PageContext, input: LayoutInput): SafeHtml {
  const { t, language } = context;
  const other = language === 'vi' ? 'en' : 'vi';
  const navigation = [
    { key: 'home', href: '/', label: t('nav.home') },
    { key: 'search', href: '/tim-kiem', label: t('nav.search') },
    { key: 'operator', href: '/bien-muc/tai-lieu-moi', label: t('nav.operator') },
    { key: 'admin', href: '/quan-tri', label: t('nav.admin') },
  ] as const;
  return html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSETS}/site.css">
${context.csrfToken === undefined ? '' : html`<meta name="csrf-token" content="${context.csrfToken}">`}
<title>${input.title} — ${t('site.name')}</title>
${(input.scripts ?? []).map((script) => html`<script type="module" src="${ASSETS}/${script}"></script>\n`)}</head>
<body>
<a class="skip-link" href="#main">${t('nav.skip')}</a>
<header class="site-header">
  <div class="site-header__inner">
    <a class="site-name" href="/"><span lang="vi">${t('site.name')}</span><span class="site-tagline">${t('site.tagline')}</span></a>
    <nav class="site-nav" aria-label="${t('nav.label')}">
      <ul>
        ${navigation.map(
          (entry) =>
            html`<li><a href="${entry.href}"${input.current === entry.key ? html` aria-current="page"` : ''}>${entry.label}</a></li>`,
        )}
      </ul>
    </nav>
    ${accountView(context)}
    <a class="language-switch" href="${withLanguage(context.url, other)}" hreflang="${other}" lang="${other}" title="${t('lang.switch')}">${t('lang.other')}</a>
  </div>
</header>
<main id="main" class="site-main" tabindex="-1">
${input.main}
</main>
<footer class="site-footer">
  <p>${t('footer.text')}</p>
  <p><a href="/open-data">${t('footer.openData')}</a></p>
</footer>
</body>
</html>
`;
}

/** Sign-in link, or who is signed in with the password page's link and a sign-out button (a POST with the CSRF token, never a link). */
function accountView(context: PageContext): SafeHtml {
  const { t } = context;
  if (context.signedInAs === undefined) {
    return html`<a class="account-link" href="/dang-nhap?tiep=${encodeURIComponent(context.url)}">${t('login.link')}</a>`;
  }
  return html`<form class="account-form" action="/dang-xuat" method="post"><span>${t('login.signedInAs', { name: context.signedInAs })}</span>
      <a href="/tai-khoan/mat-khau">${t('password.link')}</a>
      <input type="hidden" name="_csrf" value="${context.csrfToken ?? ''}"><button type="submit">${t('login.logout')}</button></form>`;
}

import type { Request, Response } from 'express';
import { chooseLanguage, readCookie } from './i18n/choose-language.ts';
import { translator, type Language, type Translate } from './i18n/translator.ts';

/** What every page view needs to know about the request it answers. */
export interface PageContext {
  language: Language;
  t: Translate;
  /** The request's path and query, to build the language switch link. */
  url: string;
  /** The signed-in user's name, for the header; undefined when anonymous. */
  signedInAs?: string;
  /** The session's CSRF token: every form and script request that changes something sends it. */
  csrfToken?: string;
}

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** Picks the page language (and remembers a `?lang=` choice in the `lang` cookie). */
export function pageContext(req: Request, res: Response): PageContext {
  const { language, remember } = chooseLanguage(req.query.lang, readCookie(req.headers.cookie, 'lang'));
  if (remember) res.cookie('lang', language, { sameSite: 'lax', path: '/', maxAge: ONE_YEAR_MS, httpOnly: true });
  res.vary('Cookie');
  const viewer = req.viewer;
  return {
    language,
    t: translator(language),
    url: req.originalUrl,
    signedInAs: viewer?.kind === 'user' ? viewer.user.username : undefined,
    csrfToken: req.browserSession?.csrfToken,
  };
}

/** The same address with `lang` set: the language switch link. */
export function withLanguage(url: string, language: Language): string {
  const parsed = new URL(url, 'http://host.invalid');
  parsed.searchParams.set('lang', language);
  return `${parsed.pathname}${parsed.search}`;
}

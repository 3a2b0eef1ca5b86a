import { DEFAULT_LANGUAGE, isLanguage, type Language } from './translator.ts';

export interface LanguageChoice {
  language: Language;
  /** True when the language came from `?lang=` and should be remembered in the `lang` cookie. */
  remember: boolean;
}

/** The page language: `?lang=en|vi` first, then the `lang` cookie, then Vietnamese. */
export function chooseLanguage(query: unknown, cookie: string | undefined): LanguageChoice {
  if (isLanguage(query)) return { language: query, remember: true };
  if (isLanguage(cookie)) return { language: cookie, remember: false };
  return { language: DEFAULT_LANGUAGE, remember: false };
}

/** One cookie's value from a `Cookie` request header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

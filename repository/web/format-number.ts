import type { Language } from './i18n/translator.ts';

/** How numbers, percentages and days are written in one page language. */
export interface NumberFormat {
  /** `12.345` → vi `12.345`, en `12,345`; at most one decimal. */
  number(value: number): string;
  /** `12.5` → vi `12,5%`, en `12.5%`. */
  percent(value: number): string;
  /** `2026-12-31` → `31/12/2026` in both languages (day first, as Vietnamese and British readers write it). */
  day(isoDay: string): string;
}

const LOCALES: Record<Language, string> = { vi: 'vi-VN', en: 'en-GB' };

/** The formats of `language`: Vietnamese `Intl.NumberFormat('vi-VN')`, English `en-GB`. */
export function numberFormat(language: Language): NumberFormat {
  const numbers = new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 1 });
  const days = new Intl.DateTimeFormat(LOCALES[language], { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' });
  return {
    number: (value) => numbers.format(value),
    percent: (value) => `${numbers.format(value)}%`,
    day: (isoDay) => days.format(new Date(`${isoDay}T00:00:00Z`)),
  };
}

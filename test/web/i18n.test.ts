import test from 'ava';
import { en } from '../../repository/web/i18n/en.ts';
import { chooseLanguage, readCookie } from '../../repository/web/i18n/choose-language.ts';
import { translator } from '../../repository/web/i18n/translator.ts';
import { vi } from '../../repository/web/i18n/vi.ts';

test('English has exactly the Vietnamese keys', (t) => {
  t.deepEqual(Object.keys(en).sort(), Object.keys(vi).sort());
});

test('every message is non-empty NFC text, with the same placeholders in both languages', (t) => {
  const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
  for (const [key, text] of Object.entries(vi) as [keyof typeof vi, string][]) {
    const english = en[key];
    t.true(text.length > 0 && english.length > 0, key);
    t.is(text, text.normalize('NFC'), `vi ${key}`);
    t.is(english, english.normalize('NFC'), `en ${key}`);
    t.deepEqual(placeholders(english), placeholders(text), key);
  }
});

test('translator fills placeholders', (t) => {
  t.is(translator('vi')('pager.status', { page: 2, pages: 5 }), 'Trang 2/5');
  t.is(translator('en')('pager.status', { page: 2, pages: 5 }), 'Page 2 of 5');
});

test('language: the query wins over the cookie, the cookie over the default', (t) => {
  t.deepEqual(chooseLanguage('en', 'vi'), { language: 'en', remember: true });
  t.deepEqual(chooseLanguage('vi', 'en'), { language: 'vi', remember: true });
  t.deepEqual(chooseLanguage(undefined, 'en'), { language: 'en', remember: false });
  t.deepEqual(chooseLanguage(undefined, undefined), { language: 'vi', remember: false });
  t.deepEqual(chooseLanguage('fr', 'en'), { language: 'en', remember: false }, 'an unknown query value is ignored');
  t.deepEqual(chooseLanguage(['en'], 'xx'), { language: 'vi', remember: false }, 'a repeated parameter is ignored');
});

test('the lang cookie is read from a Cookie header', (t) => {
  t.is(readCookie('a=1; lang=en; b=2', 'lang'), 'en');
  t.is(readCookie('xlang=en', 'lang'), undefined);
  t.is(readCookie(undefined, 'lang'), undefined);
});

import test from 'ava';
import { escapeHtml, html, raw, SafeHtml } from '../../repository/web/index.ts';

test('interpolated text is escaped: a script element stays text', (t) => {
  const name = '<script>alert(1)</script>';
  t.is(html`<p>${name}</p>`.value, '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
});

test('quotes cannot leave an attribute value', (t) => {
  const value = `" onmouseover="alert(1)' x='`;
  const out = html`<a title="${value}">x</a>`.value;
  t.is(out, '<a title="&quot; onmouseover=&quot;alert(1)&#39; x=&#39;">x</a>');
  t.false(out.includes('"alert'));
});

test('ampersands are escaped once, Vietnamese text is kept', (t) => {
  t.is(html`${'Sách & báo &amp; Đắk Nông'}`.value, 'Sách &amp; báo &amp;amp; Đắk Nông');
  t.is(escapeHtml('`a`'), '&#96;a&#96;');
});

test('raw fragments and nested templates are kept, arrays joined, empty values render nothing', (t) => {
  const items = ['<b>', 'c&d'].map((text) => html`<li>${text}</li>`);
  const out = html`<ul>${items}</ul>${raw('<hr>')}${null}${undefined}${false}${0}`;
  t.true(out instanceof SafeHtml);
  t.is(out.value, '<ul><li>&lt;b&gt;</li><li>c&amp;d</li></ul><hr>0');
  t.is(String(out), out.value);
});

test('a plain string that looks like markup is never trusted', (t) => {
  const fragments: string[] = ['<img src=x onerror=alert(1)>'];
  t.is(html`${fragments}`.value, '&lt;img src=x onerror=alert(1)&gt;');
});

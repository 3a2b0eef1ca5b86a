import test from 'ava';
import { buildSnippet, escapeHtml } from '../../../repository/search/index.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

test('marks the accented words a folded query matches, as one phrase', (t) => {
  t.is(buildSnippet('Giới thiệu thư viện tỉnh', ['thu', 'vien']), 'Giới thiệu <mark>thư viện</mark> tỉnh');
  t.is(buildSnippet('Đắk Nông và Địa chí', ['dak', 'nong']), '<mark>Đắk Nông</mark> và Địa chí');
  t.is(buildSnippet('Đắk Nông và Địa chí', ['dia', 'chi']), 'Đắk Nông và <mark>Địa chí</mark>');
});

test('marks separate occurrences separately and whole words only', (t) => {
  t.is(buildSnippet('thư viện, sách và thư mục', ['thu']), '<mark>thư</mark> viện, sách và <mark>thư</mark> mục');
  t.is(buildSnippet('Thuận Thành', ['thuan']), '<mark>Thuận</mark> Thành');
});

test('escapes HTML in the text, inside and outside the marks', (t) => {
  const html = buildSnippet('<b>thư viện</b> & "sách" <script>x</script>', ['thu', 'vien']);
  t.is(html, '&lt;b&gt;<mark>thư viện</mark>&lt;/b&gt; &amp; &quot;sách&quot; &lt;script&gt;x&lt;/script&gt;');
  t.is(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('NFD text is matched and its marks stay inside the mark', (t) => {
  const text = 'Giới thiệu thư viện'.normalize('NFD');
  const html = buildSnippet(text, ['thu', 'vien']);
  t.truthy(html);
  t.is(html!.normalize('NFC'), 'Giới thiệu <mark>thư viện</mark>');
});

test('a window around the first match, cut at spaces, with ellipses', (t) => {
  const before = Array.from({ length: 40 }, (_, i) => `từ${i}`).join(' ');
  const after = Array.from({ length: 200 }, (_, i) => `chữ${i}`).join(' ');
  const html = buildSnippet(`${before} thư viện ${after}`, ['thu', 'vien'], { maxLength: 80, before: 20 })!;
  t.true(html.startsWith('…'), html);
  t.true(html.endsWith('…'), html);
  t.true(html.includes('<mark>thư viện</mark>'), html);
  t.false(html.includes('từ0 '), html);
  t.true([...html].length <= 80 + 2 + '<mark></mark>'.length, html);
  // Cut at spaces: no partial word right after the leading ellipsis.
  t.regex(html, /^…từ\d+ /u);
});

test('non-BMP Nôm characters are counted and cut as code points, never halved', (t) => {
  const nom = '𡨸𡦂𤾓𢆥𠊛𡗶𤯩𠬠';
  const text = `${nom.repeat(20)} thư viện ${nom.repeat(20)}`;
  for (const [maxLength, before] of [
    [31, 7],
    [50, 13],
    [40, 1],
  ] as const) {
    const html = buildSnippet(text, ['thu', 'vien'], { maxLength, before })!;
    t.false(LONE_SURROGATE.test(html), html);
    t.true(html.includes('<mark>thư viện</mark>'), html);
    t.true(html.includes('𡨸') || html.includes('𡦂') || html.includes('𠬠'), html);
  }
  t.is(buildSnippet('𡨸 Nôm 𡦂', ['nom']), '𡨸 <mark>Nôm</mark> 𡦂');
});

test('a text without any term has no snippet', (t) => {
  t.is(buildSnippet('Lịch sử vùng cao nguyên', ['thu', 'vien']), null);
  t.is(buildSnippet('', ['thu']), null);
});

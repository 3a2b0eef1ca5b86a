import test from 'ava';
import { formatCsv, parseCsv } from '../../../repository/stats/index.ts';

const records = (text: string) => parseCsv(text).map((row) => (row.kind === 'record' ? row.fields : row.reason));

test('RFC 4180: quoted commas, doubled quotes, line breaks inside quotes, CRLF and LF, no final line break', (t) => {
  t.deepEqual(records('a,b\r\n"x, y","say ""hi"""\n"two\r\nlines",z'), [
    ['a', 'b'],
    ['x, y', 'say "hi"'],
    ['two\r\nlines', 'z'],
  ]);
  t.deepEqual(records(''), []);
  t.deepEqual(records('a,\n,\n\n'), [['a', ''], ['', ''], ['']]);
});

test('line numbers are where each record starts, counting line breaks inside quotes', (t) => {
  const rows = parseCsv('h\n"a\nb\nc"\nnext\r\nlast');
  t.deepEqual(rows.map((row) => row.line), [1, 2, 5, 6]);
});

test('broken quoting is an error row for that record only; reading resumes on the next line', (t) => {
  const rows = parseCsv('ok,1\nbad "quote",2\n"closed"tail,3\nfine,4\n"never closed,5\nlost,6');
  t.deepEqual(
    rows.map((row) => [row.kind, row.line]),
    [
      ['record', 1],
      ['error', 2],
      ['error', 3],
      ['record', 4],
      ['error', 5],
    ],
  );
  t.regex((rows[1] as { reason: string }).reason, /field 1: a double quote inside an unquoted field/);
  t.regex((rows[2] as { reason: string }).reason, /text after a closing double quote/);
  t.regex((rows[4] as { reason: string }).reason, /never closed/);
  t.deepEqual(
    rows.flatMap((row) => (row.kind === 'error' ? [[row.problem, row.field]] : [])),
    [['quote-in-field', 1], ['text-after-quote', 1], ['unclosed-quote', 1]],
  );
});

test('formatCsv and parseCsv are inverses', (t) => {
  const data = [
    ['level', 'name', 'note'],
    ['library', 'Thư viện tỉnh Đắk Nông', 'a, b'],
    ['', ' padded ', 'quote " and\r\nbreak'],
    ['Hán Nôm 𡨸喃', '"', ''],
  ];
  const text = formatCsv(data);
  t.true(text.endsWith('\r\n'));
  t.true(text.includes('"a, b"'));
  t.true(text.includes('""""'));
  t.deepEqual(records(text), data);
});

import test from 'ava';

import { compareText } from '../../../pipeline/ocr/evaluation/index.ts';
import type { EvaluationRow } from '../../../scripts/eval-ocr/evaluation-suite.ts';
import { formatMarkdownTable, formatTextTable } from '../../../scripts/eval-ocr/format-table.ts';
import { README_BEGIN, README_END, replaceReadmeBlock } from '../../../scripts/eval-ocr/readme-block.ts';
import { runSuites, selectSuites } from '../../../scripts/eval-ocr/run-suites.ts';
import { SUITES } from '../../../scripts/eval-ocr/suites.ts';
import { requireFixture } from '../../../scripts/eval-ocr/suite-helpers.ts';
import { InvalidInputError, NotFoundError } from '../../../storage/index.ts';
import { renderTextPageWithLines } from '../../pipeline/deskew-helpers/text-page.ts';
import { kieuColumns } from '../../pipeline/ocr/test-pages.ts';

// One sample per dataset: one Kiều crop, one generated page, page 1 of vietsample.tif. No timing is checked.
let rows: EvaluationRow[] = [];

test.before(async () => {
  rows = await runSuites(selectSuites(SUITES, ['kieu-han-vert', 'quoc-ngu']), { limit: 1 });
});

test('the registry names each suite once and rejects unknown names', (t) => {
  const names = SUITES.map((suite) => suite.name);
  t.deepEqual(names, [...new Set(names)]);
  t.true(['kieu-han-vert', 'quoc-ngu', 'deskew'].every((name) => names.includes(name)));
  t.throws(() => selectSuites(SUITES, ['kieu-han-vert', 'no-such-suite']), { instanceOf: InvalidInputError, message: /no-such-suite.*deskew/u });
  t.deepEqual(
    selectSuites(SUITES, ['deskew', 'kieu-han-vert']).map((suite) => suite.name),
    ['kieu-han-vert', 'deskew'],
    'registry order',
  );
});

test('a missing fixture is a NotFoundError naming it', async (t) => {
  await t.throwsAsync(requireFixture('../shared/fixtures/hannom/kieu1866/no-such-line.jpg'), {
    instanceOf: NotFoundError,
    message: /no-such-line\.jpg is missing/u,
  });
});

test('OCR rows have the reported shape and a CER computed from what the engine read', async (t) => {
  t.deepEqual(
    rows.map((row) => [row.kind, row.suite, row.profile, row.dataset, row.n]),
    [
      ['ocr', 'kieu-han-vert', 'han-vert', 'kieu1866 columns', 1],
      ['ocr', 'quoc-ngu', 'vie', 'generated pages', 1],
      ['ocr', 'quoc-ngu', 'vie', 'vietsample.tif p1', 1],
    ],
  );
  for (const row of rows) {
    if (row.kind !== 'ocr') continue;
    t.true(row.summary.cer >= 0 && Number.isFinite(row.summary.cer), `${row.dataset}: CER ${row.summary.cer}`);
    t.true(row.seconds >= 0);
    t.is(row.summary.samples, row.samples.length);
    t.is(row.summary.errors, row.samples.reduce((sum, sample) => sum + sample.errors, 0));
    t.true(row.summary.sequenceAccuracy >= 0 && row.summary.sequenceAccuracy <= 1);
    for (const sample of row.samples) t.is(sample.text, sample.text.normalize('NFC'));
  }

  const [kieu, generated] = rows;
  const [column] = await kieuColumns();
  const kieuSample = kieu?.kind === 'ocr' ? kieu.samples[0]! : t.fail('no Kiều row');
  t.is(kieuSample.name, 'line-01.jpg');
  t.true(kieuSample.text.length > 0, 'the engine read something');
  t.deepEqual(
    { ...kieuSample, name: undefined, text: undefined },
    { ...compareText(column!.text, kieuSample.text, { whitespace: 'ignore', sequences: 'text' }), name: undefined, text: undefined },
  );

  const page = await renderTextPageWithLines({ seed: 1, fontSize: 24 });
  const pageSample = generated?.kind === 'ocr' ? generated.samples[0]! : t.fail('no generated row');
  t.is(pageSample.cer, compareText(page.lines.join('\n'), pageSample.text, { whitespace: 'collapse', sequences: 'lines' }).cer);
  t.is(pageSample.sequences, page.lines.length);
});

test('the table shows every row, and the README block is replaced between its markers only', (t) => {
  const text = formatTextTable(rows);
  t.is(text.split('\n').length, rows.length + 1);
  t.regex(text, /^suite +profile +dataset +n +CER/u);
  const markdown = formatMarkdownTable(rows);
  t.is(markdown.split('\n').length, rows.length + 2);

  const readme = `# Title\n\n${README_BEGIN}\nold numbers\n${README_END}\n\n## Next\n`;
  t.is(replaceReadmeBlock(readme, 'new numbers\n'), `# Title\n\n${README_BEGIN}\nnew numbers\n${README_END}\n\n## Next\n`);
  t.throws(() => replaceReadmeBlock('# no markers\n', 'x'), { instanceOf: InvalidInputError });
  t.throws(() => replaceReadmeBlock(`${README_END}\n${README_BEGIN}\n`, 'x'), { instanceOf: InvalidInputError });
});

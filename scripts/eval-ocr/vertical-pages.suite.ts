import { compareText, summariseComparisons } from '../../pipeline/ocr/evaluation/index.ts';
import { findVerticalColumns, HanNomOcrEngine, NomOcrEngine, TesseractOcrEngine, type Box } from '../../pipeline/ocr/index.ts';
import type { OcrProfile } from '../../repository/index.ts';
import { composeCorpusPage, composeKieuPage, lineOverColumn, type LayoutTestPage } from '../../test/pipeline/ocr/layout/layout-test-pages.ts';
import { kieuColumns } from '../../test/pipeline/ocr/test-pages.ts';
import type { EvaluationRow, EvaluationSuite, OcrSampleResult } from './evaluation-suite.ts';
import { timed } from './suite-helpers.ts';

const PROFILES: readonly OcrProfile[] = ['han-vert', 'nom-vert', 'han-nom-vert'];

interface TranscribedPage {
  dataset: string;
  page: LayoutTestPage;
  /** The drawn columns with a transcription, and it. */
  columns: { box: Box; text: string }[];
}

/** The two composited test pages; on the Kiều page only the main columns have a transcription. */
async function transcribedPages(): Promise<TranscribedPage[]> {
  const kieu = await composeKieuPage();
  const truths = await kieuColumns();
  const mains = kieu.columns.filter((column) => column.kind === 'main');
  const corpus = await composeCorpusPage();
  return [
    {
      dataset: 'Kiều page, Nôm woodblock',
      page: kieu,
      columns: mains.map((column, index) => ({ box: column.box, text: truths[index]!.text })),
    },
    {
      dataset: 'sử ký page, Hán in HanaMin',
      page: corpus,
      columns: corpus.columns.flatMap((column) => (column.text === undefined ? [] : [{ box: column.box, text: column.text }])),
    },
  ];
}

/**
 * Whole pages through the vertical layout with each Hán-Nôm profile: every transcribed column
 * against the line the engine read over it (most overlap; none read = all deleted). Shows which
 * engine suits which script, and whether `han-nom-vert` picks the better per column.
 */
export const verticalPages: EvaluationSuite = {
  name: 'vertical-pages',
  description:
    'Two composited pages (16 real Kiều crops with frame, rules, notes, specks, 0.5°; Đại Việt sử ký toàn thư set in HanaMin ' +
    'with double-column notes) read whole with han-vert, nom-vert and han-nom-vert: CER per transcribed column',
  async run(context) {
    const engine = await context.engine(
      'han-nom',
      async () =>
        new HanNomOcrEngine({
          tesseract: await TesseractOcrEngine.create({ poolSize: 1 }),
          startNom: () => NomOcrEngine.create({ columnFinder: (page) => findVerticalColumns(page) }),
        }),
    );
    const rows: EvaluationRow[] = [];
    for (const { dataset, page, columns } of await transcribedPages()) {
      for (const profile of PROFILES) {
        const { value: samples, seconds } = await timed(async () => {
          const result = await engine.recognize(page.png, profile);
          return columns.map((column, index): OcrSampleResult => {
            const text = lineOverColumn(result.lines, column.box)?.text ?? '';
            return { name: `column ${index + 1}`, text, ...compareText(column.text, text, { whitespace: 'ignore', sequences: 'text' }) };
          });
        });
        rows.push({ kind: 'ocr', suite: 'vertical-pages', profile, dataset, n: samples.length, seconds, summary: summariseComparisons(samples), samples });
      }
    }
    return rows;
  },
};

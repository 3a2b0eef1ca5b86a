import test from 'ava';

import { chooseColumnReading } from '../../../pipeline/ocr/choose-column-reading.ts';
import { HanNomOcrEngine } from '../../../pipeline/ocr/han-nom.ocr-engine.ts';
import type { OcrEngine, OcrImage } from '../../../pipeline/ocr/ocr-engine.port.ts';
import type { OcrLine, OcrResult } from '../../../pipeline/ocr/ocr-result.ts';
import type { ReadColumnsOptions, VerticalColumnReader } from '../../../pipeline/ocr/vertical-column-reader.port.ts';
import type { GreyRaster } from '../../../pipeline/stages/skew-raster.ts';
import type { OcrProfile } from '../../../repository/index.ts';
import { composeCorpusPage } from './layout/layout-test-pages.ts';

function line(text: string, confidences: number[]): OcrLine {
  const words = [...text].map((char, index) => ({
    text: char,
    box: { x: 1, y: 2 + 10 * index, width: 8, height: 8 },
    confidence: confidences[index] ?? 0,
  }));
  return { text, box: { x: 0, y: 0, width: 10, height: 10 * words.length + 2 }, words };
}

test("Tesseract's reading is kept only when it is more confident by more than the margin; an empty side loses", (t) => {
  t.is(chooseColumnReading(line('才命', [90, 80]), line('𡦂命', [40, 60]))?.source, 'han');
  t.is(chooseColumnReading(line('才命', [30, 20]), line('𡦂命', [40, 60]))?.source, 'nom');
  t.is(chooseColumnReading(line('才', [59]), line('𡦂', [50]))?.source, 'nom', 'within the margin');
  t.is(chooseColumnReading(line('才', [59]), line('𡦂', [50]), 5)?.source, 'han');
  t.is(chooseColumnReading(undefined, line('󰑼', [5]))?.line.text, '󰑼');
  t.is(chooseColumnReading(line('', []), undefined), undefined);
});

/** An engine that answers from a script: what each column reads, and which calls it got. */
class ScriptedEngine implements OcrEngine, VerticalColumnReader {
  readonly calls: string[] = [];
  closed = 0;
  readonly #name: string;
  readonly #column: (index: number) => OcrLine | undefined;

  constructor(name: string, column: (index: number) => OcrLine | undefined) {
    this.#name = name;
    this.#column = column;
  }

  async recognize(_image: OcrImage, profile: OcrProfile): Promise<OcrResult> {
    this.calls.push(`recognize ${profile}`);
    return { text: this.#name, lines: [], meanConfidence: 0, hocr: '', languages: this.#name, direction: 'horizontal', imageWidth: 1, imageHeight: 1 };
  }

  async readColumns(crops: readonly GreyRaster[], options: ReadColumnsOptions): Promise<(OcrLine | undefined)[]> {
    this.calls.push(`readColumns ${crops.length} at ${options.dpi} dpi`);
    return crops.map((_crop, index) => this.#column(index));
  }

  async close(): Promise<void> {
    this.closed += 1;
  }
}

test('profiles go to the engine that reads them; the Nôm recogniser starts only when needed, once', async (t) => {
  const tesseract = new ScriptedEngine('tesseract', () => undefined);
  const nom = new ScriptedEngine('nom', () => undefined);
  let starts = 0;
  const engine = new HanNomOcrEngine({ tesseract, startNom: async () => (starts++, nom) });
  const image = Buffer.from('not read by scripted engines');

  t.is((await engine.recognize(image, 'vie')).text, 'tesseract');
  t.is((await engine.recognize(image, 'han-vert')).text, 'tesseract');
  t.is(starts, 0);
  t.is((await engine.recognize(image, 'nom-vert')).text, 'nom');
  t.is((await engine.recognize(image, 'nom-vert')).text, 'nom');
  t.is(starts, 1);
  t.deepEqual(tesseract.calls, ['recognize vie', 'recognize han-vert']);
  t.deepEqual(nom.calls, ['recognize nom-vert', 'recognize nom-vert']);

  await engine.close();
  t.is(tesseract.closed, 1);
  t.is(nom.closed, 1);
  await t.throwsAsync(engine.recognize(image, 'vie'), { message: /closed/ });
});

test('a Nôm recogniser that fails to start is started again on the next page', async (t) => {
  const nom = new ScriptedEngine('nom', () => undefined);
  let starts = 0;
  const engine = new HanNomOcrEngine({
    tesseract: new ScriptedEngine('tesseract', () => undefined),
    startNom: async () => {
      starts += 1;
      if (starts === 1) throw new Error('models missing');
      return nom;
    },
  });
  await t.throwsAsync(engine.recognize(Buffer.alloc(0), 'nom-vert'), { message: 'models missing' });
  t.is((await engine.recognize(Buffer.alloc(0), 'nom-vert')).text, 'nom');
  t.is(starts, 2);
});

test('han-nom-vert reads every column with both engines and keeps the more confident, boxes on the page', async (t) => {
  const page = await composeCorpusPage();
  // Tesseract is far surer of the even columns, the Nôm recogniser of the odd ones.
  const tesseract = new ScriptedEngine('tesseract', (index) => line(`漢${index}`, [index % 2 === 0 ? 90 : 10, 50]));
  const nom = new ScriptedEngine('nom', (index) => line(`𡨸${index}`, [index % 2 === 0 ? 20 : 95, 50]));
  const engine = new HanNomOcrEngine({ tesseract, startNom: async () => nom });

  const result = await engine.recognize(page.png, 'han-nom-vert');
  const columns = result.lines.length;
  t.true(columns >= page.columns.filter((column) => column.kind === 'main').length, `${columns} columns read`);
  t.deepEqual(tesseract.calls, [`readColumns ${columns} at 300 dpi`]);
  t.deepEqual(nom.calls, [`readColumns ${columns} at 300 dpi`]);
  result.lines.forEach((read, index) => {
    t.is(read.text, index % 2 === 0 ? `漢${index}` : `𡨸${index}`);
    for (const word of read.words) {
      t.true(word.box.x >= read.box.x && word.box.y >= read.box.y, 'a character box is moved onto the page, inside its column');
    }
  });
  t.is(result.text, result.lines.map((read) => read.text).join('\n'));
  t.is(result.direction, 'vertical-rl');
  t.is(result.languages, 'chi_tra_vert+nom');
  t.is(result.imageWidth, page.raster.width);
  t.regex(result.hocr, /x_wconf 95">𡨸<\/span>/u);
  await engine.close();
});

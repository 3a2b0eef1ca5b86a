import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { pino } from 'pino';
import sharp from 'sharp';
import { searchRoutes } from '../../../iiif/index.ts';
import { CharacterSampleCrops, queueCorrectionPipeline } from '../../../pipeline/index.ts';
import {
  CharacterSampleRepository,
  correctionRoutes,
  createRepositories,
  IN_MEMORY,
  LearnedReadingRepository,
  migrateToLatest,
  NomReadingsLookup,
  OcrCorrectionService,
  PgliteDatabase,
  type CorrectionPipeline,
  type StoredOcrPage,
  type Viewer,
} from '../../../repository/index.ts';
import { ConflictError, derivativeKey, ForbiddenError, FsObjectStore, sha256Hex } from '../../../storage/index.ts';
import { actingAs } from '../../helpers/acting-as.ts';
import { serveRouters } from '../../helpers/serve-routers.ts';

const silent = pino({ level: 'silent' });
const PUA = '\u{F0000}';
const ASTRAL = '𡨸';

const OCR: StoredOcrPage = {
  text: `${ASTRAL} 字\n\nThư viện`,
  lines: [
    {
      text: `${ASTRAL} 字`,
      box: { x: 20, y: 20, width: 120, height: 50 },
      words: [
        { text: ASTRAL, box: { x: 20, y: 20, width: 40, height: 50 }, confidence: 30, alternatives: [{ text: '字', confidence: 20 }, { text: PUA, confidence: 10 }] },
        { text: '字', box: { x: 80, y: 20, width: 40, height: 50 }, confidence: 90 },
      ],
    },
    {
      text: 'Thư viện',
      box: { x: 20, y: 120, width: 160, height: 30 },
      words: [
        { text: 'Thư', box: { x: 20, y: 120, width: 60, height: 30 }, confidence: 95 },
        { text: 'viện', box: { x: 100, y: 120, width: 80, height: 30 }, confidence: 40 },
      ],
    },
  ],
  meanConfidence: 63.75,
  languages: 'chi_tra',
  direction: 'horizontal',
  imageWidth: 400,
  imageHeight: 300,
};

interface Fixture {
  database: PgliteDatabase;
  store: FsObjectStore;
  service: OcrCorrectionService;
  repackaged: string[];
  libraryId: string;
  itemId: string;
  pageId: string;
  operator: Viewer;
  version: string;
}

const operatorOf = (libraryId: string, username = 'thu-thu'): Viewer => ({
  kind: 'user',
  user: { id: username, username, role: 'operator', libraryId },
  via: 'session',
  readingRoom: false,
});

async function withFixture(t: ExecutionContext, run: (fixture: Fixture) => Promise<void>): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ocr-corrections-'));
  const database = await PgliteDatabase.open(IN_MEMORY, { logger: silent });
  t.teardown(async () => {
    await database.close();
    await rm(root, { recursive: true, force: true });
  });
  await migrateToLatest(database, silent);
  const store = await FsObjectStore.open(path.join(root, 'objects'));
  const repositories = createRepositories(database.db);
  const library = await repositories.libraries.create({ slug: 'hue', name: 'Thư viện Huế', province: 'Huế', kind: 'provincial' });
  const collection = await repositories.collections.create({ libraryId: library.id, slug: 'han-nom', title: 'Hán Nôm', category: 'rare' });
  const item = await repositories.items.create({ collectionId: collection.id, identifier: 'HN-1', title: 'Lục Vân Tiên' });
  const page = await repositories.pages.create({ itemId: item.id, seq: 1, masterKey: `masters/${item.id}/${'0'.repeat(64)}.png`, masterSha256: '0'.repeat(64), masterSize: 1, contentType: 'image/png', imageWidth: 400, imageHeight: 300 });
  await database.db.insertInto('users').values({ id: 'thu-thu', username: 'thu-thu', display_name: 'Thủ thư', role: 'operator', library_id: library.id }).execute();
  const put = async (file: 'ocr.json' | 'ocr.hocr' | 'text.txt' | 'print.jpg', body: Buffer, kind: string) => {
    const info = await store.put(derivativeKey(item.id, page.id, file), body);
    await repositories.storedObjects.record({ key: derivativeKey(item.id, page.id, file), sha256: info.sha256!, size: info.size, contentType: info.contentType, itemId: item.id, pageId: page.id, kind });
  };
  const json = Buffer.from(JSON.stringify(OCR));
  await put('ocr.json', json, 'ocr');
  await put('text.txt', Buffer.from(OCR.text), 'text');
  await put('ocr.hocr', Buffer.from('<meta name="ocr-system" content="tesseract.js 7"/><div class="ocr_page" title="bbox 0 0 400 300; ppageno 0; scan_res 300 300">'), 'hocr');
  await put('print.jpg', await sharp({ create: { width: 400, height: 300, channels: 3, background: '#ffffff' } }).jpeg().toBuffer(), 'print');
  await repositories.pages.setText(page.id, item.id, OCR.text);
  const repackaged: string[] = [];
  const real = queueCorrectionPipeline({} as never);
  const pipeline: CorrectionPipeline = { buildHocr: real.buildHocr, cropCharacter: real.cropCharacter, repackage: async (itemId) => (repackaged.push(itemId), true) };
  const service = new OcrCorrectionService({ database, store, pipeline });
  await run({ database, store, service, repackaged, libraryId: library.id, itemId: item.id, pageId: page.id, operator: operatorOf(library.id), version: sha256Hex(json) });
}

const EDITS = [
  { lineIndex: 0, wordIndex: 0, before: ASTRAL, after: PUA },
  { lineIndex: 1, wordIndex: 1, before: 'viện', after: ASTRAL, reading: 'chữ' },
];

test('saving rewrites ocr.json, text and hOCR through the ledger, records the history and keeps labelled crops', async (t) => {
  await withFixture(t, async (f) => {
    const saved = await f.service.save(f.operator, { pageId: f.pageId, version: f.version, edits: EDITS });
    t.deepEqual({ corrections: saved.corrections, samples: saved.samples, repackagingQueued: saved.repackagingQueued }, { corrections: 2, samples: 2, repackagingQueued: true });
    t.deepEqual(f.repackaged, [f.itemId], "the item's packaging is queued again");

    const read = async (file: 'ocr.json' | 'text.txt' | 'ocr.hocr') => (await buffer(await f.store.get(derivativeKey(f.itemId, f.pageId, file)))).toString('utf8');
    const ocr = JSON.parse(await read('ocr.json')) as StoredOcrPage;
    t.is(saved.version, sha256Hex(await read('ocr.json')));
    t.is(ocr.lines[0]!.words[0]!.text, PUA);
    t.is(ocr.lines[0]!.words[0]!.confidence, 100);
    t.deepEqual(ocr.lines[0]!.words[0]!.alternatives, [{ text: ASTRAL, confidence: 30 }, { text: '字', confidence: 20 }], "the engine's reading becomes an alternative");
    t.is(ocr.lines[1]!.text, `Thư ${ASTRAL}`);
    t.is(await read('text.txt'), `${PUA} 字\n\nThư ${ASTRAL}`, 'blank lines between paragraphs are kept');
    const hocr = await read('ocr.hocr');
    t.is((hocr.match(/class="ocr_carea"/g) ?? []).length, 2, 'one block per paragraph');
    t.true(hocr.includes(`>${PUA}</span>`) && hocr.includes(`>${ASTRAL}</span>`));
    t.regex(hocr, /scan_res 300 300/);
    t.regex(hocr, /content="tesseract.js 7, corrected by hand"/);

    const repositories = createRepositories(f.database.db);
    for (const file of ['ocr.json', 'text.txt', 'ocr.hocr'] as const) {
      const key = derivativeKey(f.itemId, f.pageId, file);
      t.is((await repositories.storedObjects.get(key)).sha256, (await f.store.stat(key)).sha256!, `${file} in the ledger`);
    }
    const text = await f.database.db.selectFrom('page_texts').select('text').where('page_id', '=', f.pageId).executeTakeFirstOrThrow();
    t.is(text.text, `${PUA} 字\n\nThư ${ASTRAL}`, 'search text updated');

    const history = await f.service.history(f.operator, f.pageId);
    t.deepEqual(
      history.map(({ lineIndex, wordIndex, before, after, userName, box }) => ({ lineIndex, wordIndex, before, after, userName, box })).sort((a, b) => a.lineIndex - b.lineIndex),
      [
        { lineIndex: 0, wordIndex: 0, before: ASTRAL, after: PUA, userName: 'thu-thu', box: OCR.lines[0]!.words[0]!.box },
        { lineIndex: 1, wordIndex: 1, before: 'viện', after: ASTRAL, userName: 'thu-thu', box: OCR.lines[1]!.words[1]!.box },
      ],
    );

    const samples = await new CharacterSampleRepository(f.database.db, f.store).listForLibrary(f.libraryId);
    t.deepEqual(samples.map((sample) => sample.label).sort(), [PUA, ASTRAL].sort());
    for (const sample of samples) {
      const meta = await sharp(sample.png).metadata();
      t.is(meta.format, 'png');
      t.is(meta.channels, 1, 'greyscale');
      t.deepEqual([meta.width, meta.height], [sample.sample.width, sample.sample.height]);
      t.is((await repositories.storedObjects.get(sample.sample.key)).sha256, sha256Hex(sample.png), 'the crop is in the ledger');
      t.regex(sample.sample.key, new RegExp(`^training/${f.libraryId}/[0-9a-f-]+\\.png$`));
    }
    const nom = samples.find((sample) => sample.label === PUA)!;
    t.deepEqual([nom.sample.width, nom.sample.height], [40 + 2 * 4, 50 + 2 * 4], 'the box and a margin of 8% of its longer side');

    const lookup = new NomReadingsLookup(async () => [], new LearnedReadingRepository(f.database.db));
    t.deepEqual(await lookup.lookup('chu', f.libraryId), [{ character: ASTRAL, reading: 'chữ', count: 1 }], 'a character picked by its reading teaches the lookup');
    t.deepEqual(await lookup.lookup('chu', 'another-library'), []);
  });
});

test('a save on a page changed since it was opened is refused with nothing written; another library may not save', async (t) => {
  await withFixture(t, async (f) => {
    await f.service.save(f.operator, { pageId: f.pageId, version: f.version, edits: [EDITS[0]!] });
    const key = derivativeKey(f.itemId, f.pageId, 'ocr.json');
    const after = (await f.store.stat(key)).sha256;
    await t.throwsAsync(f.service.save(f.operator, { pageId: f.pageId, version: f.version, edits: [EDITS[1]!] }), { instanceOf: ConflictError, message: /reload the editor/ });
    t.is((await f.store.stat(key)).sha256, after);
    t.is((await f.service.history(f.operator, f.pageId)).length, 1);
    t.deepEqual(f.repackaged, [f.itemId]);
    await t.throwsAsync(f.service.save(operatorOf('other-library', 'khac'), { pageId: f.pageId, version: after!, edits: [EDITS[1]!] }), { instanceOf: ForbiddenError });
  });
});

test('the training data export holds every crop and labels.tsv; IIIF content search finds the corrected word with its box', async (t) => {
  await withFixture(t, async (f) => {
    await f.service.save(f.operator, { pageId: f.pageId, version: f.version, edits: EDITS });
    const readings = new NomReadingsLookup(async () => [], new LearnedReadingRepository(f.database.db));
    const served = await serveRouters(
      actingAs(f.operator),
      correctionRoutes({ database: f.database, store: f.store, corrections: f.service, readings }),
      searchRoutes({ database: f.database, store: f.store, publicBaseUrl: 'http://example.invalid' }),
    );
    t.teardown(() => served.close());

    const response = await fetch(`${served.baseUrl}/api/training-data.tar?library=${f.libraryId}`);
    t.is(response.status, 200);
    t.is(response.headers.get('content-type'), 'application/x-tar');
    t.regex(response.headers.get('content-disposition') ?? '', /training-data-hue\.tar/);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'training-tar-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    await writeFile(path.join(dir, 'data.tar'), Buffer.from(await response.arrayBuffer()));
    const { stdout } = await promisify(execFile)('tar', ['-xvf', 'data.tar'], { cwd: dir });
    const files = stdout.trim().split('\n').sort();
    t.is(files[0], 'labels.tsv');
    t.deepEqual(files.slice(1).map((file) => /^samples\/[0-9a-f-]+\.png$/.test(file)), [true, true]);
    const labels = (await readFile(path.join(dir, 'labels.tsv'), 'utf8')).trimEnd().split('\n').map((line) => line.split('\t'));
    t.deepEqual(labels[0], ['file', 'label', 'code_points', 'library', 'item', 'page', 'box']);
    const rows = labels.slice(1).sort((a, b) => a[2]!.localeCompare(b[2]!));
    t.deepEqual(rows.map((row) => row.slice(1)), [
      [ASTRAL, 'U+21A38', f.libraryId, f.itemId, f.pageId, '100,120,80,30'],
      [PUA, 'U+F0000', f.libraryId, f.itemId, f.pageId, '20,20,40,50'],
    ]);
    for (const row of rows) t.is((await sharp(await readFile(path.join(dir, row[0]!))).metadata()).format, 'png');

    const search = (await (await fetch(`${served.baseUrl}/iiif/search/${f.itemId}?q=${encodeURIComponent(ASTRAL)}`)).json()) as { items: { target: unknown; body: { value: string } }[] };
    t.is(search.items.length, 1, 'only the corrected word: the box that read it before no longer does');
    t.regex(JSON.stringify(search.items[0]!.target), /xywh=100,120,80,30/);
  });
});

test("the Nôm recogniser's crops: one-character Hán-Nôm samples only, each PNG read from the store once", async (t) => {
  await withFixture(t, async (f) => {
    // A confirmed Quốc ngữ word is a sample too, but no template.
    const confirmed = { lineIndex: 1, wordIndex: 0, before: 'Thư', after: 'Thư' };
    const saved = await f.service.save(f.operator, { pageId: f.pageId, version: f.version, edits: [...EDITS, confirmed] });
    const samples = new CharacterSampleRepository(f.database.db, f.store);
    t.is((await collect(samples.samples())).length, 3);

    const gets: string[] = [];
    const counting = new Proxy(f.store, {
      get(target, property, receiver) {
        if (property === 'get') return (key: string) => (gets.push(key), target.get(key));
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const crops = new CharacterSampleCrops(new CharacterSampleRepository(f.database.db, counting), silent);
    const first = await crops.crops();
    t.deepEqual(first.map((crop) => crop.label).sort(), [ASTRAL, PUA].sort());
    t.true(first.every((crop) => crop.image.width > 0 && crop.image.data.length === crop.image.width * crop.image.height), 'decoded to grey');
    t.is(gets.length, 2);
    const version = await crops.version();

    const again = await crops.crops();
    t.is(gets.length, 2, 'nothing read again');
    t.deepEqual(again, first);
    t.is(await crops.version(), version, 'no change, same version');

    await f.service.save(f.operator, { pageId: f.pageId, version: saved.version, edits: [{ lineIndex: 0, wordIndex: 1, before: '字', after: '字' }] });
    t.not(await crops.version(), version, 'a new sample, a new version');
    t.is((await crops.crops()).length, 3);
    t.is(gets.length, 3, 'only the new sample is read');
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

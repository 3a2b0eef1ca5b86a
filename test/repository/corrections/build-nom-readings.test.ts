import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { buildNomReadings, nomCharacters, quocNguSyllables, readingKey, serialiseNomReadings, NOM_READINGS_FILE, loadNomReadings } from '../../../repository/index.ts';

test('syllables drop punctuation and keep marks; characters count by code point, astral and Private Use Area once each', (t) => {
  t.deepEqual(quocNguSyllables('Dữ răn việc trước, lành dè thân sau.'), ['dữ', 'răn', 'việc', 'trước', 'lành', 'dè', 'thân', 'sau']);
  t.deepEqual(quocNguSyllables('Đoạn trường'.normalize('NFD')), ['đoạn', 'trường'], 'NFD input comes out NFC');
  t.deepEqual(nomCharacters('𤳆辰、忠孝\u{F0000}頭。'), ['𤳆', '辰', '忠', '孝', '\u{F0000}', '頭']);
});

test('the key folds marks, case and đ; the reading keeps its marks', (t) => {
  t.is(readingKey('Của'), 'cua');
  t.is(readingKey('ĐẦU'), 'dau');
  const built = buildNomReadings('𧵑門\n𧵑𨴦\n', 'Của ai\ncủa cửa\n');
  t.deepEqual(built.entries, [
    { key: 'ai', reading: 'ai', character: '門', count: 1 },
    { key: 'cua', reading: 'của', character: '𧵑', count: 2 },
    { key: 'cua', reading: 'cửa', character: '𨴦', count: 1 },
  ]);
});

test('only lines with as many syllables as characters are used, and the report says how many', (t) => {
  const built = buildNomReadings('𠄩𡦂\n人情喓\n\n埃', 'hai chữ\nnhân tình\n\nai');
  t.is(built.totalLines, 3);
  t.is(built.alignedLines, 2);
  t.false(built.entries.some((entry) => entry.character === '人'), 'a line that does not align gives nothing');
  t.true(built.entries.some((entry) => entry.character === '埃' && entry.reading === 'ai'));
});

test('the committed table is what the corpus builds today, and loads', async (t) => {
  const corpus = fileURLToPath(new URL('../../../../shared/fixtures/hannom/corpus/', import.meta.url));
  const [nom, quocNgu] = await Promise.all(['luc-van-tien.nom.txt', 'luc-van-tien.quoc-ngu.txt'].map((file) => readFile(`${corpus}${file}`, 'utf8')));
  const built = buildNomReadings(nom!, quocNgu!);
  t.true(built.alignedLines > 2000, `${built.alignedLines} of ${built.totalLines} lines aligned`);
  t.is(serialiseNomReadings(built, ['luc-van-tien.nom.txt', 'luc-van-tien.quoc-ngu.txt']), await readFile(NOM_READINGS_FILE, 'utf8'), 'run npm run build-nom-readings');
  const entries = await loadNomReadings();
  t.deepEqual(entries, built.entries);
  t.true(entries.some((entry) => entry.reading === 'của' && entry.character === '𧵑'));
});

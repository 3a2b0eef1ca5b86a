import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import test from 'ava';

import { OCR_PROFILES } from '../../repository/database/domain.types.ts';
import { BUILT_IN_PROFILES, loadStationProfile, STATION_OCR_PROFILES } from '../../scanners/profiles/station-profile.ts';
import { StationError } from '../../scanners/station-error.ts';

let dir = '';
test.before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'station-profile-'));
});
test.after.always(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const custom = {
  name: 'bao-chi',
  description: 'Báo, tạp chí: ảnh xám 300 dpi',
  minDpi: 300,
  formats: ['tiff', 'png'],
  colourMode: 'greyscale',
  bitDepths: [8],
  ocrProfile: 'vie',
};

async function profileFile(name: string, content: unknown): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

test('the built-in profiles load with the values of a digitisation guideline', async (t) => {
  t.deepEqual([...BUILT_IN_PROFILES], ['rare', 'text', 'han-nom']);
  t.like(await loadStationProfile('rare'), { name: 'rare', minDpi: 400, formats: ['tiff'], colourMode: 'colour', bitDepths: [8, 16], ocrProfile: 'vie' });
  t.like(await loadStationProfile('text'), { name: 'text', minDpi: 300, formats: ['tiff', 'jpeg', 'png'], colourMode: 'greyscale', bitDepths: [1, 8], ocrProfile: 'vie' });
  t.like(await loadStationProfile('han-nom'), { name: 'han-nom', minDpi: 400, formats: ['tiff'], colourMode: 'colour', bitDepths: [8, 16], ocrProfile: 'han-vert' });
});

test('built-in descriptions are Vietnamese, NFC, and the rare profile says why it takes TIFF only', async (t) => {
  for (const name of BUILT_IN_PROFILES) {
    const { description } = await loadStationProfile(name);
    t.is(description, description.normalize('NFC'), name);
    t.regex(description, /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i, `${name} is written in Vietnamese`);
  }
  t.regex((await loadStationProfile('rare')).description, /không nhận JPEG vì JPEG nén mất dữ liệu/);
});

test('the station offers exactly the OCR profiles the repository accepts', (t) => {
  t.deepEqual([...STATION_OCR_PROFILES], [...OCR_PROFILES]);
});

test('a custom profile loads from a .json file; its description is normalised to NFC', async (t) => {
  const decomposed = { ...custom, description: custom.description.normalize('NFD') };
  const profile = await loadStationProfile(await profileFile('bao-chi.json', decomposed));
  t.deepEqual(profile, { ...custom, formats: ['tiff', 'png'] });
  t.is(profile.description, custom.description.normalize('NFC'));
});

test('an invalid profile is a StationError naming the file and the field', async (t) => {
  const cases: [string, unknown, RegExp][] = [
    ['dpi-as-text.json', { ...custom, minDpi: '300' }, /minDpi/],
    ['negative-dpi.json', { ...custom, minDpi: -1 }, /minDpi/],
    ['bmp.json', { ...custom, formats: ['tiff', 'bmp'] }, /formats\.1/],
    ['no-formats.json', { ...custom, formats: [] }, /formats/],
    ['twelve-bits.json', { ...custom, bitDepths: [12] }, /bitDepths\.0/],
    ['ocr.json', { ...custom, ocrProfile: 'nom' }, /ocrProfile/],
    ['colour.json', { ...custom, colourMode: 'color' }, /colourMode/],
    ['typo.json', { ...custom, minDPI: 400 }, /minDPI/],
    ['no-name.json', { ...custom, name: undefined }, /name/],
  ];
  for (const [name, content, field] of cases) {
    const file = await profileFile(name, content);
    const error = await t.throwsAsync(loadStationProfile(file), { instanceOf: StationError }, name);
    t.true(error?.message.includes(file), `${name}: names the file`);
    t.regex(error?.message ?? '', field, `${name}: names the field`);
  }
});

test('a profile that is not JSON, a missing file and an unknown name are StationErrors that say so', async (t) => {
  const broken = await profileFile('broken.json', '{ "name": "rare", ');
  await t.throwsAsync(loadStationProfile(broken), { instanceOf: StationError, message: /broken\.json is not valid JSON/ });
  await t.throwsAsync(loadStationProfile(path.join(dir, 'missing.json')), { instanceOf: StationError, message: /Cannot read.*missing\.json/ });
  await t.throwsAsync(loadStationProfile('sach-quy'), { instanceOf: StationError, message: /Unknown station profile "sach-quy".*rare, text, han-nom/ });
});

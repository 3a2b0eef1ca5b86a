import test, { type ExecutionContext } from 'ava';
import {
  createRepositories,
  IN_MEMORY,
  migrateToLatest,
  PgliteDatabase,
  type Database,
  type Library,
  type Repositories,
} from '../../repository/index.ts';
import { recordRoutes, webRoutes } from '../../repository/web/index.ts';
import { actingAs, ADMIN_VIEWER } from '../helpers/acting-as.ts';
import { serveRouters, type ServedRouters } from '../helpers/serve-routers.ts';

let database: Database;
let server: ServedRouters | undefined;
let base: string;
let repositories: Repositories;
/** A library made for the tests that need one, outside the forms. */
let seeded: Library;

test.before(async () => {
  database = await PgliteDatabase.open(IN_MEMORY);
  await migrateToLatest(database);
  repositories = createRepositories(database.db);
  seeded = await repositories.libraries.create({ slug: 'tv-lam-dong', name: 'Thư viện tỉnh Lâm Đồng', province: 'Lâm Đồng', kind: 'provincial' });
  server = await serveRouters(actingAs(ADMIN_VIEWER), recordRoutes({ database }), webRoutes({ database, publicBaseUrl: 'http://so.example.vn' }));
  base = server.baseUrl;
});
test.after.always(async () => {
  await server?.close();
  await database?.close();
});

interface Answer {
  status: number;
  body: string;
  location: string | null;
}

async function answer(response: Response): Promise<Answer> {
  return { status: response.status, body: await response.text(), location: response.headers.get('location') };
}

const get = async (path: string) => answer(await fetch(`${base}${path}`, { redirect: 'manual' }));

/** A classic form submission (`application/x-www-form-urlencoded`, UTF-8). */
const post = async (path: string, fields: Record<string, string>) =>
  answer(await fetch(`${base}${path}`, { method: 'post', body: new URLSearchParams(fields), redirect: 'manual' }));

/** The `value` attribute of the control with this id, unescaped. */
function valueOf(body: string, id: string): string | undefined {
  const match = new RegExp(`<input id="${id}"[^>]*\\svalue="([^"]*)"`).exec(body);
  return match?.[1]?.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** The value of the selected option of the select with this id. */
function selectedOf(body: string, id: string): string | undefined {
  const select = new RegExp(`<select id="${id}"[^>]*>(.*?)</select>`, 's').exec(body)?.[1] ?? '';
  return /<option value="([^"]*)" selected>/.exec(select)?.[1];
}

function assertAccessibleForm(t: ExecutionContext, body: string): void {
  t.notRegex(body, /<script(?![^>]*src=)/, 'no inline script');
  t.notRegex(body, /\son[a-z]+=/i, 'no inline handler');
  const ids = [...body.matchAll(/<(?:input|select|textarea) id="([^"]+)"/g)].map((match) => match[1]);
  t.true(ids.length >= 4);
  for (const id of ids) t.true(body.includes(`<label for="${id}">`), `a visible label for ${id}`);
}

const collectionFields = (libraryId: string, overrides: Record<string, string> = {}) => ({
  libraryId,
  slug: 'han-nom',
  // NFD on purpose (a cataloguing tool's output): it must be stored in NFC.
  title: 'Tư liệu Hán Nôm Đà Lạt'.normalize('NFD'),
  description: 'Sắc phong, gia phả, địa bạ',
  category: 'rare',
  holdingsCount: '12500',
  targetPercent: '12,5',
  targetDate: '2030-12-31',
  defaultAccess: 'restricted',
  ocrProfile: 'han-vert',
  ...overrides,
});

test('the library form is labelled in Vietnamese, posts to itself and has no inline code', async (t) => {
  const page = await get('/quan-tri/thu-vien/moi');
  t.is(page.status, 200);
  t.true(page.body.includes('<h1>Thêm thư viện</h1>'));
  for (const label of ['Mã định danh (slug)', 'Tên thư viện', 'Tỉnh/thành', 'Cấp thư viện']) t.true(page.body.includes(`>${label}`), label);
  t.true(page.body.includes('action="/quan-tri/thu-vien/moi?lang=vi" method="post"'));
  t.true(page.body.includes('<option value="district">Thư viện cấp huyện</option>'));
  assertAccessibleForm(t, page.body);
});

test('creating then editing a library through its form stores every field in NFC', async (t) => {
  const created = await post('/quan-tri/thu-vien/moi?lang=vi', {
    slug: 'tv-dak-nong',
    name: 'Thư viện tỉnh Đắk Nông'.normalize('NFD'),
    province: ' Đắk Nông '.normalize('NFD'),
    kind: 'provincial',
  });
  t.is(created.status, 303);
  t.is(created.location, '/quan-tri');
  const library = await repositories.libraries.getBySlug('tv-dak-nong');
  t.like(library, { name: 'Thư viện tỉnh Đắk Nông'.normalize('NFC'), province: 'Đắk Nông'.normalize('NFC'), kind: 'provincial' });

  const form = await get(`/quan-tri/thu-vien/${library.id}`);
  t.is(form.status, 200);
  t.true(form.body.includes('Sửa thư viện: Thư viện tỉnh Đắk Nông'));
  t.is(valueOf(form.body, 'library-slug'), 'tv-dak-nong', 'the slug is editable: the patch schema accepts it');
  t.is(valueOf(form.body, 'library-name'), 'Thư viện tỉnh Đắk Nông');
  t.is(selectedOf(form.body, 'library-kind'), 'provincial');

  const edited = await post(`/quan-tri/thu-vien/${library.id}`, { slug: 'tv-gia-nghia', name: 'Thư viện thành phố Gia Nghĩa', province: 'Đắk Nông', kind: 'district' });
  t.is(edited.status, 303);
  t.like(await repositories.libraries.getById(library.id), { slug: 'tv-gia-nghia', name: 'Thư viện thành phố Gia Nghĩa', province: 'Đắk Nông', kind: 'district' });
});

test('a library with a bad slug or an empty name is refused with messages by the fields, as typed; nothing is written', async (t) => {
  const refused = await post('/quan-tri/thu-vien/moi', { slug: 'Thư Viện', name: '  ', province: 'Huế <b>', kind: 'school' });
  t.is(refused.status, 400);
  t.regex(refused.body, /<div class="error-summary" role="alert"[^>]*>/);
  t.true(refused.body.includes('Chưa lưu được. Số mục cần sửa: 2.'));
  t.true(refused.body.includes('<a href="#library-slug">Mã định danh (slug): Chỉ dùng chữ thường không dấu'));
  t.regex(refused.body, /<input id="library-slug" name="slug" aria-describedby="library-slug-hint library-slug-error" aria-invalid="true" required/);
  t.true(refused.body.includes('id="library-name-error"'));
  t.false(refused.body.includes('id="library-province-error"'));
  t.is(valueOf(refused.body, 'library-slug'), 'Thư Viện');
  t.is(valueOf(refused.body, 'library-province'), 'Huế <b>');
  t.true(refused.body.includes('value="Huế &lt;b&gt;"'), 'typed values are escaped');
  t.is(selectedOf(refused.body, 'library-kind'), 'school');
  const { rows } = await repositories.libraries.list({ province: 'Huế <b>' });
  t.deepEqual(rows, []);
});

test('a taken library slug answers 409 with its own message', async (t) => {
  const clash = await post('/quan-tri/thu-vien/moi', { slug: seeded.slug, name: 'Thư viện khác', province: 'Lâm Đồng', kind: 'community' });
  t.is(clash.status, 409);
  t.true(clash.body.includes('Mã định danh này đã có thư viện khác dùng.'));
  t.is(valueOf(clash.body, 'library-name'), 'Thư viện khác');
  const other = await repositories.libraries.create({ slug: 'tv-hue', name: 'Thư viện Huế', province: 'Huế', kind: 'provincial' });
  const editClash = await post(`/quan-tri/thu-vien/${other.id}`, { slug: seeded.slug, name: 'Thư viện Huế', province: 'Huế', kind: 'provincial' });
  t.is(editClash.status, 409);
  t.is((await repositories.libraries.getById(other.id)).slug, 'tv-hue');
});

test('the collection form preselects the library asked for and explains what the numbers mean', async (t) => {
  const page = await get(`/quan-tri/bo-suu-tap/moi?thu-vien=${seeded.id}`);
  t.is(page.status, 200);
  t.is(selectedOf(page.body, 'collection-libraryId'), seeded.id);
  for (const label of [
    'Tên bộ sưu tập',
    'Loại (Địa chí / Tài liệu quý hiếm / …)',
    'Số tài liệu trong kho (holdings)',
    'Chỉ tiêu số hóa (%)',
    'Hạn hoàn thành',
    'Mức truy cập mặc định',
    'Cấu hình OCR',
  ]) {
    t.true(page.body.includes(`>${label}`), label);
  }
  t.true(page.body.includes('Tỷ lệ số hóa trên trang quản trị = số tài liệu đã số hóa ÷ số này.'));
  t.regex(page.body, /<input id="collection-holdingsCount" name="holdingsCount" aria-describedby="collection-holdingsCount-hint" type="text" value="" inputmode="numeric"/);
  t.regex(page.body, /<input id="collection-targetDate"[^>]* type="date"/);
  t.is(selectedOf(page.body, 'collection-defaultAccess'), 'public');
  t.is(selectedOf(page.body, 'collection-ocrProfile'), 'vie');
  t.true(page.body.includes('<option value="dia-chi">Địa chí</option>'));
  assertAccessibleForm(t, page.body);
  t.is(selectedOf((await get('/quan-tri/bo-suu-tap/moi?thu-vien=khong-co')).body, 'collection-libraryId'), undefined, 'an unknown library preselects nothing');
});

test('creating then editing a collection through its form stores every field', async (t) => {
  const created = await post('/quan-tri/bo-suu-tap/moi?lang=vi', collectionFields(seeded.id));
  t.is(created.status, 303);
  t.is(created.location, '/quan-tri');
  const collection = await repositories.collections.getBySlug(seeded.id, 'han-nom');
  t.like(collection, {
    libraryId: seeded.id,
    title: 'Tư liệu Hán Nôm Đà Lạt'.normalize('NFC'),
    description: 'Sắc phong, gia phả, địa bạ',
    category: 'rare',
    holdingsCount: 12500,
    targetPercent: 12.5,
    targetDate: '2030-12-31',
    defaultAccess: 'restricted',
    ocrProfile: 'han-vert',
    minDpi: 300,
  });

  const form = await get(`/quan-tri/bo-suu-tap/${collection.id}`);
  t.is(form.status, 200);
  t.is(valueOf(form.body, 'collection-targetPercent'), '12,5', 'the Vietnamese decimal comma');
  t.is(valueOf(form.body, 'collection-holdingsCount'), '12500');
  t.is(valueOf(form.body, 'collection-targetDate'), '2030-12-31');
  t.is(valueOf(form.body, 'collection-libraryId'), 'Thư viện tỉnh Lâm Đồng', 'the library is shown');
  t.regex(form.body, /<input id="collection-libraryId" type="text" value="[^"]*" readonly/, 'read-only, without a name');
  t.is(selectedOf(form.body, 'collection-ocrProfile'), 'han-vert');
  t.is(valueOf((await get(`/quan-tri/bo-suu-tap/${collection.id}?lang=en`)).body, 'collection-targetPercent'), '12.5');

  const edited = await post(
    `/quan-tri/bo-suu-tap/${collection.id}`,
    collectionFields('ignored', { slug: 'han-nom-2', title: 'Hán Nôm', description: '', category: 'dia-chi', holdingsCount: '900', targetPercent: '40', targetDate: '', defaultAccess: 'public', ocrProfile: 'vie+han' }),
  );
  t.is(edited.status, 303);
  t.like(await repositories.collections.getById(collection.id), {
    libraryId: seeded.id,
    slug: 'han-nom-2',
    title: 'Hán Nôm',
    description: '',
    category: 'dia-chi',
    holdingsCount: 900,
    targetPercent: 40,
    targetDate: null,
    defaultAccess: 'public',
    ocrProfile: 'vie+han',
  });
});

test('an empty holdings count or target means 0, an empty deadline none', async (t) => {
  const created = await post('/quan-tri/bo-suu-tap/moi', collectionFields(seeded.id, { slug: 'trong', holdingsCount: '', targetPercent: ' ', targetDate: '' }));
  t.is(created.status, 303);
  t.like(await repositories.collections.getBySlug(seeded.id, 'trong'), { holdingsCount: 0, targetPercent: 0, targetDate: null });
});

for (const [field, typed, message] of [
  ['holdingsCount', '12,5', 'Hãy nhập một số nguyên không âm chỉ gồm chữ số'],
  ['holdingsCount', 'abc', 'Hãy nhập một số nguyên không âm chỉ gồm chữ số'],
  ['holdingsCount', '12.000', 'Hãy nhập một số nguyên không âm chỉ gồm chữ số'],
  ['holdingsCount', '-1', 'Hãy nhập một số nguyên không âm chỉ gồm chữ số'],
  ['targetPercent', 'abc', 'Hãy nhập một số từ 0 đến 100'],
  ['targetPercent', '1.000', 'Hãy nhập một số từ 0 đến 100'],
  ['targetPercent', '150', 'Hãy nhập một số từ 0 đến 100'],
  ['targetDate', '2030-02-30', 'Hãy nhập một ngày có thật'],
] as const) {
  test(`a new collection with ${field} "${typed}" is refused (400) with the field message and the typed values; nothing is written`, async (t) => {
    const slug = `sai-${field.toLowerCase()}-${typed.replace(/[^0-9a-z]/g, '')}`;
    const refused = await post('/quan-tri/bo-suu-tap/moi', collectionFields(seeded.id, { slug, [field]: typed }));
    t.is(refused.status, 400);
    t.regex(refused.body, /role="alert"/);
    t.true(refused.body.includes(`<a href="#collection-${field}">`), 'the summary links to the field');
    t.regex(refused.body, new RegExp(`<p class="form-field__error" id="collection-${field}-error"><span class="visually-hidden">Lỗi: </span>${message}`));
    t.regex(refused.body, new RegExp(`<input id="collection-${field}" name="${field}" aria-describedby="collection-${field}-hint collection-${field}-error" aria-invalid="true"`));
    t.is(valueOf(refused.body, `collection-${field}`), typed);
    t.is(valueOf(refused.body, 'collection-title'), 'Tư liệu Hán Nôm Đà Lạt'.normalize('NFD'), 'the other values are kept');
    t.is(valueOf(refused.body, 'collection-slug'), slug);
    t.is(selectedOf(refused.body, 'collection-libraryId'), seeded.id);
    t.is(selectedOf(refused.body, 'collection-ocrProfile'), 'han-vert');
    await t.throwsAsync(repositories.collections.getBySlug(seeded.id, slug), { code: 'NOT_FOUND' }, 'nothing was written');
  });
}

test('an edit with a bad target changes nothing; a taken collection slug answers 409', async (t) => {
  const first = await repositories.collections.create({ libraryId: seeded.id, slug: 'dia-chi', title: 'Địa chí Lâm Đồng', category: 'dia-chi', holdingsCount: 10 });
  const second = await repositories.collections.create({ libraryId: seeded.id, slug: 'bao-chi', title: 'Báo chí', category: 'other', holdingsCount: 20 });
  const refused = await post(`/quan-tri/bo-suu-tap/${second.id}`, collectionFields(seeded.id, { slug: 'bao-chi', title: 'Báo chí xưa', holdingsCount: '25', targetPercent: 'năm mươi' }));
  t.is(refused.status, 400);
  t.is(valueOf(refused.body, 'collection-targetPercent'), 'năm mươi');
  t.true(refused.body.includes('Sửa bộ sưu tập: Báo chí<'), 'the title is the stored one');
  t.like(await repositories.collections.getById(second.id), { title: 'Báo chí', holdingsCount: 20 });

  const clash = await post(`/quan-tri/bo-suu-tap/${second.id}`, collectionFields(seeded.id, { slug: first.slug, title: 'Báo chí' }));
  t.is(clash.status, 409);
  t.true(clash.body.includes('Thư viện này đã có một bộ sưu tập mang mã định danh này.'));
  t.is((await repositories.collections.getById(second.id)).slug, 'bao-chi');
  const newClash = await post('/quan-tri/bo-suu-tap/moi', collectionFields(seeded.id, { slug: first.slug }));
  t.is(newClash.status, 409);
});

test('a new collection in an unknown library is refused at the library field', async (t) => {
  const refused = await post('/quan-tri/bo-suu-tap/moi', collectionFields('khong-co', { slug: 'mo-coi' }));
  t.is(refused.status, 400);
  t.true(refused.body.includes('id="collection-libraryId-error"'));
  t.true(refused.body.includes('Hãy chọn một thư viện có trong danh sách.'));
});

test('unknown libraries and collections answer the 404 page, to GET and POST', async (t) => {
  for (const path of ['/quan-tri/thu-vien/khong-co', '/quan-tri/bo-suu-tap/khong-co']) {
    const page = await get(path);
    t.is(page.status, 404, path);
    t.true(page.body.includes('<h1>Không tìm thấy</h1>'), path);
    t.is((await post(path, { slug: 'x', name: 'x', province: 'x', kind: 'school' })).status, 404, path);
  }
});

test('in English: labels, the language carried by the form action, the redirect and the messages', async (t) => {
  const library = await get('/quan-tri/thu-vien/moi?lang=en');
  t.true(library.body.includes('<html lang="en">'));
  for (const label of ['Identifier (slug)', 'Library name', 'Province/city', 'Library level']) t.true(library.body.includes(`>${label}`), label);
  t.true(library.body.includes('action="/quan-tri/thu-vien/moi?lang=en"'));
  const collection = await get('/quan-tri/bo-suu-tap/moi?lang=en');
  for (const label of ['Documents held (holdings)', 'Digitisation target (%)', 'Deadline', 'Default access level', 'OCR profile']) {
    t.true(collection.body.includes(`>${label}`), label);
  }
  const created = await post('/quan-tri/thu-vien/moi?lang=en', { slug: 'tv-ca-mau', name: 'Thư viện tỉnh Cà Mau', province: 'Cà Mau', kind: 'provincial' });
  t.is(created.status, 303);
  t.is(created.location, '/quan-tri?lang=en');
  const refused = await post('/quan-tri/bo-suu-tap/moi?lang=en', collectionFields(seeded.id, { slug: 'en-sai', holdingsCount: '1,5' }));
  t.is(refused.status, 400);
  t.true(refused.body.includes('Nothing was saved. Fields to correct: 1.'));
  t.true(refused.body.includes('<span class="visually-hidden">Error: </span>Enter a whole number of zero or more'));
});

test('the dashboard links to the forms: add a library or a collection, edit each library and collection', async (t) => {
  const collection = await repositories.collections.create({ libraryId: seeded.id, slug: 'anh-xua', title: 'Ảnh xưa', category: 'other' });
  const page = await get('/quan-tri');
  t.is(page.status, 200);
  t.true(page.body.includes('href="/quan-tri/thu-vien/moi">Thêm thư viện</a>'));
  t.true(page.body.includes('href="/quan-tri/bo-suu-tap/moi">Thêm bộ sưu tập</a>'));
  t.true(page.body.includes(`href="/quan-tri/thu-vien/${seeded.id}" aria-label="Sửa thông tin thư viện Thư viện tỉnh Lâm Đồng">Sửa thông tin thư viện</a>`));
  t.true(page.body.includes(`href="/quan-tri/bo-suu-tap/moi?thu-vien=${seeded.id}"`));
  t.true(page.body.includes(`href="/quan-tri/bo-suu-tap/${collection.id}" aria-label="Sửa bộ sưu tập Ảnh xưa">Sửa</a>`));
  const report = await get('/quan-tri/bao-cao');
  t.false(report.body.includes(`href="/quan-tri/bo-suu-tap/${collection.id}"`), 'the printed report has no edit links');
});

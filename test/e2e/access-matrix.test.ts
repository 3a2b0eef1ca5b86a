import test from 'ava';
import { digitisedItem } from '../helpers/digitised-item.ts';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, startAppOnFreePort, TEST_ADMIN_TOKEN } from '../helpers/running-app.ts';

type Level = 'public' | 'restricted' | 'confidential';
type Role = 'anonymous' | 'reader' | 'operator here' | 'operator elsewhere' | 'admin';

interface Ids {
  itemId: string;
  pageId: string;
  collectionId: string;
}

type RestrictedMetadata = 'hidden' | 'shown';

/**
 * Every door that shows a document's content or names it. `denied` is the status a viewer
 * who may not see it gets; a listing (`absent`) instead leaves the document out. `describes`:
 * the door shows what a restricted document is without its content, to everyone — `always`
 * (info.json: where IIIF viewers find the sign-in) or when RESTRICTED_METADATA is `shown`.
 */
const DOORS: { name: string; path: (ids: Ids) => string; denied: number | 'absent'; describes?: 'always' | 'when-shown' }[] = [
  { name: 'IIIF info.json', path: ({ pageId }) => `/iiif/3/${pageId}/info.json`, denied: 401, describes: 'always' },
  { name: 'IIIF tile', path: ({ pageId }) => `/iiif/3/${pageId}/0,0,256,256/256,/0/default.jpg`, denied: 401 },
  { name: 'IIIF manifest', path: ({ itemId }) => `/iiif/manifest/${itemId}`, denied: 401, describes: 'when-shown' },
  { name: 'IIIF Content Search', path: ({ itemId }) => `/iiif/search/${itemId}?q=thu`, denied: 401 },
  { name: 'PDF', path: ({ itemId }) => `/api/items/${itemId}/pdf`, denied: 401 },
  { name: 'OCR text', path: ({ pageId }) => `/api/pages/${pageId}/text`, denied: 401 },
  { name: 'hOCR', path: ({ pageId }) => `/api/pages/${pageId}/hocr`, denied: 401 },
  { name: 'thumbnail', path: ({ pageId }) => `/api/pages/${pageId}/thumbnail`, denied: 401 },
  { name: 'document page', path: ({ itemId }) => `/tai-lieu/${itemId}`, denied: 403 },
  { name: 'item record', path: ({ itemId }) => `/api/items/${itemId}`, denied: 404 },
  { name: 'item list', path: ({ collectionId }) => `/api/items?collectionId=${collectionId}`, denied: 'absent' },
  { name: 'site search API', path: () => '/api/search?q=thu+vien', denied: 'absent' },
  { name: 'site search page', path: () => '/tim-kiem?q=thu+vien', denied: 'absent' },
  { name: 'IIIF collection', path: ({ collectionId }) => `/iiif/collection/${collectionId}`, denied: 'absent', describes: 'when-shown' },
  { name: 'collection page', path: ({ collectionId }) => `/bo-suu-tap/${collectionId}`, denied: 'absent' },
];

/** The rule the product must follow (design §6, issue 7). */
function mayRead(level: Level, role: Role, door: (typeof DOORS)[number], mode: RestrictedMetadata): boolean {
  if (level === 'public') return true;
  if (level === 'restricted' && (door.describes === 'always' || (door.describes === 'when-shown' && mode === 'shown'))) return true;
  if (level === 'restricted') return role !== 'anonymous';
  return role === 'operator here' || role === 'operator elsewhere' || role === 'admin';
}

for (const mode of ['hidden', 'shown'] as const) {
  test(`access matrix (RESTRICTED_METADATA=${mode}): every door × every access level × every role answers as the access decision says — no leak, no wrongful refusal`, async (t) => {
    t.timeout(300_000);
    const app = await startAppOnFreePort(`e2e-access-matrix-${mode}`, { RESTRICTED_METADATA: mode });
    try {
      const { itemId, pageIds } = await digitisedItem(app.baseUrl, 'access-matrix');
      const item = (await (await fetch(`${app.baseUrl}/api/items/${itemId}`, { headers: ADMIN_HEADERS })).json()) as { collectionId: string; libraryId: string };
      const elsewhere = await postJson(`${app.baseUrl}/api/libraries`, { slug: 'matrix-other', name: 'Thư viện khác', province: 'Huế', kind: 'district' });
      const token = async (username: string, role: string, libraryId: string | null) => {
        const user = await postJson(`${app.baseUrl}/api/users`, { username, displayName: username, role, libraryId, password: 'mật khẩu dài cho ma trận' });
        return (await postJson<{ token: string }>(`${app.baseUrl}/api/tokens`, { name: 'matrix', userId: user.id })).token;
      };
      const tokens: Record<Role, string | undefined> = {
        anonymous: undefined,
        reader: await token('ma-tran-doc-gia', 'reader', null),
        'operator here': await token('ma-tran-van-hanh', 'operator', item.libraryId),
        'operator elsewhere': await token('ma-tran-noi-khac', 'operator', elsewhere.id),
        admin: TEST_ADMIN_TOKEN,
      };
      const ids: Ids = { itemId, pageId: pageIds[0]!, collectionId: item.collectionId };

      const leaks: string[] = [];
      const refusals: string[] = [];
      // Per door: how often it showed the document and how often it kept it back, over the whole matrix.
      const seen = new Map(DOORS.map((door) => [door.name, { shown: 0, kept: 0 }]));
      for (const level of ['public', 'restricted', 'confidential'] as const) {
        const patched = await fetch(`${app.baseUrl}/api/items/${itemId}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', ...ADMIN_HEADERS },
          body: JSON.stringify({ accessLevel: level }),
        });
        t.is(patched.status, 200);
        for (const [role, bearer] of Object.entries(tokens) as [Role, string | undefined][]) {
          for (const door of DOORS) {
            const response = await fetch(`${app.baseUrl}${door.path(ids)}`, { headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` } });
            const body = Buffer.from(await response.arrayBuffer()).toString('latin1');
            const shown = door.denied === 'absent' ? response.status === 200 && body.includes(itemId) : response.status === 200;
            const refusedAsExpected = door.denied === 'absent' ? response.status === 200 && !body.includes(itemId) : response.status === door.denied;
            const cell = `${level} × ${role} × ${door.name} → ${response.status}`;
            if (shown) seen.get(door.name)!.shown += 1;
            if (refusedAsExpected) seen.get(door.name)!.kept += 1;
            if (mayRead(level, role, door, mode)) {
              if (!shown) refusals.push(cell);
            } else if (!refusedAsExpected) {
              leaks.push(cell);
            }
          }
        }
      }
      const oneSided = [...seen].filter(([, count]) => count.shown === 0 || count.kept === 0).map(([name]) => name);
      t.deepEqual(oneSided, [], 'every door was seen both showing the document and keeping it back');
      t.deepEqual(leaks, [], 'no viewer sees what the access decision refuses');
      t.deepEqual(refusals, [], 'no viewer is refused what the access decision allows');
    } finally {
      await app.close();
    }
  });
}

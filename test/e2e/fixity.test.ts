import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { AuditLogRepository, type CollectionFixity, type FixityFailure, type FixityRun } from '../../repository/index.ts';
import { digitisedItem } from '../helpers/digitised-item.ts';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, startAppOnFreePort } from '../helpers/running-app.ts';
import { waitFor } from '../helpers/wait-for.ts';

interface StoredObjectView {
  key: string;
  kind: string;
}

/** Flips one byte in the middle of a file: the size stays, the content does not. */
async function flipByte(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(1);
    await handle.read(buffer, 0, 1, Math.floor(size / 2));
    buffer[0] = buffer[0]! ^ 0xff;
    await handle.write(buffer, 0, 1, Math.floor(size / 2));
  } finally {
    await handle.close();
  }
}

test('an object corrupted or deleted on purpose: the audit finds it, names it, and the dashboard and report show it', async (t) => {
  t.timeout(240_000);
  const app = await startAppOnFreePort('e2e-fixity', { FIXITY_INTERVAL_MINUTES: '0' });
  try {
    const { itemId } = await digitisedItem(app.baseUrl, 'fixity');
    const audit = async () => {
      const response = await fetch(`${app.baseUrl}/api/items/${itemId}/fixity`, { method: 'POST', headers: ADMIN_HEADERS });
      t.is(response.status, 200);
      return (await response.json()) as FixityRun;
    };
    const clean = await audit();
    t.true(clean.checked >= 6, `every object of the document is read back (${clean.checked})`);
    t.deepEqual(clean.failures, []);

    const objects = (await app.application.services.database.db.selectFrom('stored_objects').select(['key', 'kind']).where('item_id', '=', itemId).execute()) as StoredObjectView[];
    const master = objects.find((object) => object.kind === 'master')!;
    const thumbnail = objects.find((object) => object.kind === 'thumb' || object.key.endsWith('thumb.jpg'))!;
    const objectsDir = path.join(app.config.dataDir, 'objects');
    await flipByte(path.join(objectsDir, master.key));
    await rm(path.join(objectsDir, thumbnail.key));

    const damaged = await audit();
    t.is(damaged.checked, clean.checked);
    const byKey = new Map(damaged.failures.map((failure) => [failure.key, failure]));
    t.deepEqual([...byKey.keys()].sort(), [master.key, thumbnail.key].sort(), 'exactly the two damaged objects are named');
    t.is(byKey.get(master.key)!.outcome, 'mismatch');
    t.not(byKey.get(master.key)!.actualSha256, byKey.get(master.key)!.expectedSha256);
    t.is(byKey.get(thumbnail.key)!.outcome, 'missing');

    const report = (await (await fetch(`${app.baseUrl}/api/reports/fixity`, { headers: ADMIN_HEADERS })).json()) as { failures: FixityFailure[]; collections: CollectionFixity[] };
    t.deepEqual(report.failures.map((failure) => failure.key).sort(), [master.key, thumbnail.key].sort());
    const collection = report.collections.find((entry) => entry.failing > 0)!;
    t.is(collection.failing, 2);
    t.is(collection.unchecked, 0);
    t.is(collection.objects, clean.checked);

    const dashboard = await (await fetch(`${app.baseUrl}/quan-tri`, { headers: ADMIN_HEADERS })).text();
    t.regex(dashboard, /Kiểm tra toàn vẹn: 2 tệp không khớp/);
    t.true(dashboard.includes(`data-fixity-key="${master.key}"`));

    const entries = await new AuditLogRepository(app.application.services.database.db).list({ action: 'fixity.failure', limit: 10 });
    t.true(entries.some((entry) => entry.targetId === master.key && entry.outcome === 'failed'), 'the failure is in the audit log, naming the object');

    const csv = await (await fetch(`${app.baseUrl}/api/reports/fixity.csv`, { headers: ADMIN_HEADERS })).text();
    t.regex(csv.split('\r\n')[0]!, /^library,collection,objects,unchecked,failing/);
  } finally {
    await app.close();
  }
});

test('the scheduled audit reads every object without being asked; only staff of the library may audit a document', async (t) => {
  t.timeout(240_000);
  const app = await startAppOnFreePort('e2e-fixity-scheduled', { FIXITY_INTERVAL_MINUTES: '0.01', FIXITY_OBJECTS_PER_RUN: '3' });
  try {
    const { itemId } = await digitisedItem(app.baseUrl, 'fixity-scheduled');
    const report = async () => ((await (await fetch(`${app.baseUrl}/api/reports/fixity`, { headers: ADMIN_HEADERS })).json()) as { collections: CollectionFixity[] }).collections;
    const audited = await waitFor('the scheduled audit to reach every object', async () => {
      const [collection] = await report();
      return collection !== undefined && collection.objects > 0 && collection.unchecked === 0 ? collection : undefined;
    }, 60_000);
    t.is(audited.failing, 0);
    t.truthy(audited.newestCheck);

    t.is((await fetch(`${app.baseUrl}/api/items/${itemId}/fixity`, { method: 'POST' })).status, 401);
    const other = await postJson(`${app.baseUrl}/api/libraries`, { slug: 'fixity-other', name: 'Thư viện khác', province: 'Huế', kind: 'district' });
    const operator = await postJson(`${app.baseUrl}/api/users`, { username: 'van-hanh-khac', displayName: 'Vận hành', role: 'operator', libraryId: other.id, password: 'mật khẩu dài cho vận hành' });
    const { token } = await postJson<{ token: string }>(`${app.baseUrl}/api/tokens`, { name: 'fixity', userId: operator.id });
    t.is((await fetch(`${app.baseUrl}/api/items/${itemId}/fixity`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status, 403);
    t.is((await fetch(`${app.baseUrl}/api/reports/fixity`)).status, 401);
  } finally {
    await app.close();
  }
});

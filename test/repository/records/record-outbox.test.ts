import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { pino } from 'pino';
import { IN_MEMORY, migrateToLatest, PgliteDatabase, RecordWriter } from '../../../repository/index.ts';
import { RecordOutboxRepository } from '../../../repository/records/record-outbox.repository.ts';
import { FsObjectStore, NotFoundError, readJsonObject, recordKey, UpstreamError, type ObjectStore } from '../../../storage/index.ts';

const silent = pino({ level: 'silent' });

async function withDatabase(run: (database: PgliteDatabase) => Promise<void>): Promise<void> {
  const database = await PgliteDatabase.open(IN_MEMORY, { logger: silent });
  try {
    await migrateToLatest(database, silent);
    await run(database);
  } finally {
    await database.close();
  }
}

const newLibrary = (database: PgliteDatabase, id: string, name = 'Thư viện tỉnh Hà Giang') =>
  database.db.insertInto('libraries').values({ id, slug: id, name, province: 'Hà Giang', kind: 'provincial' }).execute();

test('the triggers note every change; two writers never hold one subject; a change while writing keeps the subject for the next round', async (t) => {
  await withDatabase(async (database) => {
    const outbox = new RecordOutboxRepository(database.db);
    await newLibrary(database, 'thu-vien-a');
    await newLibrary(database, 'thu-vien-b');
    t.is((await outbox.backlog()).subjects, 2);

    const first = await outbox.claim('writer-1', 10, 60_000);
    t.deepEqual(first.map((subject) => subject.id).sort(), ['thu-vien-a', 'thu-vien-b']);
    t.deepEqual(await outbox.claim('writer-2', 10, 60_000), [], 'claimed subjects are not handed to a second writer');

    await database.db.updateTable('libraries').set({ name: 'Thư viện tỉnh Hà Giang (mới)' }).where('id', '=', 'thu-vien-a').execute();
    for (const subject of first) await outbox.settle(subject, 'writer-1');
    const again = await outbox.claim('writer-2', 10, 60_000);
    t.deepEqual(again.map((subject) => subject.id), ['thu-vien-a'], 'the library changed while its record was written: it is written again');
    t.true(again[0]!.revision > first.find((subject) => subject.id === 'thu-vien-a')!.revision);
  });
});

test('the writer puts each record atomically, deletes the record of a row that is gone, and keeps a subject whose write failed', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'records-'));
  const store = await FsObjectStore.open(root);
  try {
    await withDatabase(async (database) => {
      await newLibrary(database, 'thu-vien-c', 'Thư viện 𡨸 Nôm');
      const writer = new RecordWriter({ database, store, logger: silent });
      await writer.flush();
      const record = (await readJsonObject(store, recordKey('library', 'thu-vien-c'))) as { library: { name: string; created_at: string } };
      t.is(record.library.name, 'Thư viện 𡨸 Nôm');
      t.regex(record.library.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?\+00:00$/, 'timestamps as PostgreSQL keeps them (up to microseconds), in UTC');

      await database.db.deleteFrom('libraries').where('id', '=', 'thu-vien-c').execute();
      await writer.flush();
      await t.throwsAsync(store.get(recordKey('library', 'thu-vien-c')), { instanceOf: NotFoundError });

      const failing: ObjectStore = Object.create(store, { put: { value: async () => Promise.reject(new UpstreamError('the store is unreachable')) } });
      await newLibrary(database, 'thu-vien-d');
      const round = await new RecordWriter({ database, store: failing, logger: silent, retryMs: 60_000 }).writePending();
      t.like(round, { claimed: 1, written: 0, failed: 1 });
      t.is((await writer.backlog()).subjects, 1, 'the subject stays in the outbox');
      t.is((await writer.writePending()).claimed, 0, 'and waits out the retry delay');
    });
  } finally {
    await store.close();
    await rm(root, { recursive: true, force: true });
  }
});

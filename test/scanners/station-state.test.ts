import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { parseStationCommand } from '../../scanners/cli/station-options.ts';
import { StationStateFile } from '../../scanners/state/station-state.ts';
import { StationError } from '../../scanners/station-error.ts';
import { statusListing } from '../../scanners/terminal/status-listing.ts';

const newDocument = (name: string, source: string) => ({
  source,
  name,
  status: 'queued' as const,
  profile: 'text',
  files: [{ name: '1.tif', size: 10, sha256: 'a'.repeat(64), uploaded: false }],
  processed: false,
  attempts: 0,
});

test('the station state survives a reopen, and every change is on disk when the call returns', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'station-state-'));
  try {
    const file = path.join(dir, 'nested', 'state.json');
    const state = await StationStateFile.open(file);
    const added = await state.add(newDocument('ĐC-1', '/hot/ĐC-1'));
    await state.update(added.id, (entry) => {
      entry.files[0]!.uploadUrl = 'http://server/api/uploads/abc';
    });
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as { documents: Record<string, { files: { uploadUrl?: string }[] }> };
    t.is(onDisk.documents[added.id]!.files[0]!.uploadUrl, 'http://server/api/uploads/abc');
    const reopened = await StationStateFile.open(file);
    t.is(reopened.active('/hot/ĐC-1')?.id, added.id);
    await reopened.update(added.id, (entry) => {
      entry.status = 'done';
    });
    t.is(reopened.active('/hot/ĐC-1'), undefined, 'a finished document is no longer active for its folder');
    await writeFile(file, '{"version":1,"documents":{"x":{"name":3}}}');
    await t.throwsAsync(StationStateFile.open(file), { instanceOf: StationError, message: /damaged.*move it aside/ });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('one station per state file: a living holder is refused, a dead one is taken over', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'station-lock-'));
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    const state = await StationStateFile.open(path.join(dir, 'state.json'));
    await writeFile(path.join(dir, 'state.json.lock'), String(sleeper.pid));
    await t.throwsAsync(state.lock(), { instanceOf: StationError, message: new RegExp(`process ${sleeper.pid}`) });
    sleeper.kill('SIGKILL');
    await once(sleeper, 'exit');
    const release = await state.lock();
    t.is(await readFile(path.join(dir, 'state.json.lock'), 'utf8'), String(process.pid));
    await release();
    await t.throwsAsync(readFile(path.join(dir, 'state.json.lock')));
  } finally {
    sleeper.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

test('status lists documents by state with pages sent, destination and the last problem', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'station-status-'));
  try {
    const state = await StationStateFile.open(path.join(dir, 'state.json'));
    t.is(statusListing(state.documents()), 'Trạm chưa nhận tài liệu nào.\n');
    const queued = await state.add(newDocument('ĐC-Q', '/hot/ĐC-Q'));
    await state.update(queued.id, (entry) => {
      entry.lastError = 'the server does not answer';
      entry.nextAttemptAt = new Date().toISOString();
    });
    const done = await state.add(newDocument('ĐC-D', '/hot/ĐC-D'));
    await state.update(done.id, (entry) => {
      entry.status = 'done';
      entry.item = { id: 'i1', identifier: 'ĐC-D' };
      entry.files[0]!.uploaded = true;
      entry.destination = '/hot/done/ĐC-D';
    });
    const listing = statusListing(state.documents());
    t.regex(listing, /^đang gửi: 0 · đang chờ gửi: 1 · bị trả lại: 0 · đã gửi xong: 1/);
    t.regex(listing, /đang chờ gửi\s+ĐC-Q 0\/1 tệp/);
    t.regex(listing, /lỗi gần nhất: the server does not answer/);
    t.regex(listing, /đã gửi xong\s+ĐC-D \[ĐC-D\] 1\/1 tệp/);
    t.regex(listing, /→ \/hot\/done\/ĐC-D/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the command line: defaults, environment, and clear refusals', (t) => {
  const watch = parseStationCommand(['watch', 'scans', '--server', 'http://thuvien.local:3000', '--collection', 'c1', '--keep'], { STATION_TOKEN: 'secret', STATION_STATE: '/var/station.json' });
  t.like(watch, { command: 'watch', hotFolder: path.resolve('scans') });
  t.like((watch as { options: object }).options, {
    server: 'http://thuvien.local:3000',
    token: 'secret',
    profile: 'text',
    collectionId: 'c1',
    statePath: '/var/station.json',
    stableMs: 5000,
    quietMs: 600_000,
    parallel: 2,
    chunkBytes: 8 * 1024 * 1024,
    keepFolders: true,
    process: true,
  });
  const upload = parseStationCommand(['upload', 'a', 'b', '--no-process', '--quiet-minutes', '0'], { STATION_SERVER: 'https://kho.example.vn' });
  t.like(upload, { command: 'upload', folders: [path.resolve('a'), path.resolve('b')] });
  t.like((upload as { options: object }).options, { process: false, quietMs: 0, server: 'https://kho.example.vn' });
  t.deepEqual(parseStationCommand([], {}), { command: 'help' });
  t.like(parseStationCommand(['status'], { STATION_STATE: 'here.json' }), { command: 'status', statePath: path.resolve('here.json') });
  t.throws(() => parseStationCommand(['watch', 'x'], {}), { instanceOf: StationError, message: /--server/ });
  t.throws(() => parseStationCommand(['watch', 'x', '--server', 'ftp://x'], {}), { instanceOf: StationError, message: /--server/ });
  t.throws(() => parseStationCommand(['watch', 'x', 'y', '--server', 'http://x'], {}), { instanceOf: StationError, message: /one hot folder/ });
  t.throws(() => parseStationCommand(['watch', 'x', '--server', 'http://x', '--parallel', 'many'], {}), { instanceOf: StationError, message: /--parallel/ });
  t.throws(() => parseStationCommand(['watch', 'x', '--bogus'], {}), { instanceOf: StationError, message: /bogus/ });
});

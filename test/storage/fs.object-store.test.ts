import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import test from 'ava';

import {
  ConfigurationError,
  ConflictError,
  FsObjectStore,
  InvalidInputError,
  NotFoundError,
  UpstreamError,
} from '../../storage/index.ts';
import { translateFsError } from '../../storage/fs-errors.ts';
import { runObjectStoreContract, type ContractStore } from './object-store.contract.ts';
import { patternStream, readAll, sha256 } from './stream-helpers.ts';

async function tempFolder(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

async function makeFsStore(): Promise<ContractStore> {
  const root = await tempFolder('fs-object-store-');
  const store = await FsObjectStore.open(root).catch(async (error: unknown) => {
    await rm(root, { recursive: true, force: true });
    throw error;
  });
  return {
    store,
    spec: { adapter: 'filesystem', root },
    tempLeftovers: () => readdir(path.join(root, '.tmp')),
    cleanup: async () => {
      await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

runObjectStoreContract(test, 'fs', makeFsStore);

test('fs: objects live at <root>/<key>, their checksum in <root>/.meta, nothing left in .tmp', async (t) => {
  const root = await tempFolder('fs-layout-');
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const store = await FsObjectStore.open(root);
  await store.put('masters/1/0001.tif', Buffer.from('scan'));
  t.is(await readFile(path.join(root, 'masters', '1', '0001.tif'), 'utf8'), 'scan');
  const sidecar = JSON.parse(await readFile(path.join(root, '.meta', 'masters', '1', '0001.tif~meta.json'), 'utf8')) as {
    sha256: string;
    contentType: string;
  };
  t.is(sidecar.sha256, sha256('scan'));
  t.is(sidecar.contentType, 'image/tiff');
  t.deepEqual(await readdir(path.join(root, '.tmp')), []);
  t.is(store.describe(), `filesystem at ${root}`);
});

test('fs: keys never resolve outside the root, not even through a symlinked folder', async (t) => {
  const parent = await tempFolder('fs-escape-');
  t.teardown(() => rm(parent, { recursive: true, force: true }));
  const root = path.join(parent, 'root');
  const outside = path.join(parent, 'outside');
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.txt'), 'secret');
  const store = await FsObjectStore.open(root);
  await store.put('good.txt', Buffer.from('good'));

  for (const key of ['../outside/x', '../../x', '/tmp/x', 'a/../../x', '..\\x']) {
    await t.throwsAsync(store.put(key, Buffer.from('x')), { instanceOf: InvalidInputError });
  }
  await symlink(outside, path.join(root, 'evil'));
  await t.throwsAsync(store.put('evil/planted.txt', Buffer.from('x')), { instanceOf: InvalidInputError });
  await t.throwsAsync(store.get('evil/secret.txt'), { instanceOf: InvalidInputError });
  await t.throwsAsync(store.stat('evil/secret.txt'), { instanceOf: InvalidInputError });
  await t.throwsAsync(store.delete('evil/secret.txt'), { instanceOf: InvalidInputError });
  await t.throwsAsync(store.list('evil/'), { instanceOf: InvalidInputError });
  await t.throwsAsync(store.copy('good.txt', 'evil/copied.txt'), { instanceOf: InvalidInputError });
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
  await t.throwsAsync(store.get('link.txt'), { instanceOf: NotFoundError });
  t.deepEqual((await readdir(outside)).sort(), ['secret.txt']);
  t.deepEqual((await readdir(parent)).sort(), ['outside', 'root']);
  t.deepEqual(
    (await store.list('')).objects.map((o) => o.key),
    ['good.txt'],
  );
});

test('fs: stale temporary files are removed when the store opens, fresh ones are kept', async (t) => {
  const root = await tempFolder('fs-stale-');
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await mkdir(path.join(root, '.tmp'), { recursive: true });
  const stale = path.join(root, '.tmp', 'crashed-upload.part');
  const fresh = path.join(root, '.tmp', 'in-flight-upload.part');
  await writeFile(stale, 'half a scan');
  await writeFile(fresh, 'another process is writing this');
  const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
  await utimes(stale, twoHoursAgo, twoHoursAgo);
  const warnings: string[] = [];
  await FsObjectStore.open(root, { logger: { warn: (_fields, message) => warnings.push(message) } });
  t.deepEqual(await readdir(path.join(root, '.tmp')), ['in-flight-upload.part']);
  t.is(warnings.length, 1);
});

test('fs: temporary files of a writer that has ended are removed when the store opens, however fresh', async (t) => {
  const root = await tempFolder('fs-dead-writer-');
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await mkdir(path.join(root, '.tmp'), { recursive: true });
  // A process that has exited: its pid names a writer that can never finish.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  const name = (pid: number, token: string) => `${pid}-${token}-${Date.now().toString(36)}-0123456789abcdef.part`;
  const killedWriter = name(dead, 'deadbeef');
  const earlierLifeOfOurPid = name(process.pid, '00000000');
  const liveWriter = name(process.ppid, 'c0ffee00');
  for (const file of [killedWriter, earlierLifeOfOurPid, liveWriter]) await writeFile(path.join(root, '.tmp', file), 'half a scan');
  await FsObjectStore.open(root);
  t.deepEqual(await readdir(path.join(root, '.tmp')), [liveWriter]);
});

test('fs: list skips .tmp, .meta, foreign names and symlinks', async (t) => {
  const root = await tempFolder('fs-foreign-');
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const store = await FsObjectStore.open(root);
  await store.put('ok.txt', Buffer.from('ok'));
  await writeFile(path.join(root, 'has space.txt'), 'x');
  await writeFile(path.join(root, '.DS_Store'), 'x');
  await mkdir(path.join(root, 'Ảnh'));
  await writeFile(path.join(root, 'Ảnh', 'x.jpg'), 'x');
  await writeFile(path.join(root, '.tmp', 'pending.part'), 'x');
  await symlink(path.join(root, 'ok.txt'), path.join(root, 'alias.txt'));
  t.deepEqual(
    (await store.list('')).objects.map((o) => o.key),
    ['ok.txt'],
  );
});

test('fs: stat ignores a checksum record that belongs to other bytes', async (t) => {
  const root = await tempFolder('fs-sidecar-');
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const store = await FsObjectStore.open(root);
  await store.put('page.tif', Buffer.from('original'));
  t.is((await store.stat('page.tif')).sha256, sha256('original'));
  // Something replaces the data file behind our back (a new inode); the sidecar is stale.
  const replacement = path.join(root, 'replacement');
  await writeFile(replacement, 'replaced by another tool');
  await rename(replacement, path.join(root, 'page.tif'));
  const info = await store.stat('page.tif');
  t.is(info.size, 'replaced by another tool'.length);
  t.is(info.sha256, undefined);
  t.is(info.contentType, 'image/tiff');
  // Rewriting in place (same inode, new size and mtime) is caught as well.
  await store.put('page.tif', Buffer.from('ours again'));
  await writeFile(path.join(root, 'page.tif'), 'edited in place');
  t.is((await store.stat('page.tif')).sha256, undefined);
});

test('fs: a key cannot be both an object and the folder of other keys', async (t) => {
  const root = await tempFolder('fs-conflict-');
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const store = await FsObjectStore.open(root);
  await store.put('a', Buffer.from('a'));
  await store.put('c/d', Buffer.from('d'));
  await t.throwsAsync(store.put('a/b', Buffer.from('b')), { instanceOf: ConflictError });
  await t.throwsAsync(store.put('c', Buffer.from('c')), { instanceOf: ConflictError });
  await t.throwsAsync(store.copy('a', 'c'), { instanceOf: ConflictError });
  await t.throwsAsync(store.move('a', 'c'), { instanceOf: ConflictError });
  t.is((await readAll(await store.get('a'))).toString(), 'a');
  t.is((await readAll(await store.get('c/d'))).toString(), 'd');
  t.deepEqual(await readdir(path.join(root, '.tmp')), []);
});

test('fs: two stores on one folder (two processes) see each other’s writes', async (t) => {
  const root = await tempFolder('fs-shared-');
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const [one, two] = await Promise.all([FsObjectStore.open(root), FsObjectStore.open(root)]);
  await one.put('shared/page.txt', Buffer.from('from one'));
  t.is((await readAll(await two.get('shared/page.txt'))).toString(), 'from one');
  t.is((await two.stat('shared/page.txt')).sha256, sha256('from one'));
  await two.move('shared/page.txt', 'shared/moved.txt');
  t.false(await one.exists('shared/page.txt'));
});

test('fs: open fails with ConfigurationError when the root is a file; ping fails when the folder is gone', async (t) => {
  const parent = await tempFolder('fs-config-');
  t.teardown(() => rm(parent, { recursive: true, force: true }));
  await writeFile(path.join(parent, 'a-file'), 'x');
  await t.throwsAsync(FsObjectStore.open(path.join(parent, 'a-file')), { instanceOf: ConfigurationError });
  const store = await FsObjectStore.open(path.join(parent, 'objects'));
  await store.ping();
  await rm(path.join(parent, 'objects'), { recursive: true });
  await t.throwsAsync(store.ping(), { instanceOf: UpstreamError });
});

test('fs: Node error codes become errors an operator can act on', (t) => {
  const context = { op: 'store', root: '/srv/objects', key: 'masters/1/0001.tif' };
  const err = (code: string) => Object.assign(new Error(`${code}: something`), { code });
  const full = translateFsError(err('ENOSPC'), context);
  t.true(full instanceof UpstreamError);
  t.regex(full.message, /^object store is full: free space on \/srv\/objects/);
  t.true(full.retryable);
  t.regex(translateFsError(err('EDQUOT'), context).message, /object store is full/);
  const denied = translateFsError(err('EACCES'), context);
  t.true(denied instanceof UpstreamError);
  t.false(denied.retryable);
  t.true(translateFsError(err('ENOENT'), { ...context, missingMeansNotFound: true }) instanceof NotFoundError);
  t.true(translateFsError(err('ENOENT'), context) instanceof UpstreamError);
  t.true(translateFsError(err('EISDIR'), context) instanceof ConflictError);
  t.true(translateFsError(err('EWHATEVER'), context) instanceof UpstreamError);
  const ours = new NotFoundError('x');
  t.is(translateFsError(ours, context), ours);
});

// A real full disk: a 1 MiB tmpfs, mounted only for the duration of the test. Mounting needs
// root and the right to mount (as on CI and the dev machines); where a probe mount fails, the
// test is not registered (a skip counts as a failure in `npm test`) and the mapping test above
// still runs.
if (probeTmpfsMount()) test('fs: a full disk is UpstreamError "object store is full" and changes nothing', async (t) => {
  const mountPoint = mountSmallTmpfs();
  try {
    const store = await FsObjectStore.open(path.join(mountPoint, 'objects'));
    await store.put('small.txt', Buffer.from('fits'));
    for (const key of ['big.bin', 'small.txt']) {
      const error = await t.throwsAsync(store.put(key, patternStream(3 * 1024 * 1024, 8)), { instanceOf: UpstreamError });
      t.regex(error?.message ?? '', /^object store is full: free space on /);
    }
    t.is((await readAll(await store.get('small.txt'))).toString(), 'fits');
    t.false(await store.exists('big.bin'));
    t.deepEqual(await readdir(path.join(mountPoint, 'objects', '.tmp')), []);
  } finally {
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
});

/** Synchronous, because ava wants every test declared synchronously. */
function probeTmpfsMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    const mountPoint = mountSmallTmpfs();
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

function mountSmallTmpfs(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fs-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

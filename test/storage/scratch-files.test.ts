import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { removeOrphanedScratch, scratchOwnerGone, SCRATCH_OWNER } from '../../storage/scratch-files.ts';

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;

test('scratch: a name tells whether its maker has ended', (t) => {
  t.false(scratchOwnerGone(`${SCRATCH_OWNER}-job-x`), 'ours');
  t.true(scratchOwnerGone(`${deadPid()}-deadbeef-job-x`), 'a process that has exited');
  t.true(scratchOwnerGone(`${process.pid}-00000000-job-x`), 'an earlier life of our pid');
  t.false(scratchOwnerGone(`${process.ppid}-c0ffee00-job-x`), 'a live process');
  for (const name of ['job-x', 'uploads', '12345678-1234-4123-8123-123456789abc.upload', 'mwraiw9k-19341-b6158a6dee04e7d4.part']) {
    t.false(scratchOwnerGone(name), `no owner in ${name}`);
  }
});

test('scratch: what ended processes left is removed, in the folder and its plain subfolders; the rest stays', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'scratch-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const dead = `${deadPid()}-deadbeef`;
  const live = `${process.ppid}-c0ffee00`;
  await mkdir(path.join(root, 'uploads'));
  await mkdir(path.join(root, 'work', `${dead}-job-a`), { recursive: true });
  await mkdir(path.join(root, 'work', `${live}-job-b`), { recursive: true });
  await writeFile(path.join(root, 'work', `${dead}-job-a`, 'master.tif'), 'half');
  await writeFile(path.join(root, 'work', `${live}-job-b`, 'master.tif'), 'in use');
  await writeFile(path.join(root, 'uploads', `${dead}-a.upload`), 'half');
  await writeFile(path.join(root, 'uploads', `${SCRATCH_OWNER}-b.upload`), 'in use');
  await writeFile(path.join(root, `${dead}-s3-upload.part`), 'half');
  await writeFile(path.join(root, 'notes.txt'), 'not scratch');

  t.is(await removeOrphanedScratch(root), 3);
  t.deepEqual((await readdir(root, { recursive: true })).sort(), [
    'notes.txt',
    'uploads',
    `uploads/${SCRATCH_OWNER}-b.upload`,
    'work',
    `work/${live}-job-b`,
    `work/${live}-job-b/master.tif`,
  ].sort());
  t.is(await removeOrphanedScratch(path.join(root, 'missing')), 0);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { postJson } from '../helpers/post-json.ts';
import { startAppOnFreePort, TEST_ADMIN_TOKEN } from '../helpers/running-app.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import { largePage, realPage } from './scan-pages.ts';
import { waitFor } from '../helpers/wait-for.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface StateFile {
  documents: Record<string, { name: string; status: string; files: { name: string; uploaded: boolean; uploadUrl?: string }[] }>;
}

/** `npm run station -- …` as the operator starts it (without npm's own output). */
function station(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/station.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => output, exited };
}

async function readState(file: string): Promise<StateFile | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StateFile;
  } catch {
    return undefined;
  }
}

test('a station killed in the middle of its queue resumes when started again: nothing lost, nothing sent twice', async (t) => {
  t.timeout(400_000);
  const app = await startAppOnFreePort('station-kill');
  const work = await mkdtemp(path.join(os.tmpdir(), 'station-kill-'));
  const proxy = await startTcpProxy(new URL(app.baseUrl), { bytesPerSecond: 6 * 1024 * 1024 });
  const hotFolder = path.join(work, 'hot');
  const stateFile = path.join(work, 'state.json');
  const running: ChildProcess[] = [];
  try {
    const library = await postJson(`${app.baseUrl}/api/libraries`, { slug: 'station-kill', name: 'Thư viện huyện', province: 'Hà Tĩnh', kind: 'district' });
    const collection = await postJson(`${app.baseUrl}/api/collections`, { libraryId: library.id, slug: 'dia-chi', title: 'Địa chí', category: 'dia-chi' });
    const folder = path.join(hotFolder, 'ĐC-KILL');
    await mkdir(folder, { recursive: true });
    const pages = [await largePage(7, 3500), await largePage(8, 3500), await realPage(9, 700), await realPage(10, 700)];
    for (const [index, bytes] of pages.entries()) await writeFile(path.join(folder, `${index + 1}.tif`), bytes);
    await writeFile(path.join(folder, 'item.json'), JSON.stringify({ identifier: 'ĐC-KILL', title: 'Địa chí huyện Hương Sơn', creator: 'Nguyễn Văn B' }));
    await writeFile(path.join(folder, 'done'), '');
    const args = [
      'watch', hotFolder, '--server', proxy.url, '--token', TEST_ADMIN_TOKEN, '--state', stateFile, '--profile', 'text', '--collection', collection.id,
      '--stable-seconds', '0.3', '--poll-seconds', '0.2', '--parallel', '1', '--chunk-mb', '1', '--retry-max-seconds', '2', '--no-process',
    ];

    const first = station(args);
    running.push(first.child);
    // Killed once the first file is on the server and the second is half sent.
    await waitFor('the first file sent and the second started', async () => {
      const files = Object.values((await readState(stateFile))?.documents ?? {})[0]?.files;
      return files?.[0]?.uploaded === true && files[1]?.uploadUrl !== undefined;
    }, 180_000);
    await sleep(800);
    first.child.kill('SIGKILL');
    await first.exited;
    await access(`${stateFile}.lock`);
    const before = Object.values((await readState(stateFile))!.documents)[0]!;
    t.is(before.status, 'uploading');
    t.false(before.files[1]!.uploaded, 'killed in the middle of the second file');

    const second = station(args);
    running.push(second.child);
    await waitFor('the document delivered', async () => Object.values((await readState(stateFile))?.documents ?? {})[0]?.status === 'done', 180_000);
    second.child.kill('SIGTERM');
    t.is(await second.exited, 0, second.output());
    t.regex(second.output(), /đã gửi xong: 4 trang/);

    const { data } = (await (await fetch(`${app.baseUrl}/api/items?collectionId=${collection.id}&identifier=${encodeURIComponent('ĐC-KILL')}`)).json()) as {
      data: { id: string; title: string; dublinCore: { creator?: { value: string }[] } }[];
    };
    t.is(data.length, 1, 'one document registered');
    t.is(data[0]!.title, 'Địa chí huyện Hương Sơn');
    t.is(data[0]!.dublinCore.creator?.[0]?.value, 'Nguyễn Văn B');
    const item = (await (await fetch(`${app.baseUrl}/api/items/${data[0]!.id}`)).json()) as { pages: { seq: number; master: { sha256: string } }[] };
    t.deepEqual(item.pages.sort((a, b) => a.seq - b.seq).map((page) => page.master.sha256), pages.map(sha256), 'every page once, in order');
    const total = pages.reduce((sum, bytes) => sum + bytes.length, 0);
    t.true(proxy.bytesFromClients() < total * 1.2, `${proxy.bytesFromClients()} bytes sent for ${total}: nothing was sent twice`);
    await access(path.join(hotFolder, 'done', 'ĐC-KILL', 'receipt.json'));

    const status = station(['status', '--state', stateFile]);
    t.is(await status.exited, 0);
    t.regex(status.output(), /đã gửi xong: 1/);
    t.regex(status.output(), /ĐC-KILL \[ĐC-KILL\] 4\/4 tệp/);
  } finally {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
    await proxy.close();
    await app.close();
    await rm(work, { recursive: true, force: true });
  }
});

test('the command line explains a missing server and an unknown command, with exit code 2', async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'station-cli-'));
  try {
    const noServer = station(['watch', work, '--state', path.join(work, 'state.json')]);
    t.is(await noServer.exited, 2);
    t.regex(noServer.output(), /Lỗi: .*--server/);
    const unknown = station(['scan', work]);
    t.is(await unknown.exited, 2);
    t.regex(unknown.output(), /Unknown command "scan"/);
    const help = station(['--help']);
    t.is(await help.exited, 0);
    t.regex(help.output(), /npm run station -- watch/);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

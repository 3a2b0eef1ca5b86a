// /bien-muc/tai-lieu/:itemId — the operator's page of one document.
// Uploads: every chosen or dropped file (sorted by name, so 0001.tif comes before 0002.tif)
// goes over tus (tus-js-client, loaded before this script as window.tus) to /api/uploads in
// 8 MiB requests: after a dropped connection the upload continues from the bytes the server
// kept, also after the page is reloaded (the upload's address is remembered in localStorage).
// Files up to HASH_LIMIT are hashed first (SHA-256, crypto.subtle) and the server refuses a
// file whose bytes differ (422, nothing kept). The finished upload is then added to the
// document (POST /api/items/:id/pages, JSON), a step that is safe to repeat.
// Processing: the page follows GET /api/items/:id/events (`event: progress`), redraws each
// page's stages, thumbnail and failure reason, offers "re-run" on a failed page, and moves
// pages up and down (PUT /api/items/:id/page-order).
const root = document.querySelector('[data-operator-item]');
const messages = JSON.parse(document.getElementById('operator-messages').textContent);
const itemId = root.dataset.itemId;
const STAGES = ['validate', 'deskew', 'derivatives', 'ocr'];
const CHUNK_BYTES = 8 * 1024 * 1024;
// crypto.subtle.digest needs the whole file in memory: larger scans rely on tus offsets and TCP.
const HASH_LIMIT = 512 * 1024 * 1024;
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000, 60000, 60000];
const ADD_ATTEMPTS = 5;
// Sent with every request that changes something: the server refuses a signed-in browser's change without it (CSRF).
const CSRF = { 'X-CSRF-Token': document.querySelector('meta[name="csrf-token"]')?.content ?? '' };

const fill = (key, values = {}) => messages[key].replace(/\{(\w+)\}/g, (placeholder, name) => (name in values ? String(values[name]) : placeholder));
const element = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

/** The failure reason in the operator's words when it is a known one, else the server's text. */
function explain(message) {
  const text = String(message ?? '');
  const known = [
    [/header or image directory cannot be read|no byte-order mark|shorter than a TIFF header/i, 'operator.reason.unreadable'],
    [/incomplete or damaged|truncated|premature end/i, 'operator.reason.damaged'],
    [/megapixels|too many pixels|more than the limit/i, 'operator.reason.tooLarge'],
    [/does not exist|no such file|ENOENT/i, 'operator.reason.missing'],
    [/not TIFF\/JPEG\/PNG|unsupported|not a supported/i, 'operator.reason.format'],
    [/sha-?256|checksum|digest/i, 'operator.reason.checksum'],
    [/being processed/i, 'operator.reason.busy'],
  ];
  const found = known.find(([pattern]) => pattern.test(text));
  return found ? fill(found[1]) : fill('operator.reason.server', { message: text });
}

// ---- uploads -------------------------------------------------------------------------------

const fileList = root.querySelector('.operator-files');
const overall = root.querySelector('.operator-overall__bar');
const queue = [];
let running = false;

function updateOverall() {
  const total = queue.reduce((sum, entry) => sum + entry.file.size, 0);
  const loaded = queue.reduce((sum, entry) => sum + entry.loaded, 0);
  overall.max = Math.max(total, 1);
  overall.value = total === 0 ? 0 : loaded;
}

async function sha256Hex(file) {
  // crypto.subtle exists only in a secure context (https or localhost).
  if (!crypto?.subtle || file.size > HASH_LIMIT) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

const pause = (ms) => new Promise((resume) => setTimeout(resume, ms));

/** The server's `{ error: { message } }` of a failed tus request, or the error's own text. */
function tusErrorMessage(error) {
  const body = error.originalResponse?.getBody();
  try {
    return JSON.parse(body).error.message;
  } catch {
    return body || error.message;
  }
}

/** Sends the file over tus; resolves with the upload id, or `{ failure }` with a reason. */
function sendResumable(entry, sha256) {
  return new Promise((resolve) => {
    const metadata = { itemId, filename: entry.file.name, filetype: entry.file.type };
    if (sha256) metadata.sha256 = sha256;
    const upload = new window.tus.Upload(entry.file, {
      endpoint: '/api/uploads',
      headers: CSRF,
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      metadata,
      fingerprint: (file) => Promise.resolve(['thu-vien-so', itemId, file.name, file.size, file.lastModified].join('/')),
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => {
        entry.loaded = (sent / total) * entry.file.size;
        entry.bar.value = sent / total;
        updateOverall();
        if (entry.row.dataset.state !== 'uploading') setState(entry, 'uploading', fill('operator.item.uploading'));
      },
      onShouldRetry: (error, attempt) => {
        const status = error.originalResponse?.getStatus() ?? 0;
        const retry = !(status >= 400 && status < 500) || status === 409 || status === 423;
        if (retry) {
          const seconds = Math.round((RETRY_DELAYS_MS[attempt] ?? 0) / 1000);
          setState(entry, 'retrying', fill('operator.item.retrying', { attempt: attempt + 1, max: RETRY_DELAYS_MS.length, seconds }));
        }
        return retry;
      },
      onError: (error) => resolve({ failure: tusErrorMessage(error) }),
      onSuccess: () => resolve({ uploadId: upload.url.split('/').pop() }),
    });
    upload.findPreviousUploads().then(
      (previous) => {
        if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      },
      () => upload.start(),
    );
  });
}

/** Adds the finished upload to the document; retried on network errors and 5xx (the step is idempotent). */
async function addToDocument(uploadId, sha256) {
  for (let attempt = 1; ; attempt += 1) {
    let response;
    try {
      response = await fetch(`/api/items/${encodeURIComponent(itemId)}/pages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...CSRF },
        body: JSON.stringify({ uploads: [sha256 ? { id: uploadId, sha256 } : { id: uploadId }] }),
      });
    } catch {
      response = undefined;
    }
    if (response?.status === 202) return { status: 202 };
    if (response && response.status < 500) {
      const body = await response.json().catch(() => ({}));
      return { status: response.status, message: body.error?.message ?? String(response.status) };
    }
    if (attempt >= ADD_ATTEMPTS) return { status: response?.status ?? 0, message: fill('operator.item.offline') };
    await pause(1000 * 2 ** attempt);
  }
}

function setState(entry, state, text) {
  entry.row.dataset.state = state;
  entry.state.textContent = text;
}

async function upload(entry) {
  setState(entry, 'hashing', fill('operator.item.hashing'));
  const sha256 = await sha256Hex(entry.file);
  // A 422 means the bytes the server received differ from the file: the upload was deleted, send it once more.
  for (let attempt = 1; ; attempt += 1) {
    setState(entry, 'uploading', fill('operator.item.uploading'));
    const sent = await sendResumable(entry, sha256);
    if (sent.failure) {
      setState(entry, 'failed', fill('operator.item.uploadFailed', { reason: explain(sent.failure) }));
      return false;
    }
    setState(entry, 'adding', fill('operator.item.adding'));
    const added = await addToDocument(sent.uploadId, sha256);
    if (added.status === 202) {
      entry.loaded = entry.file.size;
      entry.bar.value = 1;
      updateOverall();
      setState(entry, 'uploaded', fill('operator.item.uploaded'));
      return true;
    }
    if (added.status !== 422 || attempt >= 2) {
      setState(entry, 'failed', fill('operator.item.uploadFailed', { reason: explain(added.message) }));
      return false;
    }
    entry.loaded = 0;
    entry.bar.value = 0;
    updateOverall();
  }
}

async function drain() {
  if (running) return;
  running = true;
  try {
    for (let entry = queue.find((candidate) => !candidate.started); entry; entry = queue.find((candidate) => !candidate.started)) {
      entry.started = true;
      await upload(entry);
    }
  } finally {
    running = false;
  }
}

function addFiles(files) {
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  for (const file of sorted) {
    const row = element('li', 'operator-file');
    const name = element('span', 'operator-file__name', file.name);
    const bar = element('progress', 'operator-file__bar');
    bar.max = 1;
    bar.value = 0;
    bar.setAttribute('aria-label', file.name);
    const state = element('span', 'operator-file__state', fill('operator.item.waiting'));
    row.append(name, bar, state);
    fileList.append(row);
    queue.push({ file, row, bar, state, loaded: 0, started: false });
  }
  updateOverall();
  drain();
}

const input = root.querySelector('input[type="file"]');
input.addEventListener('change', () => {
  addFiles(input.files);
  input.value = '';
});
const zone = root.querySelector('[data-drop-zone]');
zone.addEventListener('dragover', (event) => {
  event.preventDefault();
  zone.dataset.over = '';
});
zone.addEventListener('dragleave', () => delete zone.dataset.over);
zone.addEventListener('drop', (event) => {
  event.preventDefault();
  delete zone.dataset.over;
  addFiles(event.dataTransfer.files);
});
window.addEventListener('beforeunload', (event) => {
  const busy = ['hashing', 'uploading', 'retrying', 'adding'];
  if (!queue.some((entry) => !entry.started || busy.includes(entry.row.dataset.state))) return;
  event.preventDefault();
  event.returnValue = messages['operator.item.leaveWarning'];
});

// ---- pages and live progress ----------------------------------------------------------------

const pageList = root.querySelector('.operator-pages');
const actionError = root.querySelector('[data-action-error]');
const itemStatus = document.querySelector('.operator-item__status');
const viewLink = root.querySelector('.operator-view');
const live = root.querySelector('[data-live]');

function pageRow(page) {
  let row = pageList.querySelector(`[data-page-id="${CSS.escape(page.id)}"]`);
  if (!row) {
    row = element('li', 'operator-page');
    row.dataset.pageId = page.id;
  }
  if (!row.querySelector('.operator-page__thumb')) {
    row.replaceChildren();
    const thumb = element('img', 'operator-page__thumb');
    thumb.alt = fill('operator.item.thumbnail', { seq: page.seq });
    thumb.hidden = true;
    const move = element('div', 'operator-page__move');
    for (const [direction, offset] of [['up', -1], ['down', 1]]) {
      const button = element('button', `operator-page__${direction}`, direction === 'up' ? '↑' : '↓');
      button.type = 'button';
      button.dataset.move = String(offset);
      button.addEventListener('click', () => movePage(row.dataset.pageId, offset));
      move.append(button);
    }
    row.append(thumb, element('span', 'operator-page__label'), element('ul', 'operator-stages'), element('p', 'operator-page__reason'), move);
  }
  return row;
}

function drawPage(page) {
  const row = pageRow(page);
  row.dataset.seq = String(page.seq);
  row.dataset.status = page.status;
  row.querySelector('.operator-page__label').textContent = `${fill('operator.item.page', { seq: page.seq })} — ${fill(`operator.status.${page.status}`)}`;
  const stages = row.querySelector('.operator-stages');
  stages.replaceChildren(
    ...STAGES.map((stage) => {
      const status = page.stages?.[stage]?.status ?? 'pending';
      const entry = element('li', '', `${fill(`operator.stage.${stage}`)}: ${messages[`operator.status.${status}`] ?? status}`);
      entry.dataset.stage = stage;
      entry.dataset.status = status;
      return entry;
    }),
  );
  const thumb = row.querySelector('.operator-page__thumb');
  const thumbReady = page.stages?.derivatives?.status === 'done';
  if (thumbReady && thumb.dataset.loaded !== 'yes') {
    thumb.dataset.loaded = 'yes';
    thumb.hidden = false;
    thumb.src = `/api/pages/${encodeURIComponent(page.id)}/thumbnail?v=${Date.now()}`;
  } else if (!thumbReady) {
    thumb.dataset.loaded = 'no';
  }
  const reason = row.querySelector('.operator-page__reason');
  const failedStage = STAGES.find((stage) => page.stages?.[stage]?.status === 'failed');
  reason.textContent = page.status === 'failed' || failedStage ? explain(page.error ?? page.failureReason ?? '') : '';
  let rerun = row.querySelector('.operator-page__rerun');
  if (page.status === 'failed' || failedStage) {
    if (!rerun) {
      rerun = element('button', 'operator-page__rerun', fill('operator.item.rerun', { seq: page.seq }));
      rerun.type = 'button';
      rerun.addEventListener('click', () => reprocess(rerun, row.dataset.pageId, rerun.dataset.from));
      row.append(rerun);
    }
    rerun.dataset.from = failedStage ?? 'validate';
  } else if (rerun) {
    rerun.remove();
  }
  // The OCR correction editor, once the page has text.
  let correct = row.querySelector('.operator-page__correct');
  if (page.stages?.ocr?.status === 'done') {
    if (!correct) {
      correct = element('a', 'operator-page__correct');
      row.append(correct);
    }
    correct.textContent = fill('ocrFix.link', { seq: page.seq });
    correct.href = `/bien-muc/tai-lieu/${encodeURIComponent(itemId)}/trang/${encodeURIComponent(page.id)}/hieu-dinh`;
  } else if (correct) {
    correct.remove();
  }
  return row;
}

function draw(progress) {
  itemStatus.dataset.status = progress.status;
  itemStatus.textContent = messages[`operator.status.${progress.status}`] ?? progress.status;
  viewLink.hidden = progress.status !== 'digitised';
  const rows = [...progress.pages].sort((a, b) => a.seq - b.seq).map(drawPage);
  rows.forEach((row, index) => {
    const seq = row.dataset.seq;
    const up = row.querySelector('.operator-page__up');
    const down = row.querySelector('.operator-page__down');
    up.disabled = index === 0;
    down.disabled = index === rows.length - 1;
    up.setAttribute('aria-label', fill('operator.item.moveUp', { seq }));
    down.setAttribute('aria-label', fill('operator.item.moveDown', { seq }));
  });
  pageList.replaceChildren(...rows);
  const empty = root.querySelector('.operator-pages__empty');
  if (empty) empty.hidden = rows.length > 0;
}

async function post(url) {
  const response = await fetch(url, { method: 'POST', headers: CSRF });
  if (response.ok) return undefined;
  const body = await response.json().catch(() => ({}));
  return body.error?.message ?? String(response.status);
}

/** Moves a page one place up (-1) or down (+1) and redraws the pages in their new order. */
async function movePage(pageId, offset) {
  const order = [...pageList.querySelectorAll('.operator-page')].map((row) => row.dataset.pageId);
  const from = order.indexOf(pageId);
  const to = from + offset;
  if (from < 0 || to < 0 || to >= order.length) return;
  [order[from], order[to]] = [order[to], order[from]];
  actionError.textContent = '';
  for (const button of pageList.querySelectorAll('[data-move]')) button.disabled = true;
  try {
    const response = await fetch(`/api/items/${encodeURIComponent(itemId)}/page-order`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...CSRF },
      body: JSON.stringify({ pageIds: order }),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      actionError.textContent = fill('operator.item.moveFailed', { reason: explain(body.error?.message ?? response.status) });
    }
    const item = await fetch(`/api/items/${encodeURIComponent(itemId)}`);
    if (item.ok) draw(await item.json());
  } catch {
    actionError.textContent = fill('operator.item.moveFailed', { reason: fill('operator.item.offline') });
  }
}

async function reprocess(button, pageId, from) {
  button.disabled = true;
  actionError.textContent = '';
  try {
    const problem = await post(`/api/pages/${encodeURIComponent(pageId)}/reprocess?from=${encodeURIComponent(from)}`);
    if (problem) actionError.textContent = fill('operator.item.rerunFailed', { reason: explain(problem) });
  } catch {
    actionError.textContent = fill('operator.item.rerunFailed', { reason: fill('operator.item.offline') });
  } finally {
    button.disabled = false;
  }
}

const processButton = root.querySelector('[data-process]');
processButton.addEventListener('click', async () => {
  processButton.disabled = true;
  actionError.textContent = fill('operator.item.processing');
  try {
    const problem = await post(`/api/items/${encodeURIComponent(itemId)}/process`);
    actionError.textContent = problem ? fill('operator.item.processFailed', { reason: explain(problem) }) : '';
  } catch {
    actionError.textContent = fill('operator.item.processFailed', { reason: fill('operator.item.offline') });
  } finally {
    processButton.disabled = false;
  }
});

// EventSource reconnects by itself (the server asks for 3 s); the page says when it is cut off.
const events = new EventSource(`/api/items/${encodeURIComponent(itemId)}/events`);
events.addEventListener('progress', (event) => {
  live.textContent = fill('operator.item.live');
  live.dataset.state = 'live';
  try {
    draw(JSON.parse(event.data));
  } catch (error) {
    actionError.textContent = fill('operator.reason.server', { message: error instanceof Error ? error.message : String(error) });
  }
});
events.addEventListener('error', () => {
  live.textContent = fill('operator.item.offline');
  live.dataset.state = 'offline';
});

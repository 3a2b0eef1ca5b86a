// /bien-muc/tai-lieu/:itemId — the operator's page of one document.
// Uploads: every chosen or dropped file (sorted by name, so 0001.tif comes before 0002.tif)
// is hashed in the browser (SHA-256, crypto.subtle) and sent alone to
// POST /api/items/:id/pages with its `sha256` field before the file, so the server refuses a
// file damaged on the way (422, nothing kept). Network errors, 5xx and 422 are retried up to
// 5 times with a growing pause; other refusals are shown with the server's reason.
// NOTE: a retry sends the whole file again. A true resumable (chunked) upload needs a server
// endpoint that accepts ranges of one file, which does not exist yet.
// Processing: the page follows GET /api/items/:id/events (`event: progress`), redraws each
// page's stages, thumbnail and failure reason, and offers "re-run" on a failed page.
const root = document.querySelector('[data-operator-item]');
const messages = JSON.parse(document.getElementById('operator-messages').textContent);
const itemId = root.dataset.itemId;
const STAGES = ['validate', 'deskew', 'derivatives', 'ocr'];
const MAX_RETRIES = 5;

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
  // crypto.subtle exists only in a secure context (https or localhost); elsewhere the file is
  // sent without a checksum and the server computes its own.
  if (!crypto?.subtle) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function send(entry, sha256) {
  return new Promise((resolve) => {
    const form = new FormData();
    if (sha256) form.append('sha256', sha256);
    form.append('file', entry.file, entry.file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/items/${encodeURIComponent(itemId)}/pages`);
    xhr.upload.addEventListener('progress', (event) => {
      if (!event.lengthComputable) return;
      entry.loaded = Math.min(entry.file.size, (event.loaded / event.total) * entry.file.size);
      entry.bar.value = event.loaded / event.total;
      updateOverall();
    });
    xhr.addEventListener('load', () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: keep the status alone
      }
      resolve({ status: xhr.status, body });
    });
    xhr.addEventListener('error', () => resolve({ status: 0, body: {} }));
    xhr.addEventListener('timeout', () => resolve({ status: 0, body: {} }));
    xhr.send(form);
  });
}

function setState(entry, state, text) {
  entry.row.dataset.state = state;
  entry.state.textContent = text;
}

async function upload(entry) {
  setState(entry, 'hashing', fill('operator.item.hashing'));
  const sha256 = await sha256Hex(entry.file);
  for (let attempt = 0; ; attempt += 1) {
    setState(entry, 'uploading', fill('operator.item.uploading'));
    const { status, body } = await send(entry, sha256);
    if (status === 202) {
      entry.loaded = entry.file.size;
      entry.bar.value = 1;
      updateOverall();
      setState(entry, 'uploaded', fill('operator.item.uploaded'));
      return true;
    }
    const retryable = status === 0 || status === 422 || status >= 500;
    if (!retryable || attempt >= MAX_RETRIES) {
      setState(entry, 'failed', fill('operator.item.uploadFailed', { reason: body.error?.message ? explain(body.error.message) : String(status || 'network') }));
      return false;
    }
    const seconds = 2 ** attempt;
    setState(entry, 'retrying', fill('operator.item.retrying', { attempt: attempt + 1, max: MAX_RETRIES, seconds }));
    entry.loaded = 0;
    entry.bar.value = 0;
    updateOverall();
    await new Promise((resume) => setTimeout(resume, seconds * 1000));
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
  if (!queue.some((entry) => !entry.started || entry.row.dataset.state === 'uploading' || entry.row.dataset.state === 'retrying' || entry.row.dataset.state === 'hashing')) return;
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
    row.append(thumb, element('span', 'operator-page__label'), element('ul', 'operator-stages'), element('p', 'operator-page__reason'));
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
  return row;
}

function draw(progress) {
  itemStatus.dataset.status = progress.status;
  itemStatus.textContent = messages[`operator.status.${progress.status}`] ?? progress.status;
  viewLink.hidden = progress.status !== 'digitised';
  const rows = [...progress.pages].sort((a, b) => a.seq - b.seq).map(drawPage);
  pageList.replaceChildren(...rows);
  const empty = root.querySelector('.operator-pages__empty');
  if (empty) empty.hidden = rows.length > 0;
}

async function post(url) {
  const response = await fetch(url, { method: 'POST' });
  if (response.ok) return undefined;
  const body = await response.json().catch(() => ({}));
  return body.error?.message ?? String(response.status);
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

// /bien-muc/tai-lieu/:itemId/trang/:pageId/hieu-dinh — the OCR correction editor.
// Keyboard first: focus stays in the entry. Tab / Shift+Tab (or j / k while the entry is empty)
// move between boxes, lowest confidence first; 1–9 take the recogniser's nth other reading
// (entry empty) or the nth character found for the typed Quốc ngữ reading; Enter keeps the
// box (entry empty) or takes the typed text; Esc clears the entry (then leaves it); Ctrl+S saves.
// Saving is one POST of every decided box with the version of ocr.json the page was opened on.
const root = document.querySelector('[data-ocr-correction]');
const data = JSON.parse(document.getElementById('correction-data').textContent);
const { messages, boxes } = data;
const CSRF = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
const entry = document.getElementById('correction-entry');
const currentLabel = root.querySelector('[data-current]');
const alternativesList = root.querySelector('[data-alternatives]');
const candidatesList = root.querySelector('[data-candidates]');
const status = root.querySelector('[data-status]');
const pending = root.querySelector('[data-pending]');
const saveButton = root.querySelector('[data-save]');
const rects = [...root.querySelectorAll('rect[data-box]')];
const items = [...root.querySelectorAll('[data-box-list] li')];
const historyTable = document.querySelector('[data-history]');
const historyEmpty = document.querySelector('[data-history-empty]');
const dateFormat = new Intl.DateTimeFormat(data.language === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' });

let version = data.version;
let current = 0;
let candidates = [];
let lookupSerial = 0;
let saving = false;
/** Decided boxes by index: { after, reading? }. */
const decided = new Map();

const fill = (key, values = {}) => messages[key].replace(/\{(\w+)\}/g, (placeholder, name) => (name in values ? String(values[name]) : placeholder));
const element = (tag, text) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
};
const textOf = (index) => decided.get(index)?.after ?? boxes[index].text;
/** A reading to look up: letters (Latin with Vietnamese marks) only. */
const isReading = (value) => /^[a-zA-Z\p{M}\u00C0-\u1EF9]+$/u.test(value.normalize('NFD'));

function drawList(index) {
  const item = items[index];
  item.firstChild.textContent = `${fill('ocrFix.box', { n: index + 1, text: textOf(index) })} `;
  item.classList.toggle('is-edited', decided.has(index));
  rects[index]?.classList.toggle('is-edited', decided.has(index));
}

function drawChoices(list, entries, empty) {
  list.replaceChildren(...(entries.length === 0 ? [] : entries.map((node) => node)));
  list.dataset.empty = entries.length === 0 ? 'yes' : 'no';
  if (entries.length === 0) list.replaceChildren(element('li', empty));
}

function drawCurrent() {
  if (boxes.length === 0) return;
  for (const [index, item] of items.entries()) item.classList.toggle('is-current', index === current);
  for (const [index, rect] of rects.entries()) rect.classList.toggle('is-current', index === current);
  items[current].scrollIntoView({ block: 'nearest' });
  rects[current]?.scrollIntoView?.({ block: 'nearest' });
  const box = boxes[current];
  currentLabel.textContent = `${fill('ocrFix.box', { n: current + 1, text: textOf(current) })} (${fill('ocrFix.confidence', { value: box.confidence })})`;
  drawChoices(alternativesList, box.alternatives.map((text) => element('li', text)), messages['ocrFix.noAlternatives']);
  drawCandidates();
}

function drawCandidates() {
  const nodes = candidates.map((candidate) => {
    const node = element('li', candidate.character);
    node.append(' ', element('small', `${candidate.reading} (${candidate.count})`));
    return node;
  });
  if (entry.value.trim() === '') candidatesList.replaceChildren();
  else drawChoices(candidatesList, nodes, messages['ocrFix.noCandidates']);
}

function drawPending() {
  pending.textContent = decided.size === 0 ? '' : fill('ocrFix.pending', { count: decided.size });
}

function move(step) {
  if (boxes.length === 0) return;
  current = (current + step + boxes.length) % boxes.length;
  clearEntry();
  drawCurrent();
}

function clearEntry() {
  entry.value = '';
  candidates = [];
  lookupSerial += 1;
}

/** The current box reads `after` (a reading when it was picked through one); then on to the next box. */
function decide(after, reading) {
  const box = boxes[current];
  decided.set(current, reading === undefined ? { after: after.normalize('NFC') } : { after: after.normalize('NFC'), reading });
  if (decided.get(current).after === box.text && box.confidence === 100) decided.delete(current);
  drawList(current);
  drawPending();
  status.textContent = '';
  move(1);
}

async function lookUp(value) {
  const serial = (lookupSerial += 1);
  if (!isReading(value)) {
    candidates = [];
    drawCandidates();
    return;
  }
  const query = new URLSearchParams({ q: value, library: data.libraryId });
  const response = await fetch(`/api/nom-readings?${query}`, { headers: { Accept: 'application/json' } });
  if (!response.ok || serial !== lookupSerial) return;
  const body = await response.json();
  if (serial !== lookupSerial) return;
  candidates = body.candidates;
  drawCandidates();
}

async function save() {
  if (saving) return;
  if (decided.size === 0) {
    status.textContent = messages['ocrFix.nothing'];
    return;
  }
  saving = true;
  status.textContent = messages['ocrFix.saving'];
  const sent = [...decided.entries()];
  const edits = sent.map(([index, decision]) => ({
    lineIndex: boxes[index].lineIndex,
    wordIndex: boxes[index].wordIndex,
    before: boxes[index].text,
    after: decision.after,
    ...(decision.reading === undefined ? {} : { reading: decision.reading }),
  }));
  try {
    const response = await fetch(`/api/pages/${encodeURIComponent(data.pageId)}/corrections`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': CSRF },
      body: JSON.stringify({ version, edits }),
    });
    const body = await response.json().catch(() => ({}));
    if (response.status === 409) {
      status.textContent = messages['ocrFix.stale'];
      return;
    }
    if (!response.ok) {
      status.textContent = fill('ocrFix.failed', { message: body.error?.message ?? response.status });
      return;
    }
    version = body.version;
    for (const [index, decision] of sent) {
      const box = boxes[index];
      if (decision.after !== box.text) box.alternatives = [box.text, ...box.alternatives].filter((text) => text !== decision.after);
      box.text = decision.after;
      box.confidence = 100;
      decided.delete(index);
      drawList(index);
      rects[index]?.classList.add('is-edited');
      items[index].classList.add('is-edited');
    }
    drawPending();
    drawCurrent();
    status.textContent = fill('ocrFix.saved', { count: body.corrections });
    await refreshHistory();
  } catch (error) {
    status.textContent = fill('ocrFix.failed', { message: error.message });
  } finally {
    saving = false;
  }
}

async function refreshHistory() {
  const response = await fetch(`/api/pages/${encodeURIComponent(data.pageId)}/corrections`, { headers: { Accept: 'application/json' } });
  if (!response.ok) return;
  const { data: history } = await response.json();
  historyTable.querySelector('tbody').replaceChildren(
    ...history.map((correction) => {
      const row = element('tr');
      const when = element('time', dateFormat.format(new Date(correction.at)));
      when.dateTime = correction.at;
      const cells = [when, correction.user, fill('ocrFix.position', { line: correction.lineIndex + 1, word: correction.wordIndex + 1 }), correction.before, correction.after];
      for (const [index, value] of cells.entries()) {
        const cell = element('td');
        cell.append(value);
        if (index >= 3) cell.lang = 'vi';
        row.append(cell);
      }
      return row;
    }),
  );
  historyTable.hidden = history.length === 0;
  historyEmpty.hidden = history.length > 0;
}

entry.addEventListener('keydown', (event) => {
  const value = entry.value.trim();
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
    event.preventDefault();
    save();
  } else if (event.key === 'Tab') {
    event.preventDefault();
    move(event.shiftKey ? -1 : 1);
  } else if (event.key === 'Escape') {
    if (value === '') saveButton.focus();
    else {
      clearEntry();
      drawCandidates();
    }
  } else if (event.key === 'Enter') {
    event.preventDefault();
    decide(value === '' ? textOf(current) : value);
  } else if (/^[1-9]$/.test(event.key) && !event.ctrlKey && !event.altKey && !event.metaKey) {
    const n = Number(event.key) - 1;
    if (value !== '' && candidates.length > 0) {
      event.preventDefault();
      if (candidates[n]) decide(candidates[n].character, value);
    } else if (value === '' && boxes[current].alternatives.length > 0) {
      event.preventDefault();
      if (boxes[current].alternatives[n] !== undefined) decide(boxes[current].alternatives[n]);
    }
  } else if (value === '' && (event.key === 'j' || event.key === 'k') && !event.ctrlKey && !event.altKey && !event.metaKey) {
    event.preventDefault();
    move(event.key === 'j' ? 1 : -1);
  }
});

entry.addEventListener('input', () => lookUp(entry.value.trim()));
saveButton.addEventListener('click', save);
document.addEventListener('keydown', (event) => {
  if (event.target !== entry && (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
    event.preventDefault();
    save();
  }
});
for (const [index, item] of items.entries()) {
  item.addEventListener('click', () => {
    current = index;
    clearEntry();
    drawCurrent();
    entry.focus();
  });
}
window.addEventListener('beforeunload', (event) => {
  if (decided.size > 0) {
    event.preventDefault();
    event.returnValue = messages['ocrFix.leaveWarning'];
  }
});

drawCurrent();
entry.focus();

// Holdings import on /quan-tri: sends the chosen CSV to POST /api/collections/:id/holdings as
// text/csv, or a MARC file (.xml, .mrc) to POST /api/collections/:id/marc as it is (the server
// tells MARCXML from ISO 2709 by content), keeps the answer for one reload (sessionStorage) and reloads the page, so every
// figure on the page is the server's (progressStatistics), then shows what was imported,
// skipped and why next to the collection's form.
// Sent with every request that changes something: the server refuses a signed-in browser's change without it (CSRF).
const CSRF = { 'X-CSRF-Token': document.querySelector('meta[name="csrf-token"]')?.content ?? '' };
const STORE_KEY = 'holdings-import-result';

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (placeholder, name) => (name in values ? String(values[name]) : placeholder));
}

function showLines(output, lines) {
  output.replaceChildren();
  const [first, ...rest] = lines;
  const summary = document.createElement('p');
  summary.textContent = first;
  output.append(summary);
  if (rest.length > 0) {
    const list = document.createElement('ul');
    for (const line of rest) {
      const entry = document.createElement('li');
      entry.textContent = line;
      list.append(entry);
    }
    output.append(list);
  }
}

/** A row's problems in the page language from their codes; the server's English text for an unknown code. */
function explainProblems(explained, row) {
  if (!Array.isArray(row.problems) || row.problems.some((problem) => !(`problem.${problem.code}` in explained))) return row.reason;
  return row.problems
    .map((problem) => fill(explained[`problem.${problem.code}`], { ...problem, field: explained[`field.${problem.field}`] ?? problem.field }))
    .join('; ');
}

function skippedLine(dataset, explained, row) {
  return fill(dataset.msgSkipped, { ...row, reason: explained[`skip.${row.code}`] ?? row.reason });
}

/** A skipped MARC record, named by its call number, else its 001. */
function skippedRecord(dataset, explained, row) {
  const reason = explained[`skipRecord.${row.code}`] ?? explained[`skip.${row.code}`] ?? row.reason;
  return fill(dataset.msgSkippedRecord, { ...row, identifier: row.identifier ?? row.controlNumber ?? '—', reason });
}

function showResult(form, result) {
  const { dataset } = form;
  const explained = JSON.parse(dataset.msgProblems);
  const output = form.querySelector('.holdings-import__result');
  const format = new Intl.NumberFormat(document.documentElement.lang === 'vi' ? 'vi-VN' : 'en-GB');
  const lines = [
    fill(dataset.msgResult, {
      imported: format.format(result.imported),
      updated: format.format(result.updated),
      skipped: format.format(result.skipped.length),
      errors: format.format(result.errors.length),
      holdings: format.format(result.holdingsCount),
    }),
    ...result.skipped.map((row) => (row.record === undefined ? skippedLine(dataset, explained, row) : skippedRecord(dataset, explained, row))),
    ...result.errors.map((row) =>
      row.record === undefined
        ? fill(dataset.msgError, { ...row, reason: explainProblems(explained, row) })
        : fill(dataset.msgErrorRecord, { ...row, controlNumber: row.controlNumber ? ` (001: ${row.controlNumber})` : '', reason: explainProblems(explained, row) }),
    ),
  ];
  output.dataset.imported = String(result.imported);
  showLines(output, lines);
}

for (const form of document.querySelectorAll('form[data-holdings-import]')) {
  const output = form.querySelector('.holdings-import__result');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = form.querySelector('input[type="file"]').files[0];
    if (!file) {
      showLines(output, [form.dataset.msgChoose]);
      return;
    }
    const button = form.querySelector('button');
    button.disabled = true;
    showLines(output, [form.dataset.msgSending]);
    try {
      const marc = /\.(xml|mrc)$/i.test(file.name);
      const response = await fetch(marc ? form.dataset.marcAction : form.action, {
        method: 'POST',
        headers: { 'content-type': marc ? 'application/octet-stream' : 'text/csv; charset=utf-8', ...CSRF },
        body: file,
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        showLines(output, [fill(form.dataset.msgFailed, { reason: body.error?.message ?? String(response.status) })]);
        return;
      }
      sessionStorage.setItem(STORE_KEY, JSON.stringify({ collectionId: form.dataset.collectionId, result: body }));
      location.reload();
    } catch (error) {
      showLines(output, [fill(form.dataset.msgFailed, { reason: error instanceof Error ? error.message : String(error) })]);
    } finally {
      button.disabled = false;
    }
  });
}

const kept = sessionStorage.getItem(STORE_KEY);
if (kept !== null) {
  sessionStorage.removeItem(STORE_KEY);
  try {
    const { collectionId, result } = JSON.parse(kept);
    const form = [...document.querySelectorAll('form[data-holdings-import]')].find((candidate) => candidate.dataset.collectionId === collectionId);
    if (form) {
      showResult(form, result);
      form.scrollIntoView({ block: 'center' });
    }
  } catch {
    // A damaged entry: nothing to show.
  }
}

/**
 * "Search inside this document": asks the IIIF Content Search 2.0 service of the document
 * (`data-endpoint`) and lists each hit with its page number and a few words of context.
 * Messages come from the form's data-msg-* attributes (the page's language). No innerHTML:
 * every text from the server is set as text.
 */

/** The page number of a canvas id `…/iiif/canvas/{item}/{seq}`, from an annotation target. */
function pageOf(target) {
  const id = typeof target === 'string' ? target : (target && (target.source?.id ?? target.source ?? target.id)) || '';
  const match = /\/(\d+)(?:#.*)?$/.exec(String(id).split('#')[0]);
  return match ? Number(match[1]) : undefined;
}

/** Hits as { page, prefix, exact, suffix } from a Search 2.0 AnnotationPage. */
function listHits(body) {
  const results = new Map();
  for (const annotation of body.items ?? []) {
    results.set(annotation.id, { page: pageOf(annotation.target), exact: annotation.body?.value ?? '' });
  }
  const hits = [];
  for (const hit of body.annotations?.[0]?.items ?? []) {
    const targets = Array.isArray(hit.target) ? hit.target : [hit.target];
    const first = targets[0] ?? {};
    const result = results.get(first.source);
    const selectors = targets.map((target) => (Array.isArray(target.selector) ? target.selector[0] : target.selector) ?? {});
    hits.push({
      page: result?.page,
      prefix: selectors[0]?.prefix ?? '',
      exact: selectors.map((selector) => selector.exact ?? '').join(' '),
      suffix: selectors[selectors.length - 1]?.suffix ?? '',
    });
  }
  if (hits.length === 0) {
    for (const result of results.values()) hits.push({ page: result.page, prefix: '', exact: result.exact, suffix: '' });
  }
  return hits;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (placeholder, name) => (name in values ? String(values[name]) : placeholder));
}

function showHits(list, form, hits) {
  list.replaceChildren(
    ...hits.map((hit) => {
      const item = document.createElement('li');
      const page = document.createElement('span');
      page.className = 'search-inside__page';
      page.textContent = fill(form.dataset.msgPage, { page: hit.page ?? '?' });
      const quote = document.createElement('span');
      const mark = document.createElement('mark');
      mark.textContent = hit.exact;
      quote.append(hit.prefix ? `…${hit.prefix}` : '', mark, hit.suffix ? `${hit.suffix}…` : '');
      item.append(page, ' ', quote);
      return item;
    }),
  );
}

for (const form of document.querySelectorAll('form[data-search-inside]')) {
  const section = form.closest('section');
  const status = section.querySelector('.search-inside__status');
  const list = section.querySelector('.search-inside__hits');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const query = form.elements.q.value.trim();
    if (query === '') return;
    status.textContent = form.dataset.msgSearching;
    list.replaceChildren();
    try {
      const response = await fetch(`${form.dataset.endpoint}?q=${encodeURIComponent(query)}`, {
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`search answered ${response.status}`);
      const hits = listHits(await response.json());
      status.textContent = hits.length === 0 ? form.dataset.msgNone : fill(form.dataset.msgCount, { count: hits.length });
      showHits(list, form, hits);
    } catch {
      status.textContent = form.dataset.msgError;
    }
  });
}

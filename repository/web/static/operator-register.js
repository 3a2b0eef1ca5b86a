// /bien-muc/tai-lieu-moi: posts the registration as JSON to POST /api/items (Dublin Core
// creator/date/description from the form) and goes to the new document's operator page.
// On an error the entries stay in the form (the operator never types them again).
// Sent with every request that changes something: the server refuses a signed-in browser's change without it (CSRF).
const CSRF = { 'X-CSRF-Token': document.querySelector('meta[name="csrf-token"]')?.content ?? '' };
const messages = JSON.parse(document.getElementById('operator-messages').textContent);
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (placeholder, name) => (name in values ? String(values[name]) : placeholder));

for (const form of document.querySelectorAll('form[data-operator-register]')) {
  const error = form.querySelector('.operator-form__error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const value = (name) => String(data.get(name) ?? '').trim();
    const dublinCore = {};
    if (value('creator')) dublinCore.creator = [{ value: value('creator') }];
    if (value('date')) dublinCore.date = [{ value: value('date') }];
    if (value('description')) dublinCore.description = [{ value: value('description') }];
    const body = { collectionId: value('collectionId'), identifier: value('identifier'), title: value('title'), dublinCore };
    if (value('language')) body.language = value('language');
    if (value('script')) body.script = value('script');
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    error.textContent = messages['operator.register.saving'];
    try {
      const response = await fetch('/api/items', { method: 'POST', headers: { 'content-type': 'application/json', ...CSRF }, body: JSON.stringify(body) });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        error.textContent = fill(messages['operator.register.failed'], { reason: answer.error?.message ?? String(response.status) });
        return;
      }
      location.assign(`/bien-muc/tai-lieu/${encodeURIComponent(answer.id)}`);
    } catch {
      error.textContent = messages['operator.register.network'];
    } finally {
      button.disabled = false;
    }
  });
}

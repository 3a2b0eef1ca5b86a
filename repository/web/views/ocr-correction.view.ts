import type { OcrCorrection } from '../../corrections/ocr-correction.repository.ts';
import type { EditorPage } from '../../corrections/ocr-correction.service.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import type { MessageKey } from '../i18n/vi.ts';
import { withLanguage, type PageContext } from '../page-context.ts';
import { ASSETS, layoutView } from './layout.view.ts';

export interface OcrCorrectionInput extends EditorPage {
  history: OcrCorrection[];
}

/** The messages the editor's script needs, handed over as JSON data (no inline script runs). */
const SCRIPT_KEYS = [
  'ocrFix.box',
  'ocrFix.confidence',
  'ocrFix.noAlternatives',
  'ocrFix.noCandidates',
  'ocrFix.saving',
  'ocrFix.saved',
  'ocrFix.nothing',
  'ocrFix.stale',
  'ocrFix.failed',
  'ocrFix.pending',
  'ocrFix.leaveWarning',
  'ocrFix.historyEmpty',
  'ocrFix.position',
] as const satisfies readonly MessageKey[];

/** One recognised box as the script gets it: boxes are listed lowest confidence first. */
function editorBoxes(ocr: EditorPage['ocr']) {
  const boxes = ocr.lines.flatMap((line, lineIndex) =>
    line.words.map((word, wordIndex) => ({
      lineIndex,
      wordIndex,
      text: word.text,
      confidence: Math.round(word.confidence),
      alternatives: (word.alternatives ?? []).map((alternative) => alternative.text).filter((text) => text !== word.text),
      box: word.box,
    })),
  );
  return boxes.sort((a, b) => a.confidence - b.confidence || a.lineIndex - b.lineIndex || a.wordIndex - b.wordIndex);
}

const dateFormat = (language: string) => new Intl.DateTimeFormat(language === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' });

/** `GET /bien-muc/tai-lieu/:itemId/trang/:pageId/hieu-dinh`: the page image with its boxes, the box list, the entry and the history. */
export function ocrCorrectionView(context: PageContext, input: OcrCorrectionInput): SafeHtml {
  const { t } = context;
  const { item, page, ocr } = input;
  const boxes = editorBoxes(ocr);
  const data = {
    pageId: page.id,
    libraryId: item.libraryId,
    version: input.version,
    language: context.language,
    boxes,
    messages: Object.fromEntries(SCRIPT_KEYS.map((key) => [key, t(key)])),
  };
  // JSON inside a data block: `<` is escaped so that no `</script>` can end it early.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const title = t('ocrFix.title', { title: item.title, seq: page.seq });
  const main = html`<link rel="stylesheet" href="${ASSETS}/operator.css"><link rel="stylesheet" href="${ASSETS}/ocr-correction.css">
<h1>${title}</h1>
<p><a href="${withLanguage(`/bien-muc/tai-lieu/${encodeURIComponent(item.id)}`, context.language)}">${t('ocrFix.back')}</a></p>
<p>${t('ocrFix.intro')}</p>
<p class="correction-keys" id="correction-keys">${t('ocrFix.keys')}</p>
<div class="correction" data-ocr-correction>
  <figure class="correction-page">
    <img src="/api/pages/${page.id}/print.jpg" alt="${t('ocrFix.image', { seq: page.seq })}" width="${ocr.imageWidth}" height="${ocr.imageHeight}">
    <svg class="correction-boxes" viewBox="0 0 ${ocr.imageWidth} ${ocr.imageHeight}" preserveAspectRatio="none" aria-hidden="true">
      ${boxes.map((box, index) => html`<rect data-box="${index}" x="${box.box.x}" y="${box.box.y}" width="${box.box.width}" height="${box.box.height}"></rect>`)}
    </svg>
  </figure>
  <div class="correction-side">
    <section class="correction-current" aria-labelledby="current-title">
      <h2 id="current-title">${t('ocrFix.current')}</h2>
      <p class="correction-current__box" data-current aria-live="polite"></p>
      <label for="correction-entry">${t('ocrFix.entry')}</label>
      <input id="correction-entry" class="correction-entry" autocomplete="off" autocapitalize="off" spellcheck="false" aria-describedby="correction-keys">
      <h3>${t('ocrFix.alternatives')}</h3>
      <ol class="correction-choices" data-alternatives aria-live="polite"></ol>
      <h3>${t('ocrFix.candidates')}</h3>
      <ol class="correction-choices" data-candidates aria-live="polite"></ol>
      <p><button type="button" data-save>${t('ocrFix.save')}</button> <span data-pending></span></p>
      <p class="correction-status" data-status role="status"></p>
    </section>
    <section aria-labelledby="boxes-title">
      <h2 id="boxes-title">${t('ocrFix.boxes')}</h2>
      <ol class="correction-list" data-box-list>
        ${boxes.map((box, index) => html`<li data-box="${index}">${t('ocrFix.box', { n: index + 1, text: box.text })} <span class="correction-list__confidence">(${t('ocrFix.confidence', { value: box.confidence })})</span></li>`)}
      </ol>
    </section>
  </div>
</div>
<section class="correction-history" aria-labelledby="history-title">
  <h2 id="history-title">${t('ocrFix.history')}</h2>
  ${historyTable(context, input.history)}
</section>
<script type="application/json" id="correction-data">${raw(json)}</script>`;
  return layoutView(context, { title, main, scripts: ['ocr-correction.js'], current: 'operator' });
}

function historyTable(context: PageContext, history: readonly OcrCorrection[]): SafeHtml {
  const { t } = context;
  const format = dateFormat(context.language);
  return html`<p data-history-empty${history.length > 0 ? html` hidden` : ''}>${t('ocrFix.historyEmpty')}</p>
<table data-history${history.length === 0 ? html` hidden` : ''}>
  <thead><tr><th scope="col">${t('ocrFix.when')}</th><th scope="col">${t('ocrFix.who')}</th><th scope="col">${t('ocrFix.where')}</th><th scope="col">${t('ocrFix.before')}</th><th scope="col">${t('ocrFix.after')}</th></tr></thead>
  <tbody>${history.map(
    (entry) => html`<tr><td><time datetime="${entry.at.toISOString()}">${format.format(entry.at)}</time></td><td>${entry.userName}</td><td>${t('ocrFix.position', { line: entry.lineIndex + 1, word: entry.wordIndex + 1 })}</td><td lang="vi">${entry.before}</td><td lang="vi">${entry.after}</td></tr>`,
  )}</tbody>
</table>`;
}

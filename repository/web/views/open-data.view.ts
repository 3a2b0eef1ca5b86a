import { licenseLabel, OPEN_DATASETS, type OpenDatasetKey } from '../../open-data/open-datasets.ts';
import { reportingDay } from '../../stats/reporting-day.ts';
import { numberFormat } from '../format-number.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';
import { layoutView } from './layout.view.ts';

export interface OpenDataPage {
  /** Licence URL of the metadata. */
  license: string;
  publisher: string;
  /** Documents in the catalogue exports. */
  catalogueCount: number;
  /** Last change of each dataset; absent when there is nothing yet. */
  modified: Partial<Record<OpenDatasetKey, Date>>;
}

/** `GET /open-data`: the downloadable datasets, their licence and the DCAT catalogue that describes them. */
export function openDataView(context: PageContext, page: OpenDataPage): SafeHtml {
  const { t, language } = context;
  const format = numberFormat(language);
  const licence = html`<a href="${page.license}" rel="license">${licenseLabel(page.license)}</a>`;
  const main = html`<h1>${t('openData.title')}</h1>
<p class="lead">${t('openData.intro')}</p>
<section class="open-data__licence" aria-labelledby="open-data-licence">
  <h2 id="open-data-licence">${t('openData.licenceTitle')}</h2>
  <p>${t('openData.licenceMetadata')} ${licence}.</p>
  <p>${t('openData.licenceContent')}</p>
  <p>${t('openData.publisher', { name: page.publisher })}</p>
</section>
<ul class="open-data__datasets">
${OPEN_DATASETS.map((dataset) => {
  const modified = page.modified[dataset.key];
  return html`<li class="open-data__dataset" id="${dataset.key}" data-dataset="${dataset.key}">
  <h2>${dataset.title[language]}</h2>
  <p>${dataset.description[language]}</p>
  <dl class="open-data__facts">
    <div><dt>${t('openData.formats')}</dt><dd>${dataset.distributions.map((distribution) => distribution.format).join(', ')}</dd></div>
    <div><dt>${t('openData.licence')}</dt><dd>${licence}</dd></div>
    ${dataset.key === 'catalogue' ? html`<div><dt>${t('openData.records')}</dt><dd>${format.number(page.catalogueCount)}</dd></div>` : ''}
    <div><dt>${t('openData.modified')}</dt><dd>${modified === undefined ? t('openData.never') : format.day(reportingDay(modified))}</dd></div>
  </dl>
  <ul class="open-data__downloads">
    ${dataset.distributions.map(
      (distribution) =>
        html`<li><a href="${distribution.path}" type="${distribution.mediaType}">${t('openData.download', { format: distribution.format })}</a> <span class="open-data__note">${distribution.note[language]}</span></li>`,
    )}
  </ul>
</li>`;
})}
</ul>
<section class="open-data__dcat" aria-labelledby="open-data-dcat">
  <h2 id="open-data-dcat">${t('openData.dcatTitle')}</h2>
  <p>${t('openData.dcatBody')} <a href="/open-data/catalog.jsonld" type="application/ld+json">/open-data/catalog.jsonld</a></p>
</section>`;
  return layoutView(context, { title: t('openData.title'), main });
}

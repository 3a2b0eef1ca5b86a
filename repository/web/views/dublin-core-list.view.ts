import type { DublinCore, DublinCoreElement } from '../../database/domain.types.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../page-context.ts';

/** The order a reader expects, rather than the alphabetical order of the element set. */
export const DISPLAY_ORDER: readonly DublinCoreElement[] = [
  'title',
  'creator',
  'contributor',
  'subject',
  'description',
  'publisher',
  'date',
  'type',
  'format',
  'identifier',
  'source',
  'language',
  'relation',
  'coverage',
  'rights',
];

/** `<dt>`/`<dd>` pairs of the Dublin Core elements that have values, each value in its own language. */
export function dublinCoreList(context: PageContext, record: DublinCore): SafeHtml {
  return html`${DISPLAY_ORDER.filter((element) => record[element].length > 0).map(
    (element) => html`<div><dt>${context.t(`dc.${element}`)}</dt>${record[element].map(
      (value) => html`<dd${value.lang !== undefined ? html` lang="${value.lang}"` : ''}>${value.value}</dd>`,
    )}</div>`,
  )}`;
}

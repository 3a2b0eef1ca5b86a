import { numberFormat } from '../format-number.ts';
import { html, type SafeHtml } from '../html.ts';
import { dayFraction, type MonthlyBurnUp } from '../monthly-burn-up.ts';
import type { PageContext } from '../page-context.ts';

const WIDTH = 640;
const HEIGHT = 260;
const PLOT = { left: 56, right: 624, top: 16, bottom: 220 };

/**
 * A burn-up chart as inline SVG (no script): cumulative documents digitised at each month's end
 * (solid line, dots) and the straight line from the chart's first day to the target on its
 * deadline (dashed, cut at the report day when the deadline is later). `role="img"` with a
 * title and a description that says the same in words.
 */
export function burnUpChartView(context: PageContext, id: string, title: string, chart: MonthlyBurnUp): SafeHtml {
  const { t } = context;
  const format = numberFormat(context.language);
  const lastValue = chart.months.at(-1)?.cumulative ?? chart.start;
  const top = Math.max(1, chart.target?.count ?? 0, lastValue, ...chart.months.map((m) => m.cumulative));
  const x = (day: string) => PLOT.left + dayFraction(chart.from, chart.to, day) * (PLOT.right - PLOT.left);
  const y = (value: number) => PLOT.bottom - (value / top) * (PLOT.bottom - PLOT.top);
  const r = (value: number) => Math.round(value * 10) / 10;
  const actual = [`${r(x(chart.from))},${r(y(chart.start))}`, ...chart.months.map((m) => `${r(x(m.day))},${r(y(m.cumulative))}`)].join(' ');

  let targetLine: SafeHtml = html``;
  let description: string;
  if (chart.target !== null && chart.target.day > chart.from) {
    const end = chart.target.day <= chart.to ? chart.target.day : chart.to;
    const fraction = dayFraction(chart.from, chart.target.day, end);
    const endValue = chart.start + (chart.target.count - chart.start) * fraction;
    targetLine = html`<line class="burn-up__target" x1="${r(x(chart.from))}" y1="${r(y(chart.start))}" x2="${r(x(end))}" y2="${r(y(endValue))}"/>`;
    description = t('admin.chart.desc', {
      last: format.number(lastValue),
      date: format.day(chart.to),
      target: format.number(chart.target.count),
      deadline: format.day(chart.target.day),
    });
  } else {
    description = t('admin.chart.descNoTarget', { last: format.number(lastValue), date: format.day(chart.to) });
  }
  const ticks = [0, top / 2, top].map((value) => Math.round(value));
  const labelled = chart.months.filter((_, index) => index % 3 === 0 || index === chart.months.length - 1);
  return html`<svg class="burn-up" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" data-last="${lastValue}">
  <title id="${id}-title">${t('admin.chart.title', { title })}</title>
  <desc id="${id}-desc">${description}</desc>
  ${[...new Set(ticks)].map(
    (value) => html`<line class="burn-up__grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${r(y(value))}" y2="${r(y(value))}"/>
  <text class="burn-up__label" x="${PLOT.left - 6}" y="${r(y(value)) + 4}" text-anchor="end">${format.number(value)}</text>`,
  )}
  ${labelled.map(
    (m) => html`<text class="burn-up__label" x="${r(x(m.day))}" y="${PLOT.bottom + 18}" text-anchor="middle">${m.month.slice(5)}/${m.month.slice(2, 4)}</text>`,
  )}
  ${targetLine}
  <polyline class="burn-up__actual" points="${actual}"/>
  ${chart.months.map((m) => html`<circle class="burn-up__dot" cx="${r(x(m.day))}" cy="${r(y(m.cumulative))}" r="3"/>`)}
</svg>
<p class="burn-up__legend"><span class="legend legend--actual">${t('admin.chart.actual')}</span>${chart.target === null ? '' : html` <span class="legend legend--target">${t('admin.chart.target')}</span>`}</p>`;
}

import { h, svg } from './dom.js';
import { t } from './i18n.js';

/**
 * Bar charts as plain SVG: a handful of bars per chart needs no charting library. Every bar
 * carries its value as text, so the chart reads without hovering and a screen reader gets the
 * same numbers from the chart's description.
 */

export interface Bar {
  label: string;
  value: number;
  /** What is written at the bar's end; the value when absent. */
  text?: string;
  /** This bar's colour, when bars of one chart compare two things (now and a draft). */
  tone?: string;
}

const W = 560;

export function barChart(
  title: string,
  bars: Bar[],
  opts: { id: string; max?: number; tone?: string } = { id: '' },
): HTMLElement {
  const figure = h('figure', { class: 'chart', id: opts.id });
  figure.appendChild(h('figcaption', {}, title));
  if (bars.length === 0 || bars.every((b) => b.value === 0 && !b.text)) {
    figure.appendChild(h('p', { class: 'empty' }, t('reports.noData')));
    return figure;
  }
  const row = 26;
  const labelW = 150;
  const max = opts.max ?? Math.max(...bars.map((b) => b.value), 1);
  const height = bars.length * row + 8;
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${height}`,
    role: 'img',
    'aria-label': `${title}: ${bars.map((b) => `${b.label} ${b.text ?? b.value}`).join(', ')}`,
    preserveAspectRatio: 'xMinYMin meet',
  });
  bars.forEach((b, i) => {
    const y = i * row + 4;
    const w = Math.max(0, ((W - labelW - 70) * b.value) / max);
    chart.appendChild(svg('text', { x: labelW - 6, y: y + 16, 'text-anchor': 'end', class: 'label' }, b.label));
    chart.appendChild(
      svg('rect', { x: labelW, y, width: w, height: row - 8, rx: 3, class: `bar ${b.tone ?? opts.tone ?? ''}` }),
    );
    chart.appendChild(svg('text', { x: labelW + w + 6, y: y + 16, class: 'value' }, b.text ?? String(b.value)));
  });
  figure.appendChild(chart);
  return figure;
}

/** Columns over time (volume per day): one column per day, its count above it. */
export function columnChart(title: string, bars: Bar[], id: string): HTMLElement {
  const figure = h('figure', { class: 'chart', id });
  figure.appendChild(h('figcaption', {}, title));
  if (bars.length === 0) {
    figure.appendChild(h('p', { class: 'empty' }, t('reports.noData')));
    return figure;
  }
  const height = 200;
  const base = height - 24;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const step = W / bars.length;
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${height}`,
    role: 'img',
    'aria-label': `${title}: ${bars.map((b) => `${b.label} ${b.value}`).join(', ')}`,
  });
  bars.forEach((b, i) => {
    const x = i * step + step * 0.15;
    const hgt = ((base - 20) * b.value) / max;
    chart.appendChild(svg('rect', { x, y: base - hgt, width: step * 0.7, height: hgt, rx: 3, class: 'bar' }));
    chart.appendChild(
      svg('text', { x: x + step * 0.35, y: base - hgt - 4, 'text-anchor': 'middle', class: 'value' }, String(b.value)),
    );
    chart.appendChild(
      svg('text', { x: x + step * 0.35, y: height - 6, 'text-anchor': 'middle', class: 'label' }, b.label),
    );
  });
  figure.appendChild(chart);
  return figure;
}

/**
 * The colour legend of the landscape view: one swatch per band of the filled contours, lowest
 * first, each titled with its range of f, and the values of f at both ends and in the middle of
 * the (log-spaced) levels underneath.
 */
import type { Shaded } from './landscape-view.ts';

/** Fill `el` with the legend of `shaded` (emptied when there is none); `fmt` writes a value of f. */
export function drawLegend(el: HTMLElement, shaded: Shaded | undefined, fmt: (v: number) => string): void {
  el.replaceChildren();
  if (!shaded || !Number.isFinite(shaded.min)) return;
  const { levels, colours, min, max } = shaded;
  const bar = document.createElement('div');
  bar.className = 'swatches';
  colours.forEach((colour, k) => {
    const swatch = document.createElement('span');
    swatch.style.background = colour;
    const from = k === 0 ? min : levels[k - 1], to = k === levels.length ? max : levels[k];
    swatch.title = `f from ${fmt(from)} to ${fmt(to)}`;
    bar.append(swatch);
  });
  const ticks = document.createElement('div');
  ticks.className = 'ticks';
  for (const v of [min, levels[Math.floor(levels.length / 2)], max]) {
    const t = document.createElement('span');
    t.textContent = fmt(v);
    ticks.append(t);
  }
  el.append(bar, ticks);
}

/**
 * The loss-quantile chart: bands between symmetric quantile levels of the loss over the
 * particles (`result.record.lossQuantiles`, computed in wasm) against the step, the median as a
 * line, and a cursor at the step the view shows. Log-scaled when the losses are positive and
 * span more than two decades. Host Math here only places pixels.
 */
import type { Quantiles } from './protocol.ts';

const PAD = { left: 64, right: 12, top: 14, bottom: 26 };
const BAND_COLOURS = ['rgba(49,104,142,0.22)', 'rgba(49,104,142,0.45)', 'rgba(49,104,142,0.7)'];

const pct = (level: number) => `${Number((level * 100).toPrecision(6))}`;
const label = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(Number(v.toPrecision(4))));

/** Draw the chart of `q` over steps [0, T] with a cursor at `cursor` (or a hint when there is no run yet). */
export function drawChart(ctx: CanvasRenderingContext2D, q: Quantiles | null, T: number, cursor: number | undefined): void {
  const { width: W, height: H } = ctx.canvas;
  const pw = W - PAD.left - PAD.right, ph = H - PAD.top - PAD.bottom;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#555';
  if (!q || q.steps.length === 0) {
    ctx.fillText('loss quantiles over the particles appear here after a run', PAD.left, H / 2);
    return;
  }
  const L = q.levels.length, rows = q.steps.length;
  let lo = Infinity, hi = -Infinity;
  for (const v of q.values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) {
    ctx.fillText('no finite losses (every particle diverged)', PAD.left, H / 2);
    return;
  }
  const log = lo > 0 && hi / lo > 100;
  const g = (v: number) => (log ? Math.log10(v) : v);
  let g0 = g(lo), g1 = g(hi);
  if (g1 === g0) { g0 -= 1; g1 += 1; }
  const X = (t: number) => PAD.left + (pw * t) / Math.max(1, T);
  const Y = (v: number) => PAD.top + ph * (1 - (g(v) - g0) / (g1 - g0));
  const at = (r: number, l: number) => q.values[r * L + l];

  // Bands between levels l and L−1−l, outermost first; rows with a non-finite bound are skipped.
  for (let l = 0; l < Math.floor(L / 2); l++) {
    const kept = Array.from({ length: rows }, (_, r) => r).filter((r) => Number.isFinite(at(r, l)) && Number.isFinite(at(r, L - 1 - l)));
    if (kept.length === 0) continue;
    ctx.fillStyle = BAND_COLOURS[Math.min(l, BAND_COLOURS.length - 1)];
    ctx.beginPath();
    kept.forEach((r, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, X(q.steps[r]), Y(at(r, L - 1 - l))));
    for (const r of kept.reverse()) ctx.lineTo(X(q.steps[r]), Y(at(r, l)));
    ctx.closePath();
    ctx.fill();
  }
  if (L % 2 === 1) {
    const m = (L - 1) / 2;
    ctx.strokeStyle = '#1a3d5c';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    for (let r = 0; r < rows; r++) {
      if (!Number.isFinite(at(r, m))) continue;
      (started ? ctx.lineTo : ctx.moveTo).call(ctx, X(q.steps[r]), Y(at(r, m)));
      started = true;
    }
    ctx.stroke();
  }

  // Axes and labels.
  ctx.strokeStyle = '#999';
  ctx.lineWidth = 1;
  ctx.strokeRect(PAD.left, PAD.top, pw, ph);
  ctx.fillStyle = '#333';
  ctx.textAlign = 'right';
  ctx.fillText(label(hi), PAD.left - 4, PAD.top + 8);
  ctx.fillText(label(lo), PAD.left - 4, PAD.top + ph);
  ctx.fillText(log ? 'loss (log)' : 'loss', PAD.left - 4, PAD.top + ph / 2);
  ctx.textAlign = 'left';
  ctx.fillText('0', PAD.left, H - 8);
  ctx.textAlign = 'right';
  ctx.fillText(`step ${T}`, PAD.left + pw, H - 8);
  const outer = L >= 2 ? `${pct(q.levels[0])}–${pct(q.levels[L - 1])}%` : '';
  ctx.textAlign = 'center';
  ctx.fillText(`quantiles ${outer}${L >= 4 ? `, ${pct(q.levels[1])}–${pct(q.levels[L - 2])}%` : ''}${L % 2 ? ', median' : ''}`, PAD.left + pw / 2, H - 8);
  ctx.textAlign = 'left';

  if (cursor !== undefined) {
    ctx.strokeStyle = '#e8112d';
    ctx.beginPath();
    ctx.moveTo(X(cursor) + 0.5, PAD.top);
    ctx.lineTo(X(cursor) + 0.5, PAD.top + ph);
    ctx.stroke();
  }
}

// A line chart as a Vega-Lite spec, for the gallery plots that descent.plots has no builder for
// (measured points with interval whiskers against theory curves). Like descent.plots' specs it is
// plain data with its data inline, rendered by descent/plots' toSVG.
//   series: [{ label, points: [{ x, y, lo?, hi? }], mark: 'points' | 'line' | 'dashed' }]
//   options: { title, xTitle, yTitle, xScale: 'linear'|'log', yScale, width, height, rules: [{ x?, y?, label }] }

export function chart(series, { title, xTitle, yTitle, xScale = 'linear', yScale = 'linear', width = 560, height = 320, rules = [] } = {}) {
  const data = [];
  for (const s of series) for (const p of s.points) data.push({ x: p.x, y: p.y, lo: p.lo ?? p.y, hi: p.hi ?? p.y, series: s.label, mark: s.mark ?? 'line' });
  const color = { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 2, labelLimit: 420 } };
  const x = { field: 'x', type: 'quantitative', title: xTitle, scale: { type: xScale, zero: false, nice: false } };
  const y = { field: 'y', type: 'quantitative', title: yTitle, scale: { type: yScale, zero: false } };
  const only = (m) => ({ filter: Array.isArray(m) ? m.map((k) => `datum.mark === '${k}'`).join(' || ') : `datum.mark === '${m}'` });
  const layer = [
    { transform: [only(['line', 'dashed'])], mark: { type: 'line', strokeWidth: 1.8 }, encoding: { x, y, color, strokeDash: { field: 'mark', type: 'nominal', legend: null, scale: { domain: ['line', 'dashed'], range: [[1, 0], [5, 3]] } } } },
    { transform: [only('points')], mark: { type: 'rule', strokeWidth: 1.4 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } },
    { transform: [only('points')], mark: { type: 'point', filled: true, size: 36 }, encoding: { x, y, color } },
  ];
  for (const r of rules) {
    const enc = r.x !== undefined ? { x: { datum: r.x, type: 'quantitative', scale: x.scale } } : { y: { datum: r.y, type: 'quantitative', scale: y.scale } };
    layer.push({ mark: { type: 'rule', strokeDash: [2, 2], color: '#666' }, encoding: enc });
    if (r.label) layer.push({ mark: { type: 'text', align: 'left', dx: 3, dy: -6, color: '#444', fontSize: 10 }, encoding: { ...enc, ...(r.x !== undefined ? { y: { value: 8 } } : { x: { value: 4 } }), text: { value: r.label } } });
  }
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, width, height, data: { values: data }, layer };
}

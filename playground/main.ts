/**
 * The playground page: controls ↔ state ↔ URL fragment, the worker that runs descent, and the
 * drawing of its answers (contours, the particle frames, the loss-quantile chart). The page never
 * loads the library: every number it shows arrives from the worker.
 */
import type { Catalog, ErrorInfo, Quantiles, Reply, Request, State } from './protocol.ts';
import { defaultState, fromHash, toHash } from './state.ts';
import { drawScene, shade, type Shaded } from './landscape-view.ts';
import { drawChart } from './chart.ts';
import { drawLegend } from './legend.ts';

/** Contour grid resolution (drawn scaled onto the 480-pixel canvas). */
const GRID = 240;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('controls');
const scene = $<HTMLCanvasElement>('scene').getContext('2d')!;
const chart = $<HTMLCanvasElement>('chart').getContext('2d')!;
const slider = $<HTMLInputElement>('frame');
const buttons = { run: $<HTMLButtonElement>('run'), stop: $<HTMLButtonElement>('stop'), share: $<HTMLButtonElement>('share'), play: $<HTMLButtonElement>('play') };

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (m: Request) => worker.postMessage(m);

let catalog: Catalog | undefined;
let nextId = 1;
/** The request whose contour (and run) the page shows; answers to older ones are dropped. */
let contourId = 0, runId = 0;
let shaded: Shaded | undefined, view: number[] | undefined, grid: { values: Float64Array; nx: number; ny: number } | undefined;
/** The frames received so far of the current run. */
let frames: { total: number; received: number; P: number; steps: Int32Array; xy: Float64Array } | undefined;
let frame = 0, playing = false;
/** The latest frame of a run drawn live (too big to replay) and whether it is on the canvas yet. */
let live: { step: number; T: number; P: number; xy: Float64Array; drawn: boolean } | undefined;
/** Live frames drawn in this run, and when the first and the last were (for the frame rate shown and read by the tests). */
let liveFrames = 0, liveFirst = 0, liveLast = 0;
let quantiles: Quantiles | null = null, runSteps = 0;
let downloadUrl: string | undefined;

type Status = 'loading' | 'ready' | 'running' | 'done' | 'stopped' | 'error';
function setStatus(s: Status): void {
  document.body.dataset.state = s;
  buttons.stop.disabled = s !== 'running';
}

// ——— controls and state ———

/** Every named control's value, in display order. */
function readState(): State {
  const s: State = {};
  for (const el of Array.from(form.elements) as HTMLInputElement[]) if (el.name) s[el.name] = el.value;
  return s;
}

function option(select: HTMLSelectElement | HTMLOptGroupElement, value: string, text = value): void {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  select.append(o);
}

/** Set a select's value, adding the value as an option when it is not one (a URL's unknown kind: the run then shows the library's error). */
function choose(select: HTMLSelectElement, value: string): void {
  if (!Array.from(select.options).some((o) => o.value === value)) option(select, value, `${value} (unknown)`);
  select.value = value;
}

/** The parameter controls of one group (`l.`, `o.`, `n.`): a select for booleans, text otherwise, so any typed value round-trips. */
function paramControls(container: HTMLElement, prefix: string, state: State, defaults: Record<string, unknown>): void {
  container.replaceChildren();
  for (const [key, value] of Object.entries(state)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    const label = document.createElement('label');
    label.append(name + ' ');
    let input: HTMLInputElement | HTMLSelectElement;
    if (typeof defaults[name] === 'boolean') {
      input = document.createElement('select');
      option(input, 'false');
      option(input, 'true');
      choose(input, value);
    } else {
      input = document.createElement('input');
      input.value = value;
    }
    input.name = key;
    label.append(input);
    container.append(label);
  }
}

/** Show a state in the controls. */
function writeState(state: State): void {
  const c = catalog!;
  const find = <T extends { kind: string }>(list: T[], kind: string) => list.find((e) => e.kind === kind);
  choose($<HTMLSelectElement>('landscape'), state.landscape);
  choose($<HTMLSelectElement>('optimizer'), state.optimizer);
  choose($<HTMLSelectElement>('noise'), state.noise);
  paramControls($('l-params'), 'l.', state, find(c.landscapes, state.landscape)?.params ?? {});
  paramControls($('o-params'), 'o.', state, find(c.optimizers, state.optimizer)?.params ?? {});
  paramControls($('n-params'), 'n.', state, find(c.noises, state.noise)?.params ?? {});
  for (const k of ['view', 'mean', 'std', 'particles', 'steps', 'seed']) (form.elements.namedItem(k) as HTMLInputElement).value = state[k] ?? '';
}

/** Keep the URL fragment equal to the controls (replaceState: editing does not fill the history). */
function syncUrl(state = readState()): void {
  history.replaceState(null, '', toHash(state));
}

function fillChoices(c: Catalog): void {
  const l = $<HTMLSelectElement>('landscape'), o = $<HTMLSelectElement>('optimizer'), n = $<HTMLSelectElement>('noise');
  for (const e of c.landscapes) option(l, e.kind);
  for (const family of ['optimizer', 'sampler'] as const) {
    const group = document.createElement('optgroup');
    group.label = family === 'optimizer' ? 'optimizers' : 'samplers';
    for (const e of c.optimizers) if (e.family === family) option(group, e.kind);
    o.append(group);
  }
  for (const e of c.noises) option(n, e.kind);
  $('version').textContent = `descent ${c.version}.`;
  $('max-points').textContent = c.maxPoints.toLocaleString('en');
  $('max-live').textContent = c.maxLive.toLocaleString('en');
}

/** A new landscape resets its parameters, view and start (and step sizes to its scale); a new optimiser or noise model resets only its own parameters. */
function onKindChange(which: string): void {
  const s = readState();
  const choice = { landscape: s.landscape, optimizer: s.optimizer, noise: s.noise };
  let keep: State;
  if (which === 'landscape') keep = { particles: s.particles, steps: s.steps, seed: s.seed };
  else keep = Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith(which === 'optimizer' ? 'o.' : 'n.')));
  writeState(defaultState(catalog!, choice, keep, which !== 'landscape'));
  syncUrl();
  if (which === 'landscape') requestContour();
}

// ——— errors ———

function clearError(): void {
  $('error').hidden = true;
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/**
 * The control a DescentError's path names: `optimizers.sgd.lr` → o.lr, `rosenbrock.b` → l.b,
 * `noise.gaussian.sigma` → n.sigma, `inits.normal.std` → std, `simulate.steps` → steps,
 * `landscape.kind` → landscape, …
 */
function controlFor(path: string): Element | null {
  const segs = path.split('.').map((s) => s.replace(/\[.*$/, ''));
  const [head] = segs;
  const name = head === 'optimizers' || head === 'samplers' ? `o.${segs[2]}`
    : head === 'optimizer' || head === 'sampler' ? 'optimizer'
    : head === 'noise' ? (segs.length > 2 ? `n.${segs[2]}` : 'noise')
    : head === 'inits' ? segs[2]
    : head === 'simulate' || head === 'playground' ? segs[1]
    : head === 'landscape' ? 'landscape'
    : segs.length > 1 ? `l.${segs[1]}` : 'landscape';
  return path && name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
}

function showError(e: ErrorInfo): void {
  $('error').hidden = false;
  $('error-message').textContent = e.message;
  $('error-detail').textContent = e.code ? `${e.name} ${e.code}${e.path ? ` at ${e.path}` : ''}` : `${e.name} (unexpected: see the console)`;
  controlFor(e.path)?.setAttribute('aria-invalid', 'true');
}

// ——— worker requests ———

let contourTimer: ReturnType<typeof setTimeout> | undefined;
function requestContour(): void {
  clearTimeout(contourTimer);
  contourTimer = setTimeout(() => {
    contourId = nextId++;
    send({ type: 'contour', id: contourId, state: readState(), nx: GRID, ny: GRID });
  }, 150);
}

function run(): void {
  clearTimeout(contourTimer);
  clearError();
  const state = readState();
  syncUrl(state);
  runId = contourId = nextId++;
  frames = undefined;
  live = undefined;
  liveFrames = 0;
  delete document.body.dataset.liveFrames;
  delete document.body.dataset.liveFps;
  frame = 0;
  playing = false;
  buttons.play.textContent = '▶';
  buttons.play.disabled = slider.disabled = true;
  slider.max = slider.value = '0';
  quantiles = null;
  delete document.body.dataset.hash;
  $('summary').textContent = '';
  $('config-box').hidden = true;
  ($('progress') as HTMLProgressElement).value = 0;
  setStatus('running');
  send({ type: 'run', id: runId, state, nx: GRID, ny: GRID });
  redraw();
}

// ——— drawing ———

function redraw(): void {
  const f = frames && frame < frames.received ? frame : undefined;
  const per = frames ? 2 * frames.P : 0;
  if (live && !frames) drawScene(scene, shaded, view, live.xy, 0, live.P);
  else drawScene(scene, shaded, view, f === undefined ? undefined : frames!.xy, f === undefined ? 0 : f * per, frames?.P ?? 0);
  const step = live && !frames ? live.step : f === undefined ? undefined : frames!.steps[f];
  drawChart(chart, quantiles, runSteps, step);
  $('step').textContent = step === undefined ? '' : `step ${step} of ${runSteps}`;
  document.body.dataset.frame = String(f ?? -1);
  document.body.dataset.step = String(step ?? -1);
}

function tick(): void {
  if (live && !live.drawn) {
    // A run drawn live: its latest frame, once per animation frame.
    live.drawn = true;
    redraw();
    const now = performance.now();
    if (liveFrames++ === 0) liveFirst = now;
    liveLast = now;
    document.body.dataset.liveFrames = String(liveFrames);
    if (liveFrames > 1) document.body.dataset.liveFps = ((1000 * (liveFrames - 1)) / (liveLast - liveFirst)).toFixed(1);
  }
  if (playing && frames) {
    if (frame + 1 < frames.received) {
      frame++;
      slider.value = String(frame);
      redraw();
    } else if (frames.received === frames.total) {
      playing = false;
      buttons.play.textContent = '▶';
    }
  }
  requestAnimationFrame(tick);
}

const fmt = (v: number) => (Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(6))));

function receive(m: Reply): void {
  switch (m.type) {
    case 'catalog': {
      catalog = m.catalog;
      fillChoices(catalog);
      const fromUrl = fromHash(location.hash);
      const shared = Object.keys(fromUrl).length > 0;
      writeState(shared ? defaultState(catalog, { landscape: fromUrl.landscape, optimizer: fromUrl.optimizer, noise: fromUrl.noise }, fromUrl, true) : defaultState(catalog));
      for (const b of [buttons.run, buttons.share]) b.disabled = false;
      setStatus('ready');
      // A shared link shows its run straight away.
      if (shared) run(); else requestContour();
      return;
    }
    case 'contour':
      if (m.id !== contourId) return;
      shaded = shade(m.values, m.nx, m.ny);
      view = m.view;
      grid = { values: m.values, nx: m.nx, ny: m.ny };
      $('axes').textContent = `x ∈ [${view[0]}, ${view[1]}], y ∈ [${view[2]}, ${view[3]}]; f from ${fmt(shaded.min)} to ${fmt(shaded.max)}, colours log-scaled`;
      drawLegend($('colour-legend'), shaded, fmt);
      redraw();
      return;
    case 'progress':
      if (m.id === runId) ($('progress') as HTMLProgressElement).value = m.step / m.steps;
      return;
    case 'frames': {
      if (m.id !== runId) return;
      if (!frames) {
        frames = { total: m.total, received: 0, P: m.particles, steps: new Int32Array(m.total), xy: new Float64Array(m.total * 2 * m.particles) };
        runSteps = m.T;
        playing = true;
        buttons.play.textContent = '❚❚';
        buttons.play.disabled = slider.disabled = false;
      }
      frames.steps.set(m.steps, m.first);
      frames.xy.set(m.xy, m.first * 2 * m.particles);
      frames.received = m.first + m.steps.length;
      slider.max = String(frames.received - 1);
      document.body.dataset.frames = String(frames.received);
      if (!playing) redraw();
      return;
    }
    case 'live':
      if (m.id !== runId) return;
      runSteps = m.T;
      live = { step: m.step, T: m.T, P: m.particles, xy: m.xy, drawn: false };
      return;
    case 'done': {
      if (m.id !== runId) return;
      quantiles = m.quantiles;
      runSteps = m.steps;
      const { running, diverged, stopped } = m.counts;
      const loss = m.finalLoss ? `final loss min ${fmt(m.finalLoss[0])}, median ${fmt(m.finalLoss[1])}, max ${fmt(m.finalLoss[2])}` : 'no finite final loss';
      $('summary').replaceChildren(`${m.particles} particles × ${m.steps} steps in ${Math.round(m.ms)} ms: ${running} running, ${diverged} diverged, ${stopped} stopped; ${loss}. Result hash `);
      const code = document.createElement('code');
      code.id = 'hash';
      code.textContent = m.hash;
      $('summary').append(code);
      $('config').textContent = JSON.stringify(JSON.parse(m.config), null, 2);
      if (downloadUrl) URL.revokeObjectURL(downloadUrl);
      downloadUrl = URL.createObjectURL(new Blob([m.config], { type: 'application/json' }));
      ($('download') as HTMLAnchorElement).href = downloadUrl;
      $('config-box').hidden = false;
      ($('progress') as HTMLProgressElement).value = 1;
      document.body.dataset.hash = m.hash;
      setStatus('done');
      redraw();
      return;
    }
    case 'stopped':
      if (m.id === runId) setStatus('stopped');
      return;
    case 'error':
      if (m.id !== 0 && m.id !== runId && m.id !== contourId) return;
      showError(m.error);
      if (m.id === runId || m.id === 0) setStatus('error');
      return;
  }
}

// ——— events ———

worker.onmessage = (ev: MessageEvent<Reply>) => receive(ev.data);
worker.onerror = (ev) => {
  showError({ name: 'Error', code: '', path: '', message: `the worker failed: ${ev.message}` });
  setStatus('error');
};

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (catalog) run();
});
form.addEventListener('change', (ev) => {
  const name = (ev.target as HTMLInputElement).name;
  if (name === 'landscape' || name === 'optimizer' || name === 'noise') onKindChange(name);
});
form.addEventListener('input', (ev) => {
  const name = (ev.target as HTMLInputElement).name;
  if (!name || !catalog) return;
  (ev.target as Element).removeAttribute('aria-invalid');
  syncUrl();
  if (name.startsWith('l.') || name === 'view') requestContour();
});
buttons.stop.addEventListener('click', () => send({ type: 'stop', id: runId }));
buttons.share.addEventListener('click', async () => {
  syncUrl();
  const url = $<HTMLInputElement>('share-url');
  url.value = location.href;
  $('share-box').hidden = false;
  url.select();
  try {
    await navigator.clipboard.writeText(location.href);
    $('share-status').textContent = 'copied';
  } catch {
    $('share-status').textContent = 'copy the link';
  }
});
buttons.play.addEventListener('click', () => {
  if (!frames) return;
  playing = !playing;
  if (playing && frame + 1 >= frames.received) frame = 0;
  buttons.play.textContent = playing ? '❚❚' : '▶';
  redraw();
});
slider.addEventListener('input', () => {
  playing = false;
  buttons.play.textContent = '▶';
  frame = Number(slider.value);
  redraw();
});
$('scene').addEventListener('mousemove', (ev) => {
  if (!view || !grid) return;
  const r = (ev.target as HTMLCanvasElement).getBoundingClientRect();
  const u = (ev.clientX - r.left) / r.width, v = (ev.clientY - r.top) / r.height;
  const i = Math.min(grid.nx - 1, Math.floor(u * grid.nx)), j = Math.min(grid.ny - 1, Math.floor(v * grid.ny));
  const x = view[0] + u * (view[1] - view[0]), y = view[3] - v * (view[3] - view[2]);
  $('hover').textContent = `(${x.toFixed(3)}, ${y.toFixed(3)}): f ≈ ${fmt(grid.values[j * grid.nx + i])}`;
});

redraw();
requestAnimationFrame(tick);

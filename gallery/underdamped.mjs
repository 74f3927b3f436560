// Gallery entry 9 — underdamped acceleration: on a Gaussian target of condition number κ the
// overdamped Langevin chain (ULA) needs ∝ κ steps to forget its start, the underdamped (kinetic)
// one with friction tuned to the slowest mode ∝ √κ.
//
// The target exp(−U/T), U = ½xᵀAx with A = diag(1, 1/κ), is linear-Gaussian, so the ensemble mean
// evolves exactly by the noise-free step: E x_{t+1} = (1 − hλ) E x_t for ULA, and by a 2 × 2 matrix
// per eigenvalue λ for BAOAB (B(h/2) A(h/2) O(h) A(h/2) B(h/2) with the O step's mean e^{−γh}v;
// Leimkuhler & Matthews 2013), from v₀ = 0. The mixing time here is the last step at which the
// slow coordinate's ensemble mean exceeds ε = 5% of its start — predicted by iterating those
// maps in plain JS, measured from the recorded ensemble means of `simulate`. Theory: ULA's rate is
// hλ_min = h/κ, so τ ∝ κ; BAOAB with γ = 2√λ_min (critical damping of the slowest mode) contracts
// at ≈ e^{−h√λ_min}, so τ ∝ √κ (Cheng, Chatterji, Bartlett & Jordan, COLT 2018; Dalalyan &
// Riou-Durand, Bernoulli 2020).
import * as descent from '../build/descent.node.mjs';
import { chart } from './lib/chart.mjs';
import { linearFit } from './lib/stats.mjs';
import { row } from './lib/table.mjs';

export const meta = {
  name: 'underdamped',
  title: 'Underdamped Langevin: mixing in √κ instead of κ',
  claim: 'On a target of condition number κ, overdamped Langevin mixes in O(κ) steps and underdamped Langevin with friction matched to the smallest curvature in O(√κ).',
  source: 'Cheng, Chatterji, Bartlett & Jordan, "Underdamped Langevin MCMC: a non-asymptotic analysis", COLT 2018; Dalalyan & Riou-Durand, Bernoulli 26 (2020).',
  setup: 'U(x) = ½xᵀAx with A = diag(1, 1/κ) (`landscapes.quadratic({ A })`), T = 1, for κ from 10 to 1000. Both chains use step h = 0.1: `samplers.ula({ stepSize: 0.1 })` and `samplers.underdamped({ stepSize: 0.1, friction: 2/√κ })` (BAOAB, mass 1, v₀ = 0). Every particle starts at x₀ = (0, 20√κ), twenty stationary standard deviations out along the slow direction; the ensemble mean of that coordinate is recorded, and the mixing time is the last recorded step at which it exceeds 5% of x₀. The prediction iterates the exact mean map of each chain (linear for a Gaussian target) in plain JS.',
  twoD: true,
};

const H = 0.1, EPS = 0.05;
/** Last step t at which |E x_t| > ε|x₀| under the mean map of `chain` on curvature λ (v₀ = 0). */
function predictedTau(chain, lam, gamma) {
  let x = 1, v = 0, last = 0;
  const a = Math.exp(-gamma * H);
  for (let t = 1; t < 1e7; t++) {
    if (chain === 'ula') x *= 1 - H * lam;
    else {
      v -= (H / 2) * lam * x; x += (H / 2) * v; v *= a; x += (H / 2) * v; v -= (H / 2) * lam * x;
    }
    if (Math.abs(x) > EPS) last = t;
    else if (chain === 'ula' || Math.abs(x) + Math.abs(v) / Math.sqrt(lam) < EPS * 1e-3) break; // ULA is monotone; BAOAB: the energy has died
  }
  return last;
}

export async function run({ scale = 'full' } = {}) {
  await descent.init();
  const { landscapes, samplers, inits } = descent;
  const full = scale === 'full';
  const P = full ? 2000 : 500, kappas = full ? [10, 30, 100, 300, 1000] : [10, 100, 400];
  const rows = [], table = [];
  for (const kappa of kappas) {
    const lam = 1 / kappa, gamma = 2 * Math.sqrt(lam), x0 = 20 * Math.sqrt(kappa);
    const f = landscapes.quadratic({ A: [[1, 0], [0, lam]] });
    const entry = { kappa };
    for (const [chain, sampler] of [['ula', samplers.ula({ stepSize: H })], ['baoab', samplers.underdamped({ stepSize: H, friction: gamma })]]) {
      const tau = predictedTau(chain, lam, gamma), steps = Math.ceil(1.5 * tau) + 50, every = Math.max(1, Math.floor(tau / 400));
      const r = await descent.simulate({ landscape: f, optimizer: sampler, init: inits.point({ x: [0, x0] }), particles: P, steps, seed: 909, record: { every } });
      let last = 0;
      for (let i = 0; i < r.record.steps.length; i++) if (Math.abs(r.record.paramMean[2 * i + 1]) > EPS * x0) last = r.record.steps[i];
      // The mean's Monte Carlo error near the threshold (stationary sd √κ over √P) shifts the crossing by ≈ that error over the decay per step.
      const slope = chain === 'ula' ? H * lam : H * Math.sqrt(lam) / 2;
      const jitter = Math.ceil((4 * Math.sqrt(kappa) / Math.sqrt(P)) / (slope * EPS * x0)) + every; // + the record's resolution
      entry[chain] = { measured: last, predicted: tau, jitter };
      rows.push(row({ quantity: `mixing time, ${chain === 'ula' ? 'ULA' : 'underdamped (BAOAB)'}, κ = ${kappa} (steps)`, measured: last, predicted: tau, interval: [last - jitter / 2, last + jitter / 2], tolerance: jitter })); // jitter ≈ 4 standard errors
    }
    table.push(entry);
  }
  const lk = table.map((e) => Math.log(e.kappa));
  for (const chain of ['ula', 'baoab']) {
    const m = linearFit(lk, table.map((e) => Math.log(e[chain].measured))), p = linearFit(lk, table.map((e) => Math.log(e[chain].predicted)));
    const name = chain === 'ula' ? 'ULA' : 'underdamped';
    rows.push(row({ quantity: `exponent of κ in the mixing time, ${name}, vs the exact maps' over the same κ`, measured: m.b, predicted: p.b, tolerance: 0.02 }));
    rows.push(row({ quantity: `exponent of κ, ${name}, vs the asymptotic ${chain === 'ula' ? '1' : '½'} (allowed 0.08)`, measured: m.b, predicted: chain === 'ula' ? 1 : 0.5, tolerance: 0.08 }));
  }
  const spec = chart([
    { label: 'ULA, measured', mark: 'points', points: table.map((e) => ({ x: e.kappa, y: e.ula.measured })) },
    { label: 'ULA, exact mean map', points: table.map((e) => ({ x: e.kappa, y: e.ula.predicted })) },
    { label: 'underdamped, measured', mark: 'points', points: table.map((e) => ({ x: e.kappa, y: e.baoab.measured })) },
    { label: 'underdamped, exact mean map', points: table.map((e) => ({ x: e.kappa, y: e.baoab.predicted })) },
  ], { title: 'Mixing time against the condition number', xTitle: 'condition number κ', yTitle: 'steps until the mean is within 5% of the target\'s', xScale: 'log', yScale: 'log' });
  return {
    rows, plots: [{ name: 'mixing', spec, caption: `Mixing time (steps, log–log) of ${P} particles per chain against κ; lines: the exact mean maps. Slopes 1 (ULA) and ½ (underdamped).` }],
    setup: { particles: P, table },
    notes: [
      `The √κ needs the friction tuned to the smallest curvature (γ = 2/√κ): the √κ law is a statement about the right γ, which the run is given, not one the sampler finds. With γ fixed at a value tuned to κ = ${kappas[0]}, the slow mode is overdamped at larger κ and the advantage shrinks back toward κ (not run here).`,
      `Critical damping makes the slow coordinate's mean (1 + ct)e^{−ct}-shaped rather than a pure exponential, so the underdamped mixing time carries a log-factor the √κ law omits; the fitted exponent over κ = ${kappas[0]}–${kappas.at(-1)} (the table) shows how close the finite range comes. This measures the mean only: the covariance converges at twice the rate for ULA, and the entry does not measure a distance between distributions (W₂ or TV), which the cited bounds are about.`,
    ],
  };
}

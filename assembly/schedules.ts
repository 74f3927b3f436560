// Learning-rate schedules: η_t for step t = 0, 1, 2, … as a pure function of t (closed forms,
// so the value cannot depend on how a run is chunked). Kind ids MUST MATCH src/schedules.ts
// (SCHEDULE_KINDS; test/layout.test.ts checks them).
// Parameters (f64 array q):
//   CONSTANT     η_t = q0
//   STEP         η_t = q0 · q2^⌊t / q1⌋                          (torch StepLR: stepSize q1, γ q2)
//   EXPONENTIAL  η_t = q0 · q1^t                                  (torch ExponentialLR)
//   COSINE       warm-up W = q3 steps: η_t = q0·(t + 1)/W for t < W; then over T = q1 − W steps
//                η_t = q2 + (q0 − q2)(1 + cos(π (t − W)/T))/2, held at q2 for t ≥ q1
//                (Loshchilov & Hutter 2017, SGDR without restarts; torch CosineAnnealingLR's closed form)
//   INVERSE_TIME η_t = q0 / (1 + q1·t)^q2
//   ARRAY        η_t = q[1 + min(t, q0 − 1)]                     (q0 = length; last value held)

export const CONSTANT = 0;
export const STEP = 1;
export const EXPONENTIAL = 2;
export const COSINE = 3;
export const INVERSE_TIME = 4;
export const ARRAY = 5;

const PI: f64 = 3.141592653589793; // π, nearest double

/** η_t of schedule `kind` with parameters at `q`. */
export function learningRate(kind: i32, q: usize, t: i32): f64 {
  const q0 = load<f64>(q);
  switch (kind) {
    case STEP: return q0 * Math.pow(load<f64>(q, 16), Math.floor(<f64>t / load<f64>(q, 8)));
    case EXPONENTIAL: return q0 * Math.pow(load<f64>(q, 8), <f64>t);
    case COSINE: {
      const total = load<f64>(q, 8), minLr = load<f64>(q, 16), warm = load<f64>(q, 24);
      const tt = <f64>t;
      if (tt < warm) return q0 * (tt + 1.0) / warm;
      if (tt >= total) return minLr;
      return minLr + (q0 - minLr) * (1.0 + Math.cos(PI * (tt - warm) / (total - warm))) * 0.5;
    }
    case INVERSE_TIME: return q0 / Math.pow(1.0 + load<f64>(q, 8) * <f64>t, load<f64>(q, 16));
    case ARRAY: {
      const len = <i32>q0;
      return load<f64>(q + (<usize>(1 + min(t, len - 1)) << 3));
    }
    default: return q0;
  }
}

/** Fill out[0..count) with η_t for t = t0, t0+1, … (for tests and plots). */
export function learningRates(kind: i32, q: usize, t0: i32, count: i32, out: usize): void {
  for (let i = 0; i < count; i++) store<f64>(out + (<usize>i << 3), learningRate(kind, q, t0 + i));
}

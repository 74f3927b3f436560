// The run descriptor: one f64 array describing an ensemble run (pointers are byte addresses,
// exact as f64). MUST MATCH bindings/ensemble.ts (D); test/layout.test.ts checks every slot.
export const LK = 0;        // landscape kind
export const LP = 1;        // landscape parameters
export const DIM = 2;       // d
export const LW = 3;        // landscape scratch (one evaluation)
export const OK = 4;        // optimiser kind
export const HP = 5;        // optimiser hyperparameters
export const SK = 6;        // learning-rate schedule kind
export const SQ = 7;        // learning-rate schedule parameters
export const SLOTS = 8;     // optimiser state slots
export const NK = 9;        // noise kind
export const NQ = 10;       // noise parameters
export const NSK = 11;      // noise annealing schedule kind (−1: none, m_t = 1)
export const NSQ = 12;      // noise annealing schedule parameters
export const P = 13;        // particles of the whole run (global indices ≥ P are padding)
export const B = 14;        // block size (particles per block, even)
export const NB = 15;       // number of blocks this instance holds and runs (global blocks FIRST … FIRST + NB − 1)
export const K0 = 16;       // seed, low 32 bits
export const K1 = 17;       // seed, high bits
export const X = 18;        // positions, blocked: ((b·d + j)·B + i)
export const S = 19;        // optimiser state: block b at S + b·SLOTS·d·B doubles, slot stride d·B
export const R = 20;        // per-block run scalars (2 doubles per block)
export const G = 21;        // gradient scratch (d·B)
export const F = 22;        // losses of the current block (B)
export const GN = 23;       // gradient norms of the current block (B)
export const STATUS = 24;   // i32 per padded particle: 0 active, 1 diverged, 2 stopped, 3 padding
export const EVENT = 25;    // i32 per particle: step of divergence or stop, −1
export const REGION = 26;   // i32 per particle: region entered, −1
export const FROZEN = 27;   // positions of stopped particles (blocked, like X), or 0
export const BOUND = 28;    // divergence bound on max_j |x_j|
export const GRADTOL = 29;  // stop when ‖∇f‖ < GRADTOL (0: off)
export const NREG = 30;     // number of stop regions
export const REGC = 31;     // region centres (NREG × d)
export const REGR = 32;     // region radii (NREG)
export const EVERY = 33;    // record statistics every EVERY steps (0: off)
export const PART = 34;     // record partials: (row·NB + b)·PW doubles, b local
export const LOSSBUF = 35;  // record losses for the quantile sketch: row·NB·B + local p (NaN when excluded)
export const TRAJM = 36;    // trajectories of the first TRAJM particles (0: off)
export const TRAJ = 37;     // trajectory buffer: (t·TRAJM + p)·d, x_t for t = 0 … T
export const MBI = 38;      // minibatch: b i32 component indices (scratch)
export const MBG = 39;      // minibatch: d doubles, one particle's minibatch gradient (scratch; 2d with importance
                            // sampling: then a term's gradient)
export const HNW = 40;      // Hessian-aligned noise scratch (hessianNoiseScratch(d) + 3d doubles), or 0
export const SVW = 41;      // SVGD (interacting particles) work space, or 0
export const ACC = 42;      // i32 per particle: accepted proposals (MALA), or 0
export const CVW = 43;      // curvature-aware optimiser work space (one lane at a time), or 0
export const SHP = 44;      // sharpness track output, or 0
export const SHW = 45;      // sharpness tracker work space, or 0
export const FIRST = 46;    // global index of the first block this instance runs (blocks are addressed relative to it)
export const FUSED = 47;    // fused kernels' work space (run/fused.ts fusedWorkDoubles), or 0
export const DSW = 48;      // distributed / variance-reduced optimisers' lane work space (run/distributed.ts), or 0
// Slots 49 … 55 are reserved for that family; 57 … 63 for issue 19's other dynamics.
export const ZOW = 56;      // zeroth-order gradient work space (noise/zerothOrder.ts: 2·d·B + 3·B doubles), or 0
export const SIZE = 64;

/** Descriptor slot k as a double, an address and an integer. */
@inline export function f(desc: usize, k: i32): f64 { return load<f64>(desc + (<usize>k << 3)); }
@inline export function u(desc: usize, k: i32): usize { return <usize>load<f64>(desc + (<usize>k << 3)); }
@inline export function i(desc: usize, k: i32): i32 { return <i32>load<f64>(desc + (<usize>k << 3)); }
/** A seed word (K0, K1: integers in [0, 2³²)): read as u32, since through i32 words ≥ 2³¹ would saturate. */
@inline export function key(desc: usize, k: i32): u32 { return <u32>load<f64>(desc + (<usize>k << 3)); }

/** Per-block partial width: n, loss mean, loss M2, loss min, loss max, Σ‖g‖, then (mean, M2) per coordinate. */
@inline export function partialWidth(d: i32): i32 { return 6 + 2 * d; }

/** Global index of local block b's first particle (blocks are held from global block FIRST on). */
@inline export function firstParticle(desc: usize, b: i32): i32 {
  return (b + <i32>load<f64>(desc + (<usize>FIRST << 3))) * <i32>load<f64>(desc + (<usize>B << 3));
}

/** Number of descriptor slots. */
export function runDescriptorSize(): i32 { return SIZE; }

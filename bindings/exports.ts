// The raw exports of build/descent.wasm, typed. MUST MATCH assembly/index.ts. Pointers are byte
// addresses into the module's memory (u32 in JS); u64 results arrive as (signed) BigInt.

/** Typed view of the module's exports (one comment per argument in the kernel sources). */
export interface DescentExports {
  readonly memory: WebAssembly.Memory;
  /** The function table: landscapes linked at run time occupy slots past its initial length (bindings/linked.ts). */
  readonly table: WebAssembly.Table;
  /** The math library for modules compiled at run time (assembly/util/mathExports.ts): name → f64 function. */
  readonly [math: `math${string}`]: (...args: number[]) => number;
  /** First byte the bindings may use for their heap. */
  heapBase(): number;
  /** Index of the first non-finite double among n at ptr, or −1. */
  firstNonFinite(ptr: number, n: number): number;
  /** FNV-1a 64 continued over `n` bytes at `ptr`. */
  fnv1aBytes(h: bigint, ptr: number, n: number): bigint;
  /** FNV-1a 64 continued over `n` float64 values at `ptr`, NaNs canonicalised. */
  fnv1aF64(h: bigint, ptr: number, n: number): bigint;
  /** The FNV-1a 64 offset basis. */
  fnvOffset(): bigint;
  /** Philox4x32-10 of counter (c0..c3) under key (k0, k1), 4 u32 written at `out`. */
  philoxBlock(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: number): void;
  /** `count` uniforms [0,1) of draws offset.. at (stream, particle, step), key (k0, k1). */
  fillUniform(k0: number, k1: number, stream: number, particle: number, step: number, offset: number, count: number, out: number): void;
  /** `count` standard normals (Box–Muller) of draws offset.. at (stream, particle, step). */
  fillNormal(k0: number, k1: number, stream: number, particle: number, step: number, offset: number, count: number, out: number): void;
  /** `count` ziggurat normals of (stream, particle, step), draws 0 … count−1. */
  fillZiggurat(k0: number, k1: number, stream: number, particle: number, step: number, count: number, out: number): void;
  /** √x (correctly rounded), for scalars of results computed in TypeScript. */
  sqrtF64(x: number): number;
  /** Number of landscape kinds in this module. */
  landscapeKindCount(): number;
  /** f at n points: kind, params, dim, n, x, point stride (bytes), coord stride (bytes), scratch, out. */
  landscapeValue(kind: number, p: number, d: number, n: number, x: number, sp: number, sc: number, w: number, out: number): void;
  /** ∇f (and f into `out` unless 0) at n points; g shares x's layout. */
  landscapeGrad(kind: number, p: number, d: number, n: number, x: number, sp: number, sc: number, g: number, w: number, out: number): void;
  /** ∇²f(x_i)·v_i at n points; v and hv share x's layout. */
  landscapeHvp(kind: number, p: number, d: number, n: number, x: number, sp: number, sc: number, v: number, hv: number, w: number): void;
  /** Dense row-major Hessian at one point; e, col: d doubles of scratch each. */
  landscapeHessian(kind: number, p: number, d: number, x: number, w: number, e: number, col: number, out: number): void;
  /** Spectral quadratic parameters from eigenvalues, centre and seed key; −1 on success. */
  quadraticFromSpectrum(d: number, lambda: number, m: number, k0: number, k1: number, p: number, work: number): number;
  /** Gaussian-mixture constants and precisions in place; −1, or the first non-SPD component. */
  gaussianMixturePrepare(d: number, p: number, work: number): number;
  /** Scratch doubles a K-component, d-dimensional mixture evaluation needs. */
  gaussianMixtureScratch(K: number, d: number): number;
  /** Number of optimiser kinds in this module. */
  optimizerKindCount(): number;
  /** State slots (n doubles each) optimiser `kind` with hyperparameters at `hp` needs. */
  optimizerSlots(kind: number, hp: number): number;
  /** Initialise optimiser state (slots `stride` bytes apart) and run scalars for start point x. */
  optimizerInit(kind: number, hp: number, n: number, x: number, s: number, stride: number, r: number): void;
  /** η_t for t = t0.. of schedule `kind` with parameters at q, `count` values into out. */
  learningRates(kind: number, q: number, t0: number, count: number, out: number): void;
  /** Steps [t0, t1) of one trajectory; returns the first non-finite step or −1. */
  trajectoryRun(lk: number, lp: number, d: number, lw: number, ok: number, hp: number, s: number, r: number,
    sk: number, q: number, x: number, g: number, t0: number, t1: number, losses: number, xs: number): number;
  /** Number of f64 slots of an ensemble run descriptor. */
  runDescriptorSize(): number;
  /** Statuses, events and optimiser state of an ensemble whose descriptor is at `desc`. */
  ensembleInit(desc: number): void;
  /** Steps [t0, t1) of every block; record rows start at global row row0. */
  ensembleRun(desc: number, t0: number, t1: number, row0: number): void;
  /** a := a ⊕ b for record partials of dimension d (assembly/run/summary.ts). */
  partialMerge(a: number, b: number, d: number): void;
  /** a := a ⊕ b for final partials of dimension d with `regions` stop regions. */
  finalMerge(a: number, b: number, d: number, regions: number): void;
  /** Doubles of a final partial. */
  finalWidth(d: number, regions: number): number;
  /** Reduce `count` (a power of two) partials of `width` doubles at p into p's first by the dyadic tree; regions < 0: record partials. */
  treeReduce(p: number, count: number, width: number, d: number, regions: number): void;
  /** Statistics (n, mean, var, min, max, mean ‖g‖, d means, d variances) of a merged record partial. */
  partialStats(p: number, d: number, out: number): void;
  /** Statistics (n, mean, var, min, max) of a merged moment group. */
  groupStats(p: number, out: number): void;
  /** Final losses (NB·B; masked: NaN where not counted) and one final partial per held block (NB × finalWidth) after `steps` steps. */
  finalPartials(desc: number, steps: number, out: number, losses: number, masked: number): void;
  /** Coordinate j of every held lane (NB·B), NaN where not counted. */
  maskedCoordinate(desc: number, j: number, out: number): void;
  /** Sorted distinct sketch keys (i32) and counts (f64) of n values (NaN skipped); returns how many. Scratch: tmp n i32, hist 2048 i32. */
  sketchBuild(values: number, n: number, bits: number, keys: number, counts: number, tmp: number, hist: number): number;
  /** Type-7 quantiles of a sketch and their buckets' rank intervals: out = nq values | nq rankLow | nq rankHigh. */
  sketchQuantiles(keys: number, counts: number, K: number, bits: number, levels: number, nq: number, out: number): void;
  /** The value a sketch bucket stands for. */
  sketchValue(key: number, bits: number): number;
  /** Add a histogram of n values (NaN skipped) over ne ascending edges into counts (ne + 1 bins). */
  histogramAdd(values: number, n: number, edges: number, ne: number, counts: number): void;
  /** Initial positions of the particles of global blocks first … first + nBlocks − 1 (of P) in the blocked layout. */
  initPositions(kind: number, q: number, d: number, P: number, B: number, first: number, nBlocks: number, k0: number, k1: number,
    x: number, w: number): void;
  /** Cholesky factor L (row-major, lower) of the SPD d×d matrix at a; 0 if not SPD. */
  choleskyFactor(d: number, a: number, l: number): number;
  /** Blocked positions to row-major P×d. */
  gatherRows(x: number, d: number, P: number, B: number, out: number): void;
  /** Final velocities v_T of a kinetic sampler's held particles after `steps` steps into out (blocked like X). */
  finalVelocities(desc: number, steps: number, out: number): void;
  /** Eigenvalues (lambda, n) and eigenvectors (q, n×n) of the symmetric n×n matrix at a (overwritten), cyclic Jacobi. */
  symmetricEigen(n: number, a: number, q: number, lambda: number): number;
  /** Finite-sum model loss L(θ) (θ contiguous); w: model scratch. */
  modelValue(kind: number, p: number, d: number, th: number, w: number): number;
  /** g = ∇L(θ); returns L(θ). */
  modelGrad(kind: number, p: number, d: number, th: number, g: number, w: number): number;
  /** hv = ∇²L(θ) v. */
  modelHvp(kind: number, p: number, d: number, th: number, v: number, hv: number, w: number): void;
  /** out = G(θ) v (Gauss–Newton = true Fisher). */
  modelGgnvp(kind: number, p: number, d: number, th: number, v: number, out: number, w: number): void;
  /** out = F_emp(θ) v. */
  modelFisherVp(kind: number, p: number, d: number, th: number, v: number, out: number, w: number): void;
  /** Per-example losses (n) and gradients (n × d). */
  modelPerExample(kind: number, p: number, d: number, th: number, losses: number, grads: number, w: number): void;
  /** Minibatch gradient over b i32 indices at idx (0: all); returns the batch loss. */
  modelBatch(kind: number, p: number, d: number, th: number, idx: number, b: number, g: number, w: number,
    lq: number, k0: number, k1: number, particle: number, step: number): number;
  /** Advance spectral algorithm `algo` (bindings/spectral.ts ALGO) with state at st: 1 = product requested, 0 = done. */
  spectralStep(algo: number, st: number): number;
  /** Run spectral algorithm `algo` to the end, products by the operator descriptor at op; returns the products made. */
  spectralRun(algo: number, st: number, op: number): number;
  /** y = A x by the operator descriptor at op. */
  spectralApply(op: number, x: number, y: number): void;
  /** Layout facts (slot counts, work sizes) for the bindings' consistency test. */
  spectralLayout(what: number, arg: number): number;
  /** Σ_k w_k φ_σ(t − θ_k) at g grid points: nodes, weights, count, σ, grid, g, out. */
  spectralDensity(nodes: number, weights: number, count: number, sigma: number, grid: number, g: number, out: number): void;
  /** Probe vector `index` of `purpose` (dist 0 Rademacher, 1 Gaussian), n doubles into out. */
  spectralProbe(dist: number, k0: number, k1: number, purpose: number, index: number, n: number, out: number): void;
  /** y = A x for the packed symmetric matrix a of padded order np (a multiple of 4). */
  spectralSymv(np: number, a: number, x: number, y: number): void;
  /** Pack the row-major symmetric n×n matrix at full into the panel layout at out. */
  spectralSymPack(n: number, full: number, out: number): void;
  /**
   * Pack the row-major n×n matrix at `full` into the panel layout at `out` and write
   * [max|a_ij|, max_{i<j} |a_ij − a_ji|] to `res` (assembly/spectral/pack.ts).
   */
  spectralDensePack(n: number, full: number, out: number, res: number): void;
  /** Per-column mean and unbiased variance of an n × d row-major array. */
  columnMoments(n: number, d: number, x: number, mean: number, variance: number, se: number): void;
  /** Multi-chain autocorrelation ρ(0 … maxLag) of m × n chains; work: m doubles. */
  autocorrelation(m: number, n: number, x: number, maxLag: number, out: number, work: number): void;
  /** Effective sample size (Geyer initial monotone sequence) of m × n chains; work: m doubles. */
  effectiveSampleSize(m: number, n: number, x: number, work: number): number;
  /** KSD² (V-statistic, IMQ kernel (c² + r²)^β) of N × d points x with scores s. */
  steinImq(N: number, d: number, x: number, s: number, c: number, beta: number): number;
  /** Unbiased MMD² of x (n × d) and y (m × d), Gaussian kernel of bandwidth ℓ. */
  mmdGaussian(n: number, m: number, d: number, x: number, y: number, ell: number): number;
  /** Median of the N(N−1)/2 pairwise distances of N × d points z; dist, work: N(N−1)/2 doubles each. */
  medianPairDistance(N: number, d: number, z: number, dist: number, work: number): number;
  /** Doubles of the sharpness tracker's work space (parameters included) for dimension d, k values, basis size ncv. */
  sharpnessWorkSize(d: number, k: number, ncv: number): number;
  fusedWorkDoubles(): number;
  /** Doubles of lane work space (descriptor slot DSW) distributed or variance-reduced kind `kind` needs at minibatch size b (0: none). */
  distributedWorkSize(kind: number, hp: number, d: number, b: number): number;
  /** Doubles of the curvature-aware optimiser `kind`'s work space (0: another kind); assembly/run/curvature.ts. */
  curvatureWorkDoubles(kind: number, hp: number, d: number, B: number): number;
  /** Bytes noise `kind` (parameters at q) needs in descriptor slot `slot` (MBI, MBG, HNW or ZOW); assembly/noise/work.ts. */
  noiseWorkBytes(kind: number, q: number, d: number, B: number, slot: number): number;
  fusedCase(desc: number): number;
  /** Address of the table of every mirrored id and layout constant (assembly/layout.ts), for test/layout.test.ts. */
  layoutTable(): number;
  /** RANK_TOL of assembly/models/buresWasserstein.ts, for test/layout.test.ts. */
  buresRankTol(): number;
}

/**
 * FNV-1a (32-bit) of the module's export names, sorted and joined by spaces: a stale or foreign
 * .wasm exports a different set, and instantiation refuses it (bindings/engine.ts). One number
 * instead of the list of names keeps the check out of every bundle's size (issue 21).
 * Adding or removing an export changes it: init() then fails with E_WASM giving the module's hash,
 * which goes here (test/layout.test.ts checks the hash function and this value).
 */
export const EXPORTS_HASH = 0x48517001;

/** The hash {@link EXPORTS_HASH} is compared with: FNV-1a 32 over the sorted names, space-separated. */
export function exportsHash(names: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const c of [...names].sort().join(' ')) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

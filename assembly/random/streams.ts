// Philox stream ids: each use of randomness has its own stream, so draws never collide.
// MUST MATCH docs (README "Random numbers") — changing one changes every result that uses it.
export const NOISE: u32 = 1;        // gradient noise, index = coordinate
export const INIT: u32 = 2;         // initial positions, index = coordinate
export const NOISE_T: u32 = 3;      // Student-t draws (uniform pairs), index = 64·coordinate + 2·attempt
export const MINIBATCH: u32 = 4;    // minibatch indices
export const NOISE_RETRY: u32 = 5;  // ziggurat retries, index = 32·draw + 2·attempt (+1)
export const SHUFFLE: u32 = 6;      // per-epoch minibatch permutations, counter (⌊i/2⌋, epoch, particle)
export const LABEL: u32 = 7;        // label noise, counter (draw, step, particle); draws per batch slot
export const SPECTRAL: u32 = 8;     // spectral probes and start vectors (assembly/spectral/probes.ts): counter
                                    // (coordinate block, vector index, purpose, 8); 8 was the next free id
export const SAMPLER: u32 = 9;      // Langevin sampler draws (assembly/samplers/langevin.ts), counter
                                    // (⌊draw/2⌋, step, particle); ziggurat normals (samplers/samplerNormals.ts)
export const ACCEPT: u32 = 10;      // Metropolis accept/reject uniforms (MALA, Metropolis–Hastings), counter (0, step, particle)
export const PERTURB: u32 = 11;     // curvature-aware optimisers' random perturbations (perturbed GD), counter (draw, step, particle)
export const TRACK: u32 = 12;       // start vectors of the sharpness tracker's Lanczos runs, counter (draw, row, particle)
export const SAMPLER_RETRY: u32 = 13; // ziggurat retries of SAMPLER draws, index = 32·draw + 2·attempt (+1)
// Issue 19's distributed and variance-reduced optimisers (ids from 32, away from other new streams):
export const DELAY: u32 = 32;       // asynchronous SGD's delays τ_t, counter (0, step, particle)
export const COIN: u32 = 33;        // loopless SVRG/SARAH snapshots and MARINA's full-gradient coin, counter (0, step, particle)
export const COMPRESS: u32 = 34;    // RandK subsets and PermK permutations, counter (⌊draw/2⌋, step, particle), draw = worker·d + i
// Ids from 40 on for issue 19's dynamics (zeroth order, Metropolis–Hastings), clear of the ids
// others add in sequence.
export const ZEROTH: u32 = 40;      // zeroth-order gradient directions (noise/zerothOrder.ts), counter (⌈d/2⌉k + ⌊j/2⌋, step, particle)
export const ZEROTH_RETRY: u32 = 41; // ziggurat retries of ZEROTH draws, index = 32·draw + 2·attempt (+1)
export const MH_PROPOSAL: u32 = 42; // Metropolis–Hastings proposal normals (samplers/metropolisHastings.ts),
                                    // counter (⌊j/2⌋, step, particle)
export const MH_RETRY: u32 = 43;    // ziggurat retries of MH_PROPOSAL draws, index = 32·draw + 2·attempt (+1)
// The stochastic modified equations' Wiener increments (optimizers/sme.ts), counter (⌊j/2⌋, t·substeps + substep, particle).
export const SME: u32 = 50;
export const SME_RETRY: u32 = 51;  // ziggurat retries of SME draws, index = 32·draw + 2·attempt (+1)

// Noise-model kind ids and parameter layouts. MUST MATCH src/noise.ts (NOISE_KINDS; test/layout.test.ts).
// The noise is added to the gradient g (d × B block, coordinate-major) before the optimiser step,
// scaled by m_t, the value of the noise's annealing schedule at step t (1 without one).
export const NONE = 0;          // —
export const GAUSSIAN = 1;      // q: σ_0 … σ_{d−1}           g_j += m_t σ_j z_j
export const LOSS_SCALED = 2;   // q: σ                        g_j += m_t σ √max(f(x), 0) z_j
export const HEAVY_TAILED = 3;  // q: σ ν                      g_j += m_t σ T_j,  T_j ~ Student-t(ν)
export const MINIBATCH = 4;     // q: b repl σ flip K          g = (1/b) Σ_{i∈batch} w_i ∇ℓ_i  (finite sums and models; noise/minibatch.ts)
export const HESSIAN_ALIGNED = 5; // q: σ                      g += m_t σ L √D z,  H(x) ≈ L D Lᵀ (noise/hessianAligned.ts)
export const LABEL_NOISE = 6;   // q: b repl σ flip K          as MINIBATCH (b = 0: full batch), labels perturbed each step
                                //                             (models/labelNoise.ts)
export const ZEROTH_ORDER = 7;   // q: σ K antithetic            g = (1/K) Σ_k c_k u_k from values only (noise/zerothOrder.ts)
export const IMPORTANCE_MINIBATCH = 8; // q: b 1 0 0 K correction P_0 … P_{K−1}  b i.i.d. draws with P(i) = p_i, weighted 1/(K p_i)
                                       //   (correction 1) or not (noise/minibatch.ts)

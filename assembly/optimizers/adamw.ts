// AdamW (Loshchilov & Hutter 2019, "Decoupled weight decay regularization", Algorithm 2) as
// torch.optim.AdamW (torch 1.13): Adam without L2 in the gradient, and instead
//   x ← x·(1 − η·λ)   before the Adam step (torch's default λ = 0.01).
// The kernel is adam.ts's with `decoupled` set; this file names the recipe.
export { adamStep } from './adam';

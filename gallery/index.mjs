// The gallery's entries, in the order of the index page. Each module exports `meta` (name, title,
// claim, source, setup, twoD) and `run({ scale: 'full' | 'ci' })` → { rows, plots, notes, setup }.
export const entries = [
  'sharp-flat',
  'kramers',
  'underdamped',
  'natural-gradient',
  'saddle-escape',
  'catapults',
  'edge-of-stability',
  'resampling',
  'label-noise',
  'ml-noise',
  'bures-wasserstein',
  'sme',
  'asgd-sme',
  'distributed',
];
export const load = (name) => import(`./${name}.mjs`);

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
  'sme',
  'distributed',
  'bures-wasserstein',
  'label-noise',
  'resampling',
  'ml-noise',
];
export const load = (name) => import(`./${name}.mjs`);

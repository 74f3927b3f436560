// One row of an entry's table: a measured number next to the theory's prediction.
//   check 'near'   pass when |measured − predicted| ≤ tolerance (the default)
//   check 'below'  pass when measured ≤ predicted + tolerance (a bound the theory gives)
//   check 'above'  pass when measured ≥ predicted − tolerance
// `interval` is the measured number's confidence interval (or null when it is exact), printed
// beside it; the tolerance is what the entry allows between theory and measurement, stated in
// the page, and at least the interval's half-width wherever the measurement is random.

export function row({ quantity, measured, predicted, interval = null, tolerance, check = 'near', note }) {
  let pass;
  if (!Number.isFinite(measured)) pass = false;
  else if (check === 'below') pass = measured <= predicted + tolerance;
  else if (check === 'above') pass = measured >= predicted - tolerance;
  else pass = Math.abs(measured - predicted) <= tolerance;
  return { quantity, measured, predicted, interval, tolerance, check, pass, ...(note ? { note } : {}) };
}

/** A number for a table: 4 significant digits, integers as they are. */
export function fmt(x) {
  if (x === null || x === undefined) return '–';
  if (typeof x === 'string') return x;
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e7) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

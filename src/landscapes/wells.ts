/** Potentials with tunable wells, for sharp-versus-flat-minimum studies (docs/landscapes.md). */
import { Landscape } from './landscape.ts';
import { DescentError } from '../errors.ts';
import { dimension, finite, matrix, options, vector } from '../validate.ts';

/** Config of {@link doubleWell}. */
export interface DoubleWellConfig {
  /** Dimension; coordinates beyond the first are harmonic. Default 1. */
  dim?: number;
  /** Barrier height h between the wells. Default 1. */
  depth?: number;
  /** Half the distance between the wells: minima at ±a along x₀. Default 1. */
  a?: number;
  /** Linear tilt τ·x₀ that makes one well deeper. Default 0. */
  tilt?: number;
  /** Curvature k of the transverse coordinates. Default 1. */
  stiffness?: number;
}

/**
 * Quartic double well: h ((x₀/a)² − 1)² + τ x₀ + ½ k Σ_{i≥1} x_i². Minima at ±a e₀ (τ = 0) with
 * curvature 8h/a² along x₀, barrier h at the origin.
 */
export function doubleWell(config?: DoubleWellConfig): Landscape<'doubleWell', Required<DoubleWellConfig>> {
  const c = options<DoubleWellConfig>(config, 'doubleWell', ['dim', 'depth', 'a', 'tilt', 'stiffness']);
  const dim = dimension(c.dim, 'doubleWell.dim', 1, 1);
  const depth = finite(c.depth, 'doubleWell.depth', { gt: 0 }, 1);
  const a = finite(c.a, 'doubleWell.a', { gt: 0 }, 1);
  const tilt = finite(c.tilt, 'doubleWell.tilt', {}, 0);
  const stiffness = finite(c.stiffness, 'doubleWell.stiffness', { min: 0 }, 1);
  return new Landscape('doubleWell', dim, { dim, depth, a, tilt, stiffness }, () => ({
    params: Float64Array.of(depth, a, tilt, stiffness),
  }));
}

/** Config of {@link multiWell}. */
export interface MultiWellConfig {
  /** Well centres, K rows of d numbers. */
  centers: ArrayLike<ArrayLike<number>>;
  /** Depth D_k > 0 of each well. */
  depths: ArrayLike<number>;
  /** Width w_k > 0 of each well (curvature ≈ D_k / w_k²). */
  widths: ArrayLike<number>;
  /** Confining curvature κ ≥ 0 of ½ κ ‖x‖². Default 0. */
  stiffness?: number;
}

/** Normalised params of {@link multiWell}. */
export interface MultiWellParams {
  centers: number[][];
  depths: number[];
  widths: number[];
  stiffness: number;
}

/**
 * Gaussian wells: −Σ_k D_k exp(−‖x − c_k‖²/(2w_k²)) + ½ κ ‖x‖². Each well's depth and width are
 * set independently, so a sharp and a flat minimum of equal depth are one line.
 */
export function multiWell(config: MultiWellConfig): Landscape<'multiWell', MultiWellParams> {
  const c = options<MultiWellConfig>(config, 'multiWell', ['centers', 'depths', 'widths', 'stiffness']);
  const { data: centers, rows: K, cols: d } = matrix(c.centers, 'multiWell.centers');
  dimension(d, 'multiWell.centers[0].length');
  const depths = vector(c.depths, 'multiWell.depths', K, { gt: 0 });
  const widths = vector(c.widths, 'multiWell.widths', K, { gt: 0 });
  const stiffness = finite(c.stiffness, 'multiWell.stiffness', { min: 0 }, 0);
  if (K > 65536) throw new DescentError('E_CONFIG', `multiWell has ${K} wells; at most 65536`, { path: 'multiWell.centers', actual: K });
  const rows = Array.from({ length: K }, (_, k) => Array.from(centers.subarray(k * d, (k + 1) * d)));
  return new Landscape('multiWell', d, { centers: rows, depths: Array.from(depths), widths: Array.from(widths), stiffness }, () => {
    const packed = new Float64Array(2 + K * d + 2 * K);
    packed[0] = K;
    packed[1] = stiffness;
    packed.set(centers, 2);
    packed.set(depths, 2 + K * d);
    packed.set(widths, 2 + K * d + K);
    return { params: packed };
  });
}

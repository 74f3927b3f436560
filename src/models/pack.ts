// Internal: parameter blocks of finite-sum models, as assembly/models/layout.ts lays them out:
// header (n, m, k, loss, offsets of X, y, weights, target width, reduction, loss factor) |
// model-specific fields | X | y | weights. Data are stored inline, so a block is
// self-contained. (Not a JSDoc block marked internal: tsc's stripInternal reads the mark on the
// first import, and would drop that import from the declarations.)
import type { Packer } from '../landscapes/landscape.ts';
import type { Dataset } from '../data/dataset.ts';
import { finite, reductionOf, type Reduction } from '../validate.ts';

/**
 * torch's reduction and a constant factor, options of every finite-sum model (docs/models.md,
 * "Reduction, weights and scale"): L = scale · (1/n) Σ w_i ℓ_i ('mean', the default), or
 * scale · Σ w_i ℓ_i^sum ('sum', where an mse example's ℓ^sum = ‖f − y‖² is summed over its k
 * outputs, as `mse_loss(reduction='sum')`). Value, gradient, HVP, GGN and true Fisher scale
 * with L; the empirical Fisher, built from per-example gradients of scale·ℓ_i, by scale².
 */
export interface ReductionOptions {
  /** 'mean' (default, torch's default) or 'sum' (torch's `reduction='sum'`). */
  reduction?: Reduction;
  /** A constant factor c on the loss (default 1); e.g. 0.5 with 'sum' gives ½‖UVᵀ − M‖²_F. */
  scale?: number;
}

/**
 * @internal Validated reduction options, and the params to record: only what differs from the defaults, so configs written before
 * reductions existed are unchanged.
 */
export function reductionOptions(c: ReductionOptions, path: string): { reduction: Reduction; scale: number; params: ReductionOptions } {
  const reduction = reductionOf(c.reduction, `${path}.reduction`);
  const scale = finite(c.scale, `${path}.scale`, {}, 1);
  return { reduction, scale, params: { ...(reduction === 'mean' ? {} : { reduction }), ...(scale === 1 ? {} : { scale }) } };
}

/** Loss ids. MUST MATCH assembly/models/layout.ts. */
export const LOSS_IDS = { mse: 0, crossEntropy: 1, bce: 2 } as const;

/** A loss name. */
export type LossName = keyof typeof LOSS_IDS;

/** Header slots of a finite-sum model's parameter block (doubles from p). MUST MATCH assembly/models/layout.ts. */
export const MODEL_HEADER = { N: 0, M: 1, KOUT: 2, LOSS: 3, OFFX: 4, OFFY: 5, OFFW: 6, YW: 7, RED: 8, LSCALE: 9, SPEC: 10 } as const;

/** Reduction ids (header slot RED). MUST MATCH assembly/models/layout.ts (REDUCTION_MEAN, REDUCTION_SUM). */
export const REDUCTION_IDS = { mean: 0, sum: 1 } as const;

const H = MODEL_HEADER,
  HEADER = H.SPEC;

/** Examples per tile of the batched MLP gradient. MUST MATCH assembly/models/mlpTile.ts (TILE). */
export const TILE = 16;

/**
 * Packer of a finite-sum model: `k` outputs, model fields `spec`, `scratch` doubles of model
 * scratch per evaluation, dimension `dim`.
 */
export function finiteSumPacker(
  data: Dataset,
  loss: LossName,
  k: number,
  spec: number[],
  scratch: number,
  dim: number,
  red: { reduction: Reduction; scale: number } = { reduction: 'mean', scale: 1 },
): Packer {
  // s, the factor on every example's loss: scale, times k when an mse (ℓ = (1/k)‖f − y‖²) is
  // summed over its outputs. MUST MATCH assembly/models/layout.ts (RED, LSCALE).
  const s = red.reduction === 'sum' && loss === 'mse' ? red.scale * k : red.scale;
  return () => {
    const n = data.n,
      m = data.inputs,
      yw = data.outputs;
    const offX = m > 0 ? HEADER + spec.length : 0;
    const offY = HEADER + spec.length + n * m;
    const offW = data.weights ? offY + n * yw : 0;
    const params = new Float64Array(offY + n * yw + (data.weights ? n : 0));
    params[H.N] = n;
    params[H.M] = m;
    params[H.KOUT] = k;
    params[H.LOSS] = LOSS_IDS[loss];
    params[H.OFFX] = offX;
    params[H.OFFY] = offY;
    params[H.OFFW] = offW;
    params[H.YW] = yw;
    params[H.RED] = REDUCTION_IDS[red.reduction];
    params[H.LSCALE] = s;
    params.set(spec, HEADER);
    if (m > 0) params.set(data.X, offX);
    params.set(data.y, offY);
    if (data.weights) params.set(data.weights, offW);
    // Landscape scratch: θ copy | v copy | result | finite-sum tmp (d) | ỹ tile (16·yw) |
    // tile inputs, targets (16 u32 each) and coefficients (16) | model scratch (assembly/models/finiteSum.ts).
    return { params, scratch: 4 * dim + TILE * yw + 16 + TILE + scratch };
  };
}

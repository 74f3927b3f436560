/**
 * @internal Parameter blocks of finite-sum models, as assembly/models/layout.ts lays them out:
 * header (n, m, k, loss, offsets of X, y, weights, target width) | model-specific fields | X | y |
 * weights. Data are stored inline, so a block is self-contained.
 */
import type { Packer } from '../landscapes/landscape.ts';
import type { Dataset } from '../data/dataset.ts';

/** Loss ids. MUST MATCH assembly/models/layout.ts. */
export const LOSS_IDS = { mse: 0, crossEntropy: 1, bce: 2 } as const;

/** A loss name. */
export type LossName = keyof typeof LOSS_IDS;

const HEADER = 8;

/** Examples per tile of the batched MLP gradient. MUST MATCH assembly/models/mlpTile.ts (TILE). */
export const TILE = 16;

/**
 * Packer of a finite-sum model: `k` outputs, model fields `spec`, `scratch` doubles of model
 * scratch per evaluation, dimension `dim`.
 */
export function finiteSumPacker(data: Dataset, loss: LossName, k: number, spec: number[], scratch: number, dim: number): Packer {
  return () => {
    const n = data.n, m = data.inputs, yw = data.outputs;
    const offX = m > 0 ? HEADER + spec.length : 0;
    const offY = HEADER + spec.length + n * m;
    const offW = data.weights ? offY + n * yw : 0;
    const params = new Float64Array(offY + n * yw + (data.weights ? n : 0));
    params.set([n, m, k, LOSS_IDS[loss], offX, offY, offW, yw]);
    params.set(spec, HEADER);
    if (m > 0) params.set(data.X, offX);
    params.set(data.y, offY);
    if (data.weights) params.set(data.weights, offW);
    // Landscape scratch: θ copy | v copy | result | finite-sum tmp (d) | ỹ tile (16·yw) |
    // tile inputs, targets (16 u32 each) and coefficients (16) | model scratch (assembly/models/finiteSum.ts).
    return { params, scratch: 4 * dim + TILE * yw + 16 + TILE + scratch };
  };
}

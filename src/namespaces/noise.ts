// The public `descent.noise` namespace: the noise models and their types (packing, the id table
// and batchTerms of src/noiseModel.ts stay internal; issue 21: curated namespaces).
export {
  none,
  gaussian,
  lossScaled,
  heavyTailed,
  hessianAligned,
  minibatch,
  importanceMinibatch,
  labelNoise,
  zerothOrder,
  isNoise,
  fromJSON,
} from '../noise.ts';
export type {
  NoiseKind,
  Noise,
  GaussianNoiseConfig,
  LossScaledNoiseConfig,
  HeavyTailedNoiseConfig,
  HessianAlignedNoiseConfig,
  MinibatchNoiseConfig,
  LabelNoiseConfig,
  ZerothOrderConfig,
  ImportanceMinibatchConfig,
} from '../noise.ts';

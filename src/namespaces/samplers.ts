// The public `descent.samplers` namespace: the factories and the types a user needs. The kernel
// packing and run checks (src/sampler.ts's registry, filled by each factory) and the id tables
// stay internal to the library (issue 21: curated namespaces).
export { ula, underdamped, mala, sgld, svgd, metropolisHastings, isSampler, kinds, fromJSON } from '../samplers.ts';
export type {
  SamplerKind,
  Integrator,
  Sampler,
  StepSize,
  UlaConfig,
  UnderdampedConfig,
  MalaConfig,
  SgldConfig,
  Bandwidth,
  SvgdInnerKind,
  SvgdConfig,
  SvgdParams,
  MhProposal,
  MetropolisHastingsConfig,
  MetropolisHastingsParams,
} from '../samplers.ts';

// The descent wasm module: every export the bindings use. Kernels take byte addresses into this
// module's memory; bindings/ owns all allocation (the runtime is `stub`: nothing here allocates).
export { heapBase, firstNonFinite } from './util/memory';
export { sqrtF64 } from './util/scalar';
export { fnv1aBytes, fnv1aF64, fnvOffset } from './util/hash';
export { philoxBlock } from './random/philox';
export { fillUniform } from './random/uniform';
export { fillNormal } from './random/normal';
export { landscapeKindCount } from './landscapes/kinds';
export { landscapeValue, landscapeGrad, landscapeHvp, landscapeHessian } from './landscapes/dispatch';
export { quadraticFromSpectrum } from './landscapes/quadratic';
export { gaussianMixturePrepare, gaussianMixtureScratch } from './landscapes/gaussianMixture';
export { optimizerKindCount } from './optimizers/kinds';
export { optimizerSlots, optimizerInit } from './optimizers/dispatch';
export { learningRates } from './schedules';
export { trajectoryRun } from './run/trajectory';
export { runDescriptorSize } from './run/descriptor';
export { ensembleInit, ensembleRun } from './run/ensemble';
export { fusedWorkDoubles, fusedCase } from './run/fused';
export { partialMerge, finalMerge, finalWidth, treeReduce, partialStats, groupStats, finalPartials, maskedCoordinate } from './run/summary';
export { sketchBuild, sketchQuantiles, sketchValue, histogramAdd } from './run/sketch';
export { initPositions, gatherRows } from './run/inits';
export { cholesky as choleskyFactor } from './linalg/cholesky';
export { fillZiggurat } from './random/ziggurat';
export { modelValue, modelGrad, modelHvp, modelGgnvp, modelFisherVp, modelPerExample, modelBatch } from './models/dispatch';
export { spectralStep, spectralRun, spectralApply, spectralLayout } from './spectral/run';
export { spectralDensity } from './spectral/slq';
export { spectralProbe } from './spectral/probes';
export { symv as spectralSymv, symPack as spectralSymPack } from './spectral/matvec';
export { densePack as spectralDensePack } from './spectral/pack';
export { columnMoments } from './diagnostics/moments';
export { autocorrelation, effectiveSampleSize } from './diagnostics/autocorrelation';
export { steinImq } from './diagnostics/stein';
export { mmdGaussian, medianPairDistance } from './diagnostics/mmd';
export { sharpnessWorkSize } from './run/sharpness';
export { layoutTable } from './layout';
export { buresRankTol } from './models/buresWasserstein';
export { mathExp, mathLog, mathLog1p, mathExpm1, mathSin, mathCos, mathTan, mathTanh, mathSinh, mathCosh, mathAtan, mathErf, mathPow }
  from './util/mathExports';

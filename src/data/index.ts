/**
 * `data.*`: datasets for finite-sum models — your arrays (`from`), seeded generators for the
 * settings the papers study, and reweighting/resampling. Conventions: docs/models.md.
 */
export { from, fromJSON, isDataset, reweight, type Dataset, type DataConfig } from './dataset.ts';
export {
  linearTeacher,
  reluTeacher,
  gaussianMixture,
  sparseRegression,
  matrixSensing,
  biasedSample,
  resample,
  type LinearTeacherConfig,
  type ReluTeacherConfig,
  type GaussianMixtureDataConfig,
  type SparseRegressionConfig,
  type MatrixSensingConfig,
  type BiasedSampleConfig,
} from './generators.ts';

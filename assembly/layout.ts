// Every kind id, descriptor slot and hyperparameter offset that TypeScript mirrors, as one static
// table, so that the mirrors are checked rather than trusted: test/layout.test.ts reads it through
// `layoutTable` and compares each entry with its TypeScript copy (bindings/, src/), naming the
// first that differs. Adding a constant to a group here without mirroring it fails that test too.
//
// Layout (i32): the group count G, then for each group g = 0 … G−1 its entry count n_g and its n_g
// values, in the order listed below. The test lists the same groups in the same order, by name.
// Static data, not code: the table costs its bytes (4 per entry) and nothing at run time.

import * as LK from './landscapes/kinds';
import * as K from './optimizers/kinds';
import * as NK from './noise/kinds';
import * as IK from './run/inits';
import * as SK from './schedules';
import * as D from './run/descriptor';
import * as BS from './run/block';
import * as SPR from './spectral/run';
import * as SPO from './spectral/operator';
import * as SPP from './spectral/probes';
import * as SPS from './spectral/state';
import * as SPL from './spectral/lanczos';
import * as SPW from './spectral/power';
import * as SPT from './spectral/trace';
import * as SPQ from './spectral/slq';
import * as ML from './models/layout';
import * as MA from './models/activations';
import * as MT from './models/mlpTile';
import * as SH from './run/sharpness';

const TABLE = memory.data<i32>([
  14,
  // 0 landscape kinds (bindings/kinds.ts LANDSCAPE_KINDS)
  25, LK.QUADRATIC, LK.ROSENBROCK, LK.RASTRIGIN, LK.ACKLEY, LK.STYBLINSKI_TANG, LK.BEALE, LK.HIMMELBLAU,
  LK.MULLER_BROWN, LK.SIX_HUMP_CAMEL, LK.POLYNOMIAL, LK.DOUBLE_WELL, LK.MULTI_WELL, LK.SADDLE, LK.MONKEY_SADDLE,
  LK.GAUSSIAN_MIXTURE, LK.SUM, LK.SHIFT, LK.MLP, LK.DIAGONAL_LINEAR, LK.MATRIX_FACTORIZATION, LK.SIMPLEX_KL,
  LK.BURES_WASSERSTEIN, LK.REPARAMETRIZE, LK.LINKED, LK.KIND_COUNT,
  // 1 optimiser kinds (src/optimizers/optimizer.ts OPTIMIZER_KINDS, bindings/curvature.ts CURVATURE_KINDS)
  17, K.SGD, K.ADAM, K.ADAMW, K.RMSPROP, K.ADAGRAD, K.NADAM, K.LION, K.HEAVY_BALL, K.NESTEROV_GD,
  K.OPTIMIZER_KIND_COUNT, K.SAM, K.PERTURBED_GD, K.NEWTON_CG, K.NATURAL_GRADIENT, K.SADDLE_FREE_NEWTON, K.SME, K.CURVATURE_END,
  // 2 sampler kinds (src/samplers.ts SAMPLER_KINDS, bindings/ensemble.ts MALA_ID, bindings/svgd.ts SVGD_ID)
  7, K.ULA, K.UNDERDAMPED, K.MALA, K.SGLD, K.SVGD, K.METROPOLIS_HASTINGS, K.SAMPLER_END,
  // 3 hyperparameter offsets (src/optimizers/optimizer.ts OPTIMIZER_HYPER, src/samplers.ts SAMPLER_HYPER)
  64, K.H_LR, K.H_SIGN,
  K.SGD_MOMENTUM, K.SGD_DAMPENING, K.SGD_WEIGHT_DECAY, K.SGD_NESTEROV,
  K.ADAM_BETA1, K.ADAM_BETA2, K.ADAM_EPS, K.ADAM_WEIGHT_DECAY, K.ADAM_AMSGRAD,
  K.RMSPROP_ALPHA, K.RMSPROP_EPS, K.RMSPROP_WEIGHT_DECAY, K.RMSPROP_MOMENTUM, K.RMSPROP_CENTERED,
  K.ADAGRAD_LR_DECAY, K.ADAGRAD_WEIGHT_DECAY, K.ADAGRAD_INITIAL_ACCUMULATOR, K.ADAGRAD_EPS,
  K.NADAM_BETA1, K.NADAM_BETA2, K.NADAM_EPS, K.NADAM_WEIGHT_DECAY, K.NADAM_MOMENTUM_DECAY,
  K.LION_BETA1, K.LION_BETA2, K.LION_WEIGHT_DECAY,
  K.HEAVY_BALL_BETA, K.NESTEROV_GD_BETA,
  K.LANGEVIN_TEMPERATURE, K.UNDERDAMPED_FRICTION, K.UNDERDAMPED_MASS, K.UNDERDAMPED_TEMPERATURE, K.UNDERDAMPED_INTEGRATOR,
  K.SVGD_TEMPERATURE, K.SVGD_BANDWIDTH, K.SVGD_INNER, K.SVGD_INNER_HYPER,
  K.MH_TEMPERATURE, K.MH_PROPOSAL_KIND, K.MH_SCALE, K.MH_MEAN,
  K.SAM_RHO, K.SAM_MOMENTUM, K.SAM_ADAPTIVE,
  K.PERTURBED_GD_G_THRES, K.PERTURBED_GD_T_THRES, K.PERTURBED_GD_RADIUS,
  K.NEWTON_CG_DAMPING, K.NEWTON_CG_CG_ITERS, K.NEWTON_CG_CG_TOL, K.NEWTON_CG_LINE_SEARCH, K.NEWTON_CG_NEGATIVE_CURVATURE,
  K.NATURAL_GRADIENT_DAMPING, K.NATURAL_GRADIENT_CG_ITERS, K.NATURAL_GRADIENT_CG_TOL, K.NATURAL_GRADIENT_FISHER,
  K.SADDLE_FREE_NEWTON_DAMPING, K.SADDLE_FREE_NEWTON_K,
  K.SME_ORDER, K.SME_SCHEME, K.SME_SUBSTEPS, K.SME_DELAY,
  // 4 noise kinds (src/noise.ts NOISE_KINDS)
  9, NK.NONE, NK.GAUSSIAN, NK.LOSS_SCALED, NK.HEAVY_TAILED, NK.MINIBATCH, NK.HESSIAN_ALIGNED, NK.LABEL_NOISE, NK.ZEROTH_ORDER,
  NK.IMPORTANCE_MINIBATCH,
  // 5 init kinds (src/inits.ts INIT_KINDS, NORMAL_DIAGONAL)
  6, IK.POINT, IK.NORMAL, IK.UNIFORM, IK.GRID, IK.ARRAY, IK.NORMAL_DIAGONAL,
  // 6 schedule kinds (src/schedules.ts SCHEDULE_KINDS)
  6, SK.CONSTANT, SK.STEP, SK.EXPONENTIAL, SK.COSINE, SK.INVERSE_TIME, SK.ARRAY,
  // 7 run descriptor slots (bindings/ensemble.ts D)
  51, D.LK, D.LP, D.DIM, D.LW, D.OK, D.HP, D.SK, D.SQ, D.SLOTS, D.NK, D.NQ, D.NSK, D.NSQ, D.P, D.B, D.NB, D.K0, D.K1,
  D.X, D.S, D.R, D.G, D.F, D.GN, D.STATUS, D.EVENT, D.REGION, D.FROZEN, D.BOUND, D.GRADTOL, D.NREG, D.REGC, D.REGR,
  D.EVERY, D.PART, D.LOSSBUF, D.TRAJM, D.TRAJ, D.MBI, D.MBG, D.HNW, D.SVW, D.ACC, D.CVW, D.SHP, D.SHW, D.FIRST,
  D.FUSED, D.DSW, D.ZOW, D.SIZE,
  // 8 particle statuses (bindings/ensemble.ts STATUS, src/result.ts)
  4, BS.ACTIVE, BS.DIVERGED, BS.STOPPED, BS.PADDING,
  // 9 spectral ids (bindings/spectral.ts ALGO, OP_KIND, DIST, PURPOSE, STATUS_NAMES)
  21, SPR.LANCZOS, SPR.POWER, SPR.HUTCHINSON, SPR.HUTCHPP, SPR.SLQ,
  SPO.HESSIAN, SPO.GGN, SPO.FISHER_EMP, SPO.DENSE, SPO.USER,
  SPP.RADEMACHER, SPP.GAUSSIAN,
  <i32>SPP.PURPOSE_LANCZOS, <i32>SPP.PURPOSE_HUTCHINSON, <i32>SPP.PURPOSE_SKETCH, <i32>SPP.PURPOSE_SLQ, <i32>SPP.PURPOSE_POWER,
  SPS.OK, SPS.MAX_ITER, SPS.NON_FINITE, SPS.EIGEN_FAIL,
  // 10 spectral slots (bindings/spectral.ts OP, C, L, P, H, PP, S)
  97, SPO.OP_KIND, SPO.OP_N, SPO.OP_D, SPO.OP_OFFSET, SPO.OP_LKIND, SPO.OP_PARAMS, SPO.OP_POINT, SPO.OP_SCRATCH,
  SPO.OP_MATRIX, SPO.OP_NP, SPO.OP_XIN, SPO.OP_YOUT, SPO.OP_SLOTS,
  SPS.PHASE, SPS.REQ_X, SPS.REQ_Y, SPS.N, SPS.K0, SPS.K1, SPS.MATVECS, SPS.STATUS, SPS.COMMON_SLOTS,
  SPL.L_K, SPL.L_NLARGE, SPL.L_NSMALL, SPL.L_TOL, SPL.L_MAXMV, SPL.L_NCV, SPL.L_V, SPL.L_H, SPL.L_WORK, SPL.L_W,
  SPL.L_VALUES, SPL.L_VECTORS, SPL.L_RESID, SPL.L_M, SPL.L_L, SPL.L_BETA, SPL.L_RESTARTS, SPL.L_STARTS, SPL.L_NORM,
  SPL.L_CONVERGED, SPL.L_BROKE, SPL.L_NEXT, SPL.L_RHO, SPL.L_RHOM, SPL.L_CHECKS, SPL.L_SLOTS,
  SPW.P_TOL, SPW.P_MAXMV, SPW.P_V, SPW.P_W, SPW.P_R, SPW.P_VALUE, SPW.P_RESID, SPW.P_SLOTS,
  SPT.H_PROBES, SPT.H_DIST, SPT.H_Z, SPT.H_Y, SPT.H_MEAN, SPT.H_M2, SPT.H_J, SPT.H_DIAG, SPT.H_DIAGM2, SPT.H_EXACT,
  SPT.H_SAMPLES, SPT.H_SE, SPT.H_SLOTS,
  SPT.PP_S, SPT.PP_G, SPT.PP_DIST, SPT.PP_Q, SPT.PP_Y, SPT.PP_Z, SPT.PP_COEFF, SPT.PP_J, SPT.PP_RANK, SPT.PP_EXACT,
  SPT.PP_MEAN, SPT.PP_M2, SPT.PP_SAMPLES, SPT.PP_COUNT, SPT.PP_SE, SPT.PP_SLOTS,
  SPQ.S_PROBES, SPQ.S_STEPS, SPQ.S_V, SPQ.S_W, SPQ.S_WORK, SPQ.S_J, SPQ.S_I, SPQ.S_NODES, SPQ.S_WEIGHTS, SPQ.S_COUNTS,
  SPQ.S_NORM, SPQ.S_SLOTS,
  // 11 model layout (src/models/pack.ts MODEL_HEADER, REDUCTION_IDS, LOSS_IDS, TILE; src/models/mlp.ts ACTIVATIONS)
  23, ML.N, ML.M, ML.KOUT, ML.LOSS, ML.OFFX, ML.OFFY, ML.OFFW, ML.YW, ML.RED, ML.LSCALE, ML.SPEC,
  ML.REDUCTION_MEAN, ML.REDUCTION_SUM, ML.MSE, ML.CROSS_ENTROPY, ML.BCE,
  MA.RELU, MA.LEAKY_RELU, MA.TANH, MA.SIGMOID, MA.GELU, MA.IDENTITY, MT.TILE,
  // 12 sharpness tracker parameter slots (bindings/ensemble.ts TRACK_SLOTS)
  8, SH.T_EVERY, SH.T_M, SH.T_K, SH.T_TOL, SH.T_MAXMV, SH.T_NCV, SH.T_ROWS, SH.T_PARAMS,
  // 13 distributed and variance-reduced optimisers: kinds, h offsets, compressor ids, delay laws
  // (src/optimizers/optimizer.ts OPTIMIZER_KINDS, OPTIMIZER_HYPER; src/optimizers/distributed.ts COMPRESSORS, DELAYS)
  28, K.LOCAL_SGD, K.ASYNC_SGD, K.COMPRESSED_SGD, K.MARINA, K.SVRG, K.SARAH, K.DISTRIBUTED, K.DISTRIBUTED_END,
  K.LOCAL_SGD_WORKERS, K.LOCAL_SGD_LOCAL_STEPS, K.ASYNC_SGD_MAX_DELAY, K.ASYNC_SGD_DELAY, K.ASYNC_SGD_Q,
  K.COMPRESSED_SGD_WORKERS, K.COMPRESSED_SGD_COMPRESSOR, K.COMPRESSED_SGD_K,
  K.MARINA_WORKERS, K.MARINA_COMPRESSOR, K.MARINA_K, K.MARINA_P, K.VR_EPOCH, K.VR_P,
  K.RAND_K, K.PERM_K, K.TOP_K, K.DELAY_FIXED, K.DELAY_UNIFORM, K.DELAY_GEOMETRIC,
]);

/** Address of the layout table (i32s: group count, then per group its count and values; see above). */
export function layoutTable(): usize { return TABLE; }

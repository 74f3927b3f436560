#!/usr/bin/python3
"""numpy twin of bench/dense.mjs: gradient descent on a dense d-dim quadratic, whole ensemble.

f(x) = 1/2 x^T A x with A = Q diag(lam) Q^T given by the caller (descent's spectral quadratic, so
both sides use the same matrix), x <- x - lr*(A x + sigma*z), z ~ N(0, I) fresh per particle,
step and coordinate. Idiomatic vectorised numpy: X has shape (P, d), G = X @ A (A symmetric;
BLAS dgemm), `rng.standard_normal((P, d))` each step (numpy's ziggurat). Run single-threaded
(the bench sets OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=MKL_NUM_THREADS=1).

Reads a JSON job on stdin: d, A (d*d row-major), X0 (P*d row-major), P, T, lr, sigma, seed,
minSeconds. Repeats the whole run until minSeconds have passed (at least once) and prints one
JSON line: best seconds, and the final positions of the last run (row-major P*d) when sigma = 0
(for the agreement check), else per-coordinate mean and variance.
"""
import json
import sys
import time

import numpy as np


def run(A, X0, T, lr, sigma, seed):
    rng = np.random.default_rng(seed)
    X = X0.copy()
    for _ in range(T):
        G = X @ A
        if sigma > 0:
            G += sigma * rng.standard_normal(X.shape)
        X -= lr * G
    return X


def main():
    job = json.load(sys.stdin)
    d, P, T = job['d'], job['P'], job['T']
    A = np.array(job['A'], dtype=np.float64).reshape(d, d)
    X0 = np.array(job['X0'], dtype=np.float64).reshape(P, d)
    best, total, X = float('inf'), 0.0, None
    while X is None or total < job['minSeconds']:
        t0 = time.perf_counter()
        X = run(A, X0, T, job['lr'], job['sigma'], job['seed'])
        dt = time.perf_counter() - t0
        best, total = min(best, dt), total + dt
    out = {'seconds': best, 'numpy': np.__version__}
    if job['sigma'] > 0:
        out['mean'] = X.mean(axis=0).tolist()
        out['var'] = X.var(axis=0, ddof=1).tolist()
    else:
        out['x'] = X.reshape(-1).tolist()
    print(json.dumps(out))


if __name__ == '__main__':
    main()

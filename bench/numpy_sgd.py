#!/usr/bin/python3
"""numpy twin of the ensemble bench (bench/ensemble.mjs).

SGD with Gaussian gradient noise, x <- x - lr*(grad f(x) + sigma*z), z ~ N(0, I) fresh per
particle, step and coordinate, written as idiomatic vectorised numpy: the whole ensemble is one
array, one statement per formula, `rng = np.random.default_rng(seed)` and
`rng.standard_normal(shape)` each step (numpy's ziggurat).

  (a) 2-d Rosenbrock (a = 1, b = 100), lr = 1e-3, start (-1.2, 1): X has shape (2, P).
  (b) d-dim quadratic 1/2 x^T A x with a DENSE d x d A (descent's quadratic kernel is dense, so the
      twin does the same d^2 work per particle; the bench's A is diagonal), lr = 1e-2, start at
      ones: X has shape (P, d), G = X @ A (A symmetric; BLAS dgemm).

Run single-threaded (the bench sets OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=MKL_NUM_THREADS=1).

usage: numpy_sgd.py rosenbrock|quadratic P T sigma seed minSeconds [d]
Repeats the whole simulation until minSeconds have passed (at least once) and prints one JSON
line: best time, M particle-coordinate updates/s, per-coordinate mean and unbiased variance of the
final positions of the last run.
"""
import json
import sys
import time

import numpy as np


def rosenbrock(P, T, sigma, seed, a=1.0, b=100.0, lr=1e-3):
    rng = np.random.default_rng(seed)
    X = np.empty((2, P))
    X[0] = -1.2
    X[1] = 1.0
    for _ in range(T):
        x, y = X
        r = y - x * x
        G = np.stack((-4.0 * b * x * r - 2.0 * (a - x), 2.0 * b * r))
        if sigma > 0:
            G += sigma * rng.standard_normal((2, P))
        X -= lr * G
    return X.T  # (P, 2) view


def eigenvalues(d):
    """The bench's spectrum: 0.1 * 10^(2i/(d-1)), 0.1 ... 10."""
    return 0.1 * 10.0 ** (2.0 * np.arange(d) / (d - 1))


def quadratic(P, T, sigma, seed, d=32, lr=1e-2):
    rng = np.random.default_rng(seed)
    A = np.diag(eigenvalues(d))  # dense d x d
    X = np.ones((P, d))
    for _ in range(T):
        G = X @ A
        if sigma > 0:
            G += sigma * rng.standard_normal((P, d))
        X -= lr * G
    return X


def main(argv):
    if len(argv) < 7:
        sys.stderr.write(__doc__)
        return 2
    workload = argv[1]
    P, T = int(argv[2]), int(argv[3])
    sigma, seed, min_seconds = float(argv[4]), int(argv[5]), float(argv[6])
    if workload == 'rosenbrock':
        run, d = (lambda: rosenbrock(P, T, sigma, seed)), 2
    elif workload == 'quadratic':
        d = int(argv[7]) if len(argv) > 7 else 32
        run = lambda: quadratic(P, T, sigma, seed, d)
    else:
        sys.stderr.write(f'unknown workload {workload}\n')
        return 2
    best, total, reps = float('inf'), 0.0, 0
    while True:
        start = time.perf_counter()
        X = run()
        dt = time.perf_counter() - start
        best, total, reps = min(best, dt), total + dt, reps + 1
        if total >= min_seconds:
            break
    print(json.dumps({
        'workload': workload, 'P': P, 'T': T, 'd': d, 'sigma': sigma, 'reps': reps,
        'seconds': best, 'mups': P * d * T / best / 1e6,
        'mean': X.mean(axis=0).tolist(),
        'var': X.var(axis=0, ddof=1).tolist() if P > 1 else [0.0] * d,
        'numpy': np.__version__,
    }))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

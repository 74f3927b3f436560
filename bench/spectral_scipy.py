#!/usr/bin/python3
"""SciPy twin of the spectral benchmark (bench/spectral.mjs), one thread (OPENBLAS_NUM_THREADS=1).

Reads one JSON job on stdin and prints one JSON line on stdout:

  {"n": 3000, "path": "<file>", "k": 5, "tol": 1e-10, "minSeconds": 1.5, "minReps": 10}

The file holds the n x n matrix A as raw little-endian float64, row-major (what the bench wrote).

  eigsh   scipy.sparse.linalg.eigsh(A, k, which='LA', tol=tol) on the ndarray, with ARPACK's own
          random start vector and default ncv (= max(2k + 1, 20)), as a user would call it; one
          untimed call through a counting LinearOperator gives the number of products; then
          whole calls are repeated until minSeconds have passed and minReps were made:
          fastest and median milliseconds, and the eigenvalues of the last call.
  matvec  A @ x (OpenBLAS dgemv), repeated the same way: fastest and median milliseconds.
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.sparse.linalg as sla


def repeat(fn, min_seconds, min_reps):
    times = []
    start = time.perf_counter()
    out = None
    while len(times) < min_reps or time.perf_counter() - start < min_seconds:
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return {"best": times[0], "median": times[len(times) // 2], "reps": len(times)}, out


def main():
    job = json.loads(sys.stdin.read())
    n, k, tol = job["n"], job["k"], job["tol"]
    A = np.fromfile(job["path"], dtype="<f8").reshape(n, n)
    count = [0]

    def mv(x):
        count[0] += 1
        return A @ x

    L = sla.LinearOperator((n, n), matvec=mv, dtype=np.float64)
    sla.eigsh(L, k=k, which="LA", tol=tol, return_eigenvectors=False)
    matvecs = count[0]
    eig = lambda: sla.eigsh(A, k=k, which="LA", tol=tol, return_eigenvectors=False)
    eig()  # warm-up
    eigsh, values = repeat(eig, job["minSeconds"], job["minReps"])
    eigsh["values"] = sorted(values.tolist(), reverse=True)
    eigsh["matvecs"] = matvecs
    x = np.random.default_rng(0).standard_normal(n)
    for _ in range(5):
        A @ x
    matvec, _ = repeat(lambda: A @ x, job["minSeconds"] / 3, 20)
    print(json.dumps({"eigsh": eigsh, "matvec": matvec, "scipy": scipy.__version__, "numpy": np.__version__}))


if __name__ == "__main__":
    main()

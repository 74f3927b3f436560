// Native twin of the ensemble bench (bench/ensemble.mjs): SGD with Gaussian gradient noise,
//   x ← x − lr·(∇f(x) + σ·z),  z ~ N(0, I) fresh per particle, step and coordinate,
// on (a) 2-d Rosenbrock (a = 1, b = 100, start (−1.2, 1)) or (b) a d-dimensional quadratic
// ½ xᵀAx with a DENSE d×d matrix A (descent's quadratic kernel is dense, so the twin does the same
// work: d² multiply-adds per particle and step, even though the bench's A is diagonal), start at
// the all-ones vector. Particles are structure-of-arrays: x[j·P + p].
//
// The loops are the plain-JS twin's (bench/ensemble.mjs): steps outer, particles inner; the
// quadratic's matrix-vector product per block of 64 particles, accumulating A_ij·x_j over j in
// order for each particle (descent's summation order), which gcc vectorises across particles.
// Normals: Box–Muller with libm log/sqrt/cos/sin on xoshiro256** (53-bit uniforms), one pair per
// two coordinates.
//
// Built by the bench (bench/ensemble.mjs) when gcc is present:
//   gcc -O3 -march=native -o bench/native/sgd_ensemble.out bench/native/sgd_ensemble.c -lm
// (-march=native lets gcc contract a·b + c into FMA, so results differ from descent's in the last
// digits; the bench compares this twin by tolerance, docs/performance.md lesson 6.)
//
// Usage: sgd_ensemble.out rosenbrock|quadratic P T sigma seed minSeconds [d]
// Runs the whole simulation (re-initialised) until minSeconds have passed (at least once), and
// prints one JSON line: the best run's time and M particle-coordinate updates/s, and the
// per-coordinate mean and (unbiased) variance of the final positions of the last run.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCK 64

static const double TWO_PI = 6.283185307179586;

// xoshiro256** (Blackman & Vigna), seeded by splitmix64.
static uint64_t s0, s1, s2, s3;

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t next_u64(void) {
  const uint64_t result = rotl(s1 * 5, 7) * 9;
  const uint64_t t = s1 << 17;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 45);
  return result;
}

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void seed_rng(uint64_t seed) {
  s0 = splitmix64(&seed); s1 = splitmix64(&seed); s2 = splitmix64(&seed); s3 = splitmix64(&seed);
}

/** Uniform in [0, 1) with 53 random bits. */
static inline double u01(void) { return (double)(next_u64() >> 11) * 0x1.0p-53; }

/** Two independent N(0, 1) draws by Box–Muller. */
static inline void normal_pair(double *z0, double *z1) {
  const double r = sqrt(-2.0 * log(1.0 - u01()));
  const double th = TWO_PI * u01();
  *z0 = r * cos(th);
  *z1 = r * sin(th);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void rosenbrock(double *restrict x, int P, int T, double lr, double sigma) {
  const double a = 1.0, b = 100.0;
  double *restrict x0 = x, *restrict x1 = x + P;
  if (sigma > 0) {
    for (int t = 0; t < T; t++) {
      for (int p = 0; p < P; p++) {
        const double xa = x0[p], xb = x1[p];
        const double tt = xb - xa * xa;
        const double g0 = -4.0 * b * xa * tt - 2.0 * (a - xa);
        const double g1 = 2.0 * b * tt;
        double z0, z1;
        normal_pair(&z0, &z1);
        x0[p] = xa - lr * (g0 + sigma * z0);
        x1[p] = xb - lr * (g1 + sigma * z1);
      }
    }
  } else {
    for (int t = 0; t < T; t++) {
      for (int p = 0; p < P; p++) {
        const double xa = x0[p], xb = x1[p];
        const double tt = xb - xa * xa;
        const double g0 = -4.0 * b * xa * tt - 2.0 * (a - xa);
        const double g1 = 2.0 * b * tt;
        x0[p] = xa - lr * g0;
        x1[p] = xb - lr * g1;
      }
    }
  }
}

static void quadratic(double *restrict x, int P, int T, int d, const double *restrict A, double lr,
                      double sigma) {
  double *restrict G = aligned_alloc(64, sizeof(double) * (size_t)d * BLOCK);
  for (int t = 0; t < T; t++) {
    for (int p0 = 0; p0 < P; p0 += BLOCK) {
      const int n = P - p0 < BLOCK ? P - p0 : BLOCK;
      // G[i][k] = Σ_j A_ij x_j(p0 + k), j in order.
      for (int i = 0; i < d; i++) {
        double *restrict gi = G + i * BLOCK;
        for (int k = 0; k < n; k++) gi[k] = 0.0;
        for (int j = 0; j < d; j++) {
          const double aij = A[i * d + j];
          const double *restrict xj = x + (size_t)j * P + p0;
          for (int k = 0; k < n; k++) gi[k] += aij * xj[k];
        }
      }
      if (sigma > 0) {
        for (int k = 0; k < n; k++) {
          for (int i = 0; i < d; i += 2) {
            double z0, z1;
            normal_pair(&z0, &z1);
            G[i * BLOCK + k] += sigma * z0;
            if (i + 1 < d) G[(i + 1) * BLOCK + k] += sigma * z1;
          }
        }
      }
      for (int i = 0; i < d; i++) {
        double *restrict xi = x + (size_t)i * P + p0;
        const double *restrict gi = G + i * BLOCK;
        for (int k = 0; k < n; k++) xi[k] -= lr * gi[k];
      }
    }
  }
  free(G);
}

/** The bench's spectrum: λ_i = 0.1·10^(2i/(d−1)), 0.1 … 10. */
static double eigenvalue(int i, int d) { return 0.1 * pow(10.0, 2.0 * i / (d - 1)); }

int main(int argc, char **argv) {
  if (argc < 7) {
    fprintf(stderr, "usage: %s rosenbrock|quadratic P T sigma seed minSeconds [d]\n", argv[0]);
    return 2;
  }
  const int quad = strcmp(argv[1], "quadratic") == 0;
  if (!quad && strcmp(argv[1], "rosenbrock") != 0) {
    fprintf(stderr, "unknown workload %s\n", argv[1]);
    return 2;
  }
  const int P = atoi(argv[2]), T = atoi(argv[3]);
  const double sigma = atof(argv[4]);
  const uint64_t seed = strtoull(argv[5], NULL, 10);
  const double minSeconds = atof(argv[6]);
  const int d = quad ? (argc > 7 ? atoi(argv[7]) : 32) : 2;
  const double lr = quad ? 1e-2 : 1e-3;
  double *A = NULL;
  if (quad) {
    A = calloc((size_t)d * d, sizeof(double));
    for (int i = 0; i < d; i++) A[i * d + i] = eigenvalue(i, d);
  }
  double *x = aligned_alloc(64, sizeof(double) * (((size_t)d * P + 7) / 8 * 8));
  double best = INFINITY, total = 0;
  int reps = 0;
  do {
    for (int p = 0; p < P; p++) {
      if (quad) for (int j = 0; j < d; j++) x[(size_t)j * P + p] = 1.0;
      else { x[p] = -1.2; x[P + p] = 1.0; }
    }
    seed_rng(seed);
    const double start = now();
    if (quad) quadratic(x, P, T, d, A, lr, sigma);
    else rosenbrock(x, P, T, lr, sigma);
    const double dt = now() - start;
    if (dt < best) best = dt;
    total += dt;
    reps++;
  } while (total < minSeconds);
  printf("{\"workload\":\"%s\",\"P\":%d,\"T\":%d,\"d\":%d,\"sigma\":%.17g,\"reps\":%d,\"seconds\":%.9g,"
         "\"mups\":%.9g,\"mean\":[", argv[1], P, T, d, sigma, reps, best, (double)P * d * T / best / 1e6);
  for (int j = 0; j < d; j++) {
    double m = 0;
    for (int p = 0; p < P; p++) m += x[(size_t)j * P + p];
    m /= P;
    printf("%s%.17g", j ? "," : "", m);
  }
  printf("],\"var\":[");
  for (int j = 0; j < d; j++) {
    double m = 0, q = 0;
    for (int p = 0; p < P; p++) m += x[(size_t)j * P + p];
    m /= P;
    for (int p = 0; p < P; p++) { const double e = x[(size_t)j * P + p] - m; q += e * e; }
    printf("%s%.17g", j ? "," : "", P > 1 ? q / (P - 1) : 0.0);
  }
  printf("]}\n");
  free(x);
  free(A);
  return 0;
}

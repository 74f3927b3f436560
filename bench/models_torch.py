#!/usr/bin/python3
"""PyTorch twin of the model benchmarks (bench/models.mjs), CPU, one thread.

Reads one JSON job on stdin and prints one JSON line on stdout. Two jobs:

  {"job": "perExample", "widths": [16, 64, 64, 1], "X": [...n*m], "y": [...n], "theta": [...p],
   "out": "<dir>", "minSeconds": 1.5}
      Per-example gradients of an MLP (relu hidden, mse_loss, bias; theta flattened as
      torch.cat([q.flatten() for q in module.parameters()])) on all n examples, float64, by
        loop    - a Python loop: per example, forward, mse_loss, torch.autograd.grad, row i of out
        vmap    - functorch.vmap(functorch.grad(loss)) over functorch.make_functional(module)
                  (torch.func does not exist in torch 1.13; functorch is its predecessor)
        manual  - batched forward, autograd of the summed loss w.r.t. each layer's pre-activation
                  z_l (the per-example deltas), then per-example weight grads as
                  einsum('ni,nj->nij', delta_l, a_{l-1}) and bias grads = delta_l
                  (Goodfellow 2015, "Efficient per-example gradient computations")
      Every method fills an (n, p) tensor (the same row-major layout descent returns); the three
      results are written to <dir>/<method>.f64 (raw little-endian float64) for the bench to check
      against descent. Timing: warm-up, then blocks of calls of about 0.25 s until minSeconds
      have passed; the fastest block's mean seconds per call is reported.

  {"job": "ensemble", "widths": [4, 32, 1], "X": [...], "y": [...], "P": 1000, "T": 128,
   "batch": 16, "lr": 0.05, "seed": 1, "dtype": "float64", "minSeconds": 2, "minReps": 2}
      P independent MLPs (relu, mse, bias) trained by minibatch SGD, all at once with batched
      matmuls: parameters as stacked tensors W1 (P, h, m), b1 (P, 1, h), ..., each model walking
      its own shuffle of the n examples per epoch (torch.argsort of a (P, n) uniform tensor every
      floor(n/b) steps, DataLoader(shuffle=True, drop_last=True) per model, as descent's
      noise.minibatch without replacement), gathering its (P, b) indices, torch.baddbmm forward,
      mse_loss per model summed over models (so each model's gradient is its own), autograd
      backward, SGD update under torch.no_grad(). He init (N(0, 2/fan_in) weights, zero
      biases). A whole run (init, T steps, final full-batch loss per model) is timed and repeated
      until minSeconds have passed and minReps runs were made; the fastest counts. Reports steps/s and the final losses'
      mean, variance and median (the bench compares them with descent's in distribution).
"""
import json
import os
import sys
import time

import torch

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass


def mlp(widths, dtype):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1], bias=True, dtype=dtype))
        if i < len(widths) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def load_theta(module, theta):
    theta = torch.as_tensor(theta, dtype=torch.float64)
    off = 0
    with torch.no_grad():
        for q in module.parameters():
            q.copy_(theta[off:off + q.numel()].view_as(q))
            off += q.numel()
    assert off == theta.numel(), f'theta has {theta.numel()} numbers, the module {off}'


def timed(fn, min_seconds):
    """Warm up, then blocks of ~0.25 s of calls until min_seconds; fastest block's mean per call.
    min_seconds <= 0 (bench/run.mjs --smoke): one call, untimed in any useful sense."""
    if min_seconds <= 0:
        t0 = time.perf_counter()
        fn()
        return {'seconds': time.perf_counter() - t0, 'callsPerBlock': 1, 'blocks': 1}
    t0 = time.perf_counter()
    calls = 0
    while calls < 3 or time.perf_counter() - t0 < 0.3:
        fn()
        calls += 1
    per = (time.perf_counter() - t0) / calls
    k = max(1, int(0.25 / per))
    best, total, blocks = float('inf'), 0.0, 0
    while blocks < 3 or total < min_seconds:
        start = time.perf_counter()
        for _ in range(k):
            fn()
        dt = time.perf_counter() - start
        best, total, blocks = min(best, dt / k), total + dt, blocks + 1
    return {'seconds': best, 'callsPerBlock': k, 'blocks': blocks}


# ---------------------------------------------------------------------------------------------
# Per-example gradients.

def per_example(job):
    widths = job['widths']
    m, n = widths[0], len(job['y'])
    X = torch.tensor(job['X'], dtype=torch.float64).view(n, m)
    y = torch.tensor(job['y'], dtype=torch.float64).view(n, widths[-1])
    net = mlp(widths, torch.float64)
    load_theta(net, job['theta'])
    params = list(net.parameters())
    p = sum(q.numel() for q in params)
    mse = torch.nn.functional.mse_loss

    def loop():
        out = torch.empty(n, p, dtype=torch.float64)
        for i in range(n):
            loss = mse(net(X[i:i + 1]), y[i:i + 1])
            grads = torch.autograd.grad(loss, params)
            torch.cat([g.reshape(-1) for g in grads], out=out[i])
        return out

    methods = {'loop': loop}

    try:
        from functorch import grad, make_functional, vmap
        fnet, fparams = make_functional(net)

        def loss1(ps, x, t):
            return mse(fnet(ps, x.unsqueeze(0)), t.unsqueeze(0))

        per_sample = vmap(grad(loss1), in_dims=(None, 0, 0))

        def vmapped():
            grads = per_sample(fparams, X, y)
            return torch.cat([g.reshape(n, -1) for g in grads], dim=1)

        methods['vmap'] = vmapped
        vmap_note = 'functorch ' + getattr(__import__('functorch'), '__version__', '?')
    except ImportError as e:
        vmap_note = f'functorch unavailable: {e}'

    linears = [mod for mod in net if isinstance(mod, torch.nn.Linear)]

    def manual():
        out = torch.empty(n, p, dtype=torch.float64)
        acts, zs = [X], []
        a = X
        for l, lin in enumerate(linears):
            z = lin(a)
            zs.append(z)
            a = torch.relu(z) if l < len(linears) - 1 else z
            if l < len(linears) - 1:
                acts.append(a)
        # Sum over examples of ℓ_i = mse_loss(f_i, y_i): its gradient w.r.t. z_l row i is the
        # per-example delta of example i.
        loss = ((a - y) ** 2).mean(dim=1).sum()
        deltas = torch.autograd.grad(loss, zs)
        off = 0
        for lin, d, a_in in zip(linears, deltas, acts):
            o, i = lin.weight.shape
            out[:, off:off + o * i] = torch.einsum('ni,nj->nij', d, a_in).reshape(n, o * i)
            off += o * i
            out[:, off:off + o] = d
            off += o
        return out

    methods['manual'] = manual

    results = {}
    for name, fn in methods.items():
        g = fn()
        g.detach().numpy().astype('<f8').tofile(os.path.join(job['out'], f'{name}.f64'))
        t = timed(fn, job['minSeconds'])
        results[name] = {**t, 'examplesPerSecond': n / t['seconds']}
    return {'n': n, 'p': p, 'methods': results, 'vmap': vmap_note}


# ---------------------------------------------------------------------------------------------
# Ensemble of independent SGD runs.

def ensemble(job):
    dtype = {'float64': torch.float64, 'float32': torch.float32}[job['dtype']]
    widths, P, T, b, lr = job['widths'], job['P'], job['T'], job['batch'], job['lr']
    m, k, n = widths[0], widths[-1], len(job['y'])
    X = torch.tensor(job['X'], dtype=torch.float64).view(n, m).to(dtype)
    y = torch.tensor(job['y'], dtype=torch.float64).view(n, k).to(dtype)
    L = len(widths) - 1
    per_epoch = n // b
    gen = torch.Generator().manual_seed(job['seed'])

    def forward(params, xb):
        a = xb
        for l in range(L):
            W, bias = params[2 * l], params[2 * l + 1]
            a = torch.baddbmm(bias, a, W.transpose(1, 2))  # (P, b, out)
            if l < L - 1:
                a = torch.relu(a)
        return a

    def run(T):
        params = []
        for l in range(L):
            fan_in, fan_out = widths[l], widths[l + 1]
            W = torch.randn(P, fan_out, fan_in, dtype=dtype, generator=gen) * (2.0 / fan_in) ** 0.5
            params += [W.requires_grad_(), torch.zeros(P, 1, fan_out, dtype=dtype, requires_grad=True)]
        perm = None
        for t in range(T):
            s = t % per_epoch
            if s == 0:
                perm = torch.argsort(torch.rand(P, n, generator=gen), dim=1)
            idx = perm[:, s * b:(s + 1) * b]          # (P, b)
            xb, yb = X[idx], y[idx]                     # gather: (P, b, m), (P, b, k)
            f = forward(params, xb)
            loss = ((f - yb) ** 2).mean(dim=(1, 2)).sum()
            grads = torch.autograd.grad(loss, params)
            with torch.no_grad():
                for q, g in zip(params, grads):
                    q.sub_(g, alpha=lr)
        with torch.no_grad():
            f = forward(params, X.expand(P, n, m))
            return ((f - y) ** 2).mean(dim=(1, 2))

    run(min(T, per_epoch))  # warm-up: first-call allocations and dispatch caches
    best, total, reps = float('inf'), 0.0, 0
    while True:
        start = time.perf_counter()
        final = run(T)
        dt = time.perf_counter() - start
        best, total, reps = min(best, dt), total + dt, reps + 1
        if total >= job['minSeconds'] and reps >= job.get('minReps', 1):
            break
    final = final.double()
    return {
        'dtype': job['dtype'], 'P': P, 'T': T, 'seconds': best, 'reps': reps, 'stepsPerSecond': T / best,
        'loss': {'mean': final.mean().item(), 'var': final.var().item(), 'median': final.median().item(),
                 'finite': int(torch.isfinite(final).sum().item())},
    }


def main():
    job = json.load(sys.stdin)
    if job['job'] == 'perExample':
        out = per_example(job)
    elif job['job'] == 'ensemble':
        out = ensemble(job)
    else:
        sys.stderr.write(__doc__)
        return 2
    out['torch'] = torch.__version__
    out['threads'] = torch.get_num_threads()
    out['python'] = sys.version.split()[0]
    print(json.dumps(out))
    return 0


if __name__ == '__main__':
    sys.exit(main())

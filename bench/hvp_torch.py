"""Hessian-vector products of an MLP in PyTorch by double backward, for bench/hvp.mjs.

Reads a JSON job on stdin: widths, activation ('relu' or 'tanh'), X (n x m, row-major), y (n),
theta, v. Builds the same torch.nn.Sequential MLP as bench/models_torch.py (bias, mse) with that
activation, loads theta in parameters() order, and times Hv = d/dθ (∇L(θ)·v) with create_graph=True (the standard autograd HVP), float64,
one thread. Prints JSON: the product (for the correctness check) and the seconds per HVP.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models_torch import load_theta, timed  # noqa: E402  (same directory)


def mlp(widths, activation, dtype):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1], bias=True, dtype=dtype))
        if i < len(widths) - 2:
            layers.append(torch.nn.Tanh() if activation == 'tanh' else torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def main():
    job = json.load(sys.stdin)
    torch.set_num_threads(1)
    widths = job['widths']
    n, m = len(job['y']), widths[0]
    X = torch.tensor(job['X'], dtype=torch.float64).view(n, m)
    y = torch.tensor(job['y'], dtype=torch.float64).view(n, widths[-1])
    net = mlp(widths, job.get('activation', 'relu'), torch.float64)
    load_theta(net, torch.tensor(job['theta'], dtype=torch.float64))
    params = list(net.parameters())
    v = torch.tensor(job['v'], dtype=torch.float64)
    vs, off = [], 0
    for q in params:
        vs.append(v[off:off + q.numel()].view_as(q))
        off += q.numel()

    def hvp():
        loss = torch.nn.functional.mse_loss(net(X), y)
        grads = torch.autograd.grad(loss, params, create_graph=True)
        dot = sum((g * u).sum() for g, u in zip(grads, vs))
        hv = torch.autograd.grad(dot, params)
        return torch.cat([h.reshape(-1) for h in hv])

    product = hvp()
    t = timed(hvp, job.get('minSeconds', 2.0))
    print(json.dumps({'hv': product.tolist(), 'seconds': t['seconds'], 'torch': torch.__version__}))


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""PyTorch peers of the sgd-stability benchmark workloads (see docs/benchmarks.md).

Run by `sgdstab bench --peer torch`, one process per (workload, variant), so that the peak RSS
reported (getrusage ru_maxrss) belongs to that variant alone. The Java side has already written the
inputs (inputs.json and .npy files) into --dir; this script loads them, times the variant after
warm-up, writes the numbers it computed as .npy files into --out for the cross-check, and prints one
JSON line on stdout.

Adding a workload is one function decorated with @peer("ID", "variant"): it receives the loaded
inputs and returns a zero-argument callable that runs the timed computation and returns a dict of
name -> tensor or float, with the names the Java side uses.
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

PEERS = {}


def peer(workload, variant):
    def register(fn):
        PEERS[(workload, variant)] = fn
        return fn
    return register


# ----------------------------------------------------------------------------- inputs

class Inputs:
    """inputs.json plus lazily loaded arrays of the workload directory."""

    def __init__(self, directory):
        self.dir = directory
        with open(os.path.join(directory, "inputs.json")) as f:
            self.spec = json.load(f)

    def array(self, name):
        return torch.from_numpy(np.load(os.path.join(self.dir, name + ".npy")))

    def mlp(self):
        """The nn.Sequential MLP of the spec with θ loaded (nn.Linear order: weight (out, in), then bias)."""
        s = self.spec
        layers = []
        fan_in = s["d"]
        for w in s["widths"]:
            layers += [nn.Linear(fan_in, w), activation(s["activation"])]
            fan_in = w
        layers.append(nn.Linear(fan_in, s["outputs"]))
        model = nn.Sequential(*layers).double()
        theta = self.array("theta")
        with torch.no_grad():
            nn.utils.vector_to_parameters(theta, model.parameters())
        return model


    def cnn(self):
        """The nn.Sequential of model.json (sgd-stability's layer list) with θ loaded, and the NCHW shape of x."""
        with open(os.path.join(self.dir, "model.json")) as f:
            spec = json.load(f)
        layers = []
        for layer in spec["layers"]:
            t = layer["type"]
            if t == "conv2d":
                layers.append(nn.Conv2d(layer["in_channels"], layer["out_channels"], layer["kernel_size"],
                                        stride=layer["stride"], padding=layer["padding"], bias=layer["bias"]))
            elif t == "maxpool2d":
                layers.append(nn.MaxPool2d(layer["kernel_size"], stride=layer["stride"]))
            elif t == "flatten":
                layers.append(nn.Flatten())
            elif t == "linear":
                layers.append(nn.Linear(layer["in"], layer["out"], bias=layer["bias"]))
            else:
                layers.append(activation(t))
        model = nn.Sequential(*layers).double()
        with torch.no_grad():
            nn.utils.vector_to_parameters(self.array("theta"), model.parameters())
        return model, [self.spec["n"]] + spec["input_shape"]


def activation(name):
    return {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}[name]()


def flat(tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


def half_mse(out, y):
    """L = (1/2n) sum ||f(x_i) - y_i||^2, the sgd-stability loss."""
    return 0.5 * ((out - y) ** 2).sum() / out.shape[0]


# ----------------------------------------------------------------------------- GEMM peak

def gemm_peer(size):
    def make(inp):
        a = inp.array("a%d" % size)
        b = inp.array("b%d" % size)
        return lambda: {"c": a @ b}
    return make


for _n in (32, 64, 1024, 2048, 3072):
    peer("PEAK", "dgemm-%d" % _n)(gemm_peer(_n))


# ----------------------------------------------------------------------------- W1: Θ and the noise diagnostics

def noise_diagnostics(theta, e):
    """Every quantity of sgd-stability's NoiseAlignment.of(Θ, e), vectorised, same formulas."""
    n, k = e.shape
    t = theta.reshape(n, k, n, k)
    c = torch.einsum("akjl,jl->akj", t, e)            # (Θ_{·j} e_j)[a]
    trace_theta = torch.diagonal(theta).sum()
    theta_frob_sq = (theta * theta).sum()
    chi = (t * t).sum(dim=(1, 2, 3))
    tr_s1g_n2 = (c * c).sum()
    theta_e = c.sum(dim=2).reshape(n * k)
    s = torch.einsum("ik,ikj->ij", e, c)
    ev = e.reshape(n * k)
    e_theta_e = ev @ theta_e
    theta_e_sq = theta_e @ theta_e
    e_sq = ev @ ev
    s1_frob_sq_n2 = (s * s).sum()
    tr_s1s2_n3 = (s.sum(dim=1) ** 2).sum()
    dn = float(n)
    loss = e_sq / (2 * dn)
    two_l = e_sq / dn
    grad_norm_sq = torch.clamp(e_theta_e, min=0) / (dn * dn)
    fisher_trace = trace_theta / dn
    fisher_frob_sq = theta_frob_sq / (dn * dn)
    tr_s1g = tr_s1g_n2 / (dn * dn)
    tr_s2g = theta_e_sq / (dn * dn * dn)
    tr_sg = tr_s1g - tr_s2g
    s1_frob_sq = s1_frob_sq_n2 / (dn * dn)
    tr_s1s2 = tr_s1s2_n3 / (dn * dn * dn)
    s2_frob_sq = grad_norm_sq * grad_norm_sq
    sigma_frob = torch.sqrt(torch.clamp(s1_frob_sq - 2 * tr_s1s2 + s2_frob_sq, min=0))
    fisher_frob = torch.sqrt(fisher_frob_sq)
    lambda_max = torch.linalg.eigvalsh(theta)[-1] / dn
    chi_n = chi / dn
    gamma = chi_n.min() / chi_n.mean()
    return {
        "gram": theta, "loss": loss, "grad_norm": torch.sqrt(grad_norm_sq),
        "fisher_trace": fisher_trace, "fisher_frobenius": fisher_frob, "fisher_lambda_max": lambda_max,
        "tr_sigma_g": tr_sg, "tr_sigma1_g": tr_s1g, "tr_sigma2_g": tr_s2g, "sigma_frobenius": sigma_frob,
        "alpha": tr_sg / (fisher_frob * sigma_frob), "beta": sigma_frob / (two_l * fisher_frob),
        "mu": tr_sg / (two_l * fisher_frob_sq), "mu1": tr_s1g / (two_l * fisher_frob_sq),
        "mu2": tr_s2g / (two_l * fisher_frob_sq), "gamma": gamma,
        "tau": lambda_max * lambda_max / fisher_frob_sq,
    }


@peer("W1", "functorch-jjt")
def w1_functorch(inp):
    """The functorch NTK recipe: per-sample Jacobians by vmap(jacrev), then Θ = Σ_blocks J Jᵀ."""
    from functorch import jacrev, make_functional, vmap
    model = inp.mlp()
    x, y = inp.array("x"), inp.array("y")
    fnet, params = make_functional(model)
    n, k = y.shape

    def f_single(p, xi):
        return fnet(p, xi.unsqueeze(0)).squeeze(0)

    def run():
        with torch.no_grad():
            e = fnet(params, x) - y
        jac = vmap(jacrev(f_single), (None, 0))(params, x)      # per block: (n, K, *shape)
        theta = None
        for j in jac:
            jm = j.reshape(n * k, -1)                             # row i·K + k
            block = jm @ jm.T
            theta = block if theta is None else theta + block
            del jm
        del jac
        return noise_diagnostics(theta, e)
    return run


@peer("W1", "structured")
def w1_structured(inp):
    """sgd-stability's per-layer formula in PyTorch: Θ = Σ_layers (A Aᵀ + 1) ⊙ (S Sᵀ), no per-sample gradient."""
    model = inp.mlp()
    x, y = inp.array("x"), inp.array("y")
    mods = list(model)
    n, k = y.shape

    def run():
        with torch.no_grad():
            acts = [x]
            a = x
            for m in mods:
                a = m(a)
                acts.append(a)
            e = a - y
            # Output sensitivities stacked k-major: row k·n + i is ∂f_k(x_i)/∂out_i.
            sens = torch.kron(torch.eye(k, dtype=x.dtype), torch.ones(n, 1, dtype=x.dtype))
            gram = torch.zeros(n * k, n * k, dtype=x.dtype)
            for l in range(len(mods) - 1, -1, -1):
                m = mods[l]
                if isinstance(m, nn.Linear):
                    inner = acts[l] @ acts[l].T + 1.0
                    gram += inner.repeat(k, k) * (sens @ sens.T)
                    if l > 0:
                        sens = sens @ m.weight
                elif isinstance(m, nn.Tanh):
                    sens = sens * (1 - acts[l + 1] ** 2).repeat(k, 1)
                else:
                    raise ValueError("structured peer supports Linear and Tanh only")
            theta = gram.reshape(k, n, k, n).permute(1, 0, 3, 2).reshape(n * k, n * k)
            return noise_diagnostics(theta, e)
    return run


# ----------------------------------------------------------------------------- W2: Hessian-vector products

def _w2_double_backward(inp, count):
    model = inp.mlp()
    x, y = inp.array("x"), inp.array("y")
    dirs = inp.array("dirs")[:count]
    params = list(model.parameters())
    shapes = [p.shape for p in params]
    vs = [split(dirs[j], shapes) for j in range(count)]

    def run():
        g = torch.autograd.grad(half_mse(model(x), y), params, create_graph=True)
        rows = []
        for j in range(count):
            gv = sum((gi * vi).sum() for gi, vi in zip(g, vs[j]))
            hv = torch.autograd.grad(gv, params, retain_graph=j < count - 1)
            rows.append(flat(hv))
        return {"hv": torch.stack(rows)}
    return run


def _w2_functorch(inp, count):
    """Forward-over-reverse: vmap over jvp of grad, PyTorch's batched HVP."""
    from functorch import grad, jvp, make_functional, vmap
    model = inp.mlp()
    x, y = inp.array("x"), inp.array("y")
    dirs = inp.array("dirs")[:count]
    fnet, params = make_functional(model)
    shapes = [p.shape for p in params]
    tangents = tuple(t.reshape((count,) + tuple(s)) for t, s in zip(split_columns(dirs, shapes), shapes))

    def loss(p):
        return half_mse(fnet(p, x), y)

    grad_fn = grad(loss)

    def hvp(v):
        return jvp(grad_fn, (params,), (v,))[1]

    def run():
        hv = vmap(hvp)(tangents)
        return {"hv": torch.cat([h.reshape(count, -1) for h in hv], dim=1)}
    return run


def split(vec, shapes):
    out, off = [], 0
    for s in shapes:
        size = int(np.prod(s))
        out.append(vec[off:off + size].reshape(s))
        off += size
    return out


def split_columns(mat, shapes):
    out, off = [], 0
    for s in shapes:
        size = int(np.prod(s))
        out.append(mat[:, off:off + size])
        off += size
    return out


peer("W2", "double-backward")(lambda inp: _w2_double_backward(inp, 1))
peer("W2", "functorch-fwdrev")(lambda inp: _w2_functorch(inp, 1))
peer("W2", "double-backward-block")(lambda inp: _w2_double_backward(inp, inp.spec["directions"]))
peer("W2", "functorch-fwdrev-block")(lambda inp: _w2_functorch(inp, inp.spec["directions"]))


# ----------------------------------------------------------------------------- W3: loss and gradient

@peer("W3", "autograd")
def w3_autograd(inp):
    model = inp.mlp()
    x, y = inp.array("x"), inp.array("y")
    params = list(model.parameters())

    def run():
        loss = half_mse(model(x), y)
        g = torch.autograd.grad(loss, params)
        return {"loss": loss.detach(), "grad": flat(g)}
    return run


# ----------------------------------------------------------------------------- W5: one SGD epoch of the small CNN

@peer("W5", "torch-sgd")
def w5_sgd(inp):
    """The plain PyTorch loop: batches in the order the Java side wrote, autograd, in-place update."""
    model, shape = inp.cnn()
    x = inp.array("x").reshape(shape)
    y = inp.array("y")
    order = inp.array("order").long()
    lr = inp.spec["lr"]
    params = list(model.parameters())
    theta0 = nn.utils.parameters_to_vector(params).detach().clone()

    def run():
        # copy_, not vector_to_parameters: that makes the parameters views of theta0, which the
        # in-place updates would then overwrite, so later runs would not start from θ0.
        with torch.no_grad():
            for p, t in zip(params, split(theta0, [q.shape for q in params])):
                p.copy_(t)
        losses = []
        for idx in order:
            loss = half_mse(model(x[idx]), y[idx])
            grads = torch.autograd.grad(loss, params)
            with torch.no_grad():
                for p, g in zip(params, grads):
                    p.sub_(lr * g)
            losses.append(loss.detach())
        return {"batch_losses": torch.stack(losses), "theta": nn.utils.parameters_to_vector(params).detach().clone()}
    return run


# ----------------------------------------------------------------------------- W6: Θ of the small CNN

@peer("W6", "functorch-jjt")
def w6_functorch(inp):
    """The functorch NTK recipe on the CNN: per-sample Jacobians by vmap(jacrev), then Θ = Σ_blocks J Jᵀ."""
    from functorch import jacrev, make_functional, vmap
    model, shape = inp.cnn()
    x = inp.array("x").reshape(shape)
    fnet, params = make_functional(model)
    n = shape[0]
    k = inp.spec["outputs"]

    def f_single(p, xi):
        return fnet(p, xi.unsqueeze(0)).squeeze(0)

    def run():
        jac = vmap(jacrev(f_single), (None, 0))(params, x)      # per block: (n, K, *shape)
        theta = None
        for j in jac:
            jm = j.reshape(n * k, -1)                             # row i·K + k
            block = jm @ jm.T
            theta = block if theta is None else theta + block
            del jm
        del jac
        return {"gram": theta}
    return run


# ----------------------------------------------------------------------------- driver

def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="print the available (workload, variant) pairs as JSON")
    ap.add_argument("--workload")
    ap.add_argument("--variant")
    ap.add_argument("--dir", help="workload directory with inputs.json and the input .npy files")
    ap.add_argument("--out", help="directory for the computed .npy outputs")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if args.list:
        print(json.dumps(sorted("%s/%s" % key for key in PEERS)))
        return 0
    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float64)
    key = (args.workload, args.variant)
    if key not in PEERS:
        print("torch_peers.py: no peer for workload %s variant %s" % key, file=sys.stderr)
        return 2
    run = PEERS[key](Inputs(args.dir))
    result = None
    for _ in range(args.warmup):
        result = run()
    times = []
    for _ in range(max(1, args.repeats)):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    os.makedirs(args.out, exist_ok=True)
    for name, value in result.items():
        arr = value.detach().numpy() if torch.is_tensor(value) else np.asarray(value, dtype=np.float64)
        np.save(os.path.join(args.out, name + ".npy"), np.array(arr, dtype=np.float64, order="C"))  # keeps 0-d shapes
    print(json.dumps({
        "workload": args.workload, "variant": args.variant, "times_s": times,
        "peak_rss_bytes": peak_rss_bytes(), "threads": torch.get_num_threads(),
        "torch": torch.__version__, "python": sys.version.split()[0],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Independent NumPy reference ("golden") values for the convolutional layers of the Java engine.

Run with ``python3 make_golden_cnn.py``; it rewrites ``<case>/`` next to this file:
``model.json``, ``weights.safetensors``, ``X.npy`` (n, C, H, W), ``Y.npy``, ``expected.json``.
Only numpy and the standard library are used, and nothing is shared with the Java code or with
``../golden/make_golden.py`` (the small safetensors writer is a copy). Everything is direct:

* a convolution is an explicit dense matrix A(W) assembled from (output, input, weight) index
  triples by plain loops over output positions and kernel offsets (no im2col); pooling layers are
  explicit selection/averaging matrices; a residual block sums its two branches;
* each sample goes through exact second-order forward mode: (value, d/dtheta, d2/dtheta2) of every
  activation, so J_i and the per-sample output Hessians come out exactly;
* Sigma1, Sigma2, G and H are explicit p x p matrices and every diagnostic follows its definition in
  docs/theory.md sections 2 and 4; the critical learning rates use the explicit (nK)^2 x (nK)^2
  second-moment map of section 5;
* J is checked against Richardson-extrapolated central differences of the outputs, H against
  Richardson differences of the gradient, and the ReLU / max-pool selections are asserted unchanged
  at every finite-difference point.
"""
import os

# Single-threaded BLAS: keeps the floating-point summation order, hence the output bytes, fixed.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import math  # noqa: E402
import struct  # noqa: E402

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GD_STEPS = [0, 1, 10, 100, 200]
BISECTION_RTOL = 1e-13
JAC_FD_TOL = 1e-8         # Richardson central differences of f, h = 1e-4 and 5e-5
HESS_FD_TOL = 1e-8        # Richardson central differences of the gradient, h = 1e-3 and 5e-4
GD_MARGIN = 1e-9          # smallest |ReLU input| / max-pool gap allowed along GD: rounding is ~1e-13
FD_H = 1e-3               # largest parameter step of any finite difference (selections are checked at it)


# ----------------------------------------------------------------------------------------------
# Activations: value, first and second derivative.
# ----------------------------------------------------------------------------------------------
def act(kind, z):
    if kind == "relu":
        on = (z > 0).astype(np.float64)
        return z * on, on, np.zeros_like(z)
    if kind == "tanh":
        t = np.tanh(z)
        return t, 1.0 - t * t, -2.0 * t * (1.0 - t * t)
    raise ValueError(kind)


# ----------------------------------------------------------------------------------------------
# Layers. Each knows its output shape, parameter count and the maps of second-order forward mode.
# Shapes are (C, H, W) tuples; features are flattened in C order.
# ----------------------------------------------------------------------------------------------
def conv_triples(shape, spec):
    """Index triples (out_feature, in_feature, weight_index) of a zero-padded convolution."""
    C, H, W = shape
    O, k, s, pad = spec["out_channels"], spec["kernel_size"], spec.get("stride", 1), spec.get("padding", 0)
    Ho, Wo = (H + 2 * pad - k) // s + 1, (W + 2 * pad - k) // s + 1
    trip = []
    for o in range(O):
        for y in range(Ho):
            for x in range(Wo):
                out_f = (o * Ho + y) * Wo + x
                for c in range(C):
                    for u in range(k):
                        for v in range(k):
                            iy, ix = y * s - pad + u, x * s - pad + v
                            if 0 <= iy < H and 0 <= ix < W:
                                trip.append((out_f, (c * H + iy) * W + ix, ((o * C + c) * k + u) * k + v))
    return np.array(trip, dtype=np.int64), (O, Ho, Wo)


class Affine:
    """conv2d or linear: z = A(W) x + b with A(W)[o, i] = sum of W[w] over triples (o, i, w)."""

    def __init__(self, spec, shape):
        self.spec = spec
        if spec["type"] == "conv2d":
            self.trip, self.out_shape = conv_triples(shape, spec)
            self.w_shape = (spec["out_channels"], spec["in_channels"], spec["kernel_size"], spec["kernel_size"])
            self.channels = spec["out_channels"]
        else:
            n_in, n_out = spec["in"], spec["out"]
            self.trip = np.array([(r, c, r * n_in + c) for r in range(n_out) for c in range(n_in)], dtype=np.int64)
            self.out_shape = (n_out,)
            self.w_shape = (n_out, n_in)
            self.channels = n_out
        self.d_in = int(np.prod(shape))
        self.d_out = int(np.prod(self.out_shape))
        self.n_w = int(np.prod(self.w_shape))
        self.bias = spec.get("bias", True)
        self.p = self.n_w + (self.channels if self.bias else 0)
        # Output feature -> channel, for the bias.
        self.chan_of = np.arange(self.d_out) // (self.d_out // self.channels)

    def param_names(self):
        return ["weight", "bias"] if self.bias else ["weight"]

    def unpack(self, th):
        prm = {"weight": th[:self.n_w].reshape(self.w_shape)}
        if self.bias:
            prm["bias"] = th[self.n_w:self.p]
        return prm

    def matrix(self, th):
        A = np.zeros((self.d_out, self.d_in))
        np.add.at(A, (self.trip[:, 0], self.trip[:, 1]), th[self.trip[:, 2]])
        return A

    def propagate(self, th, off, v, g, H):
        A = self.matrix(th)
        nv = A @ v
        if self.bias:
            nv = nv + th[self.n_w:][self.chan_of]
        if g is None:
            return nv, None, None
        o, i, w = self.trip[:, 0], self.trip[:, 1], off + self.trip[:, 2]
        ng = A @ g
        np.add.at(ng, (o, w), v[i])
        if self.bias:
            ng[np.arange(self.d_out), off + self.n_w + self.chan_of] += 1.0
        nH = None
        if H is not None:
            nH = np.einsum("oi,iab->oab", A, H)
            # d2(W_w x_i) = e_w g_i^T + g_i e_w^T
            np.add.at(nH, (o, w), g[i])
            np.add.at(nH, (o, slice(None), w), g[i])
        return nv, ng, nH


class Fixed:
    """A parameter-free layer: an activation, or a linear map given by a matrix (pools, flatten)."""

    def __init__(self, spec, shape):
        self.spec = spec
        t = spec["type"]
        self.p = 0
        self.kind = t
        self.d_in = int(np.prod(shape))
        if t in ("relu", "tanh", "flatten"):
            self.out_shape = shape if t != "flatten" else (self.d_in,)
            return
        C, H, W = shape
        if t == "global_avgpool":
            self.out_shape = (C, 1, 1)
            P = np.zeros((C, self.d_in))
            for c in range(C):
                P[c, c * H * W:(c + 1) * H * W] = 1.0 / (H * W)
            self.P = P
            return
        k, s = spec["kernel_size"], spec.get("stride", spec["kernel_size"])
        Ho, Wo = (H - k) // s + 1, (W - k) // s + 1
        self.out_shape = (C, Ho, Wo)
        self.windows = []
        for c in range(C):
            for y in range(Ho):
                for x in range(Wo):
                    self.windows.append([(c * H + y * s + u) * W + x * s + v for u in range(k) for v in range(k)])
        self.windows = np.array(self.windows, dtype=np.int64)
        if t == "avgpool2d":
            P = np.zeros((len(self.windows), self.d_in))
            for r, win in enumerate(self.windows):
                P[r, win] = 1.0 / (k * k)
            self.P = P

    def selection(self, v):
        """Max-pool: first maximal input of every window (row-major window order)."""
        return self.windows[np.arange(len(self.windows)), np.argmax(v[self.windows], axis=1)]

    def propagate(self, th, off, v, g, H):
        t = self.kind
        if t == "flatten":
            return v, g, H
        if t in ("relu", "tanh"):
            s0, s1, s2 = act(t, v)
            nH = None
            if H is not None:
                nH = s1[:, None, None] * H + s2[:, None, None] * (g[:, :, None] * g[:, None, :])
            return s0, None if g is None else s1[:, None] * g, nH
        if t == "maxpool2d":
            sel = self.selection(v)
            return v[sel], None if g is None else g[sel], None if H is None else H[sel]
        P = self.P
        return P @ v, None if g is None else P @ g, None if H is None else np.einsum("oi,iab->oab", P, H)


class Sequence:
    """Layers in order, parameters concatenated in order; a residual block is a nested Sequence pair."""

    def __init__(self, specs, shape):
        self.items = []
        self.p = 0
        for spec in specs:
            if spec["type"] == "residual":
                body = Sequence(spec["body"], shape)
                short = Sequence(spec["shortcut"], shape) if spec.get("shortcut") else None
                assert short is None or short.out_shape == body.out_shape
                item = ("residual", body, short)
                p = body.p + (short.p if short else 0)
                shape = body.out_shape
            else:
                layer = Affine(spec, shape) if spec["type"] in ("conv2d", "linear") else Fixed(spec, shape)
                item = ("layer", layer)
                p = layer.p
                shape = layer.out_shape
            self.items.append((item, self.p))
            self.p += p
        self.out_shape = shape

    def propagate(self, th, v, g, H):
        return self.propagate_at(th, 0, v, g, H)

    def propagate_at(self, th, base, v, g, H):
        """Propagates with this sequence's parameters starting at theta[base]; derivatives index all of theta."""
        for item, off in self.items:
            o = base + off
            if item[0] == "layer":
                lay = item[1]
                v, g, H = lay.propagate(th[o:o + lay.p], o, v, g, H)
            else:
                _, body, short = item
                vb, gb, Hb = body.propagate_at(th, o, v, g, H)
                vs, gs, Hs = (v, g, H) if short is None else short.propagate_at(th, o + body.p, v, g, H)
                v = vb + vs
                g = None if g is None else gb + gs
                H = None if H is None else Hb + Hs
        return v, g, H

    def named_tensors(self, th, prefix=""):
        out = []
        for idx, (item, off) in enumerate(self.items):
            if item[0] == "layer":
                lay = item[1]
                if lay.p:
                    for name, arr in lay.unpack(th[off:off + lay.p]).items():
                        out.append((f"{prefix}{idx}.{name}", arr))
            else:
                _, body, short = item
                out += body.named_tensors(th[off:off + body.p], f"{prefix}{idx}.body.")
                if short is not None:
                    out += short.named_tensors(th[off + body.p:off + body.p + short.p], f"{prefix}{idx}.shortcut.")
        return out

    def selections(self, th, v, base=0):
        """Everything a finite-difference step must not change: ReLU signs and max-pool winners, plus
        the smallest margin (|ReLU input| and the gap between a max-pool's best and second-best input)."""
        sig, margin = [], math.inf
        for item, off in self.items:
            o = base + off
            if item[0] == "layer":
                lay = item[1]
                if getattr(lay, "kind", None) == "relu":
                    sig.append(tuple((v > 0).tolist()))
                    margin = min(margin, float(np.min(np.abs(v))))
                if getattr(lay, "kind", None) == "maxpool2d":
                    vals = np.sort(v[lay.windows], axis=1)
                    live = vals[:, -1] > 0           # all-zero windows (dead ReLUs) tie harmlessly: value and derivatives 0
                    if np.any(live):
                        margin = min(margin, float(np.min(vals[live, -1] - vals[live, -2])))
                    sig.append(tuple(lay.selection(v).tolist()))
                v = lay.propagate(th[o:o + lay.p], o, v, None, None)[0]
            else:
                _, body, short = item
                sb, mb = body.selections(th, v, o)
                sig += sb
                margin = min(margin, mb)
                vs = v
                if short is not None:
                    ss, ms = short.selections(th, v, o + body.p)
                    sig += ss
                    margin = min(margin, ms)
                    vs = short.propagate_at(th, o + body.p, v, None, None)[0]
                v = body.propagate_at(th, o, v, None, None)[0] + vs
        return sig, margin


class Model:
    def __init__(self, specs, input_shape):
        self.specs = specs
        self.input_shape = tuple(input_shape)
        self.seq = Sequence(specs, self.input_shape)
        self.p = self.seq.p

    def outputs(self, th, X):
        return np.stack([self.seq.propagate(th, x.reshape(-1), None, None)[0] for x in X])

    def jacobians(self, th, X):
        out = [self.seq.propagate(th, x.reshape(-1), np.zeros((x.size, self.p)), None) for x in X]
        return np.stack([o[0] for o in out]), np.stack([o[1] for o in out])

    def second_order(self, th, x):
        return self.seq.propagate(th, x.reshape(-1), np.zeros((x.size, self.p)), np.zeros((x.size, self.p, self.p)))

    def loss_and_grad(self, th, X, Y):
        F, J = self.jacobians(th, X)
        E = F - Y
        return 0.5 * float(np.sum(E * E)) / len(X), np.einsum("ikp,ik->p", J, E) / len(X)

    def selections(self, th, X):
        sig, margin = [], math.inf
        for x in X:
            s, m = self.seq.selections(th, x.reshape(-1))
            sig += s
            margin = min(margin, m)
        return sig, margin


# ----------------------------------------------------------------------------------------------
# Second-moment map of linearised SGD (theory.md section 5), explicit.
# ----------------------------------------------------------------------------------------------
def t_matrix(theta_ntk, n, K, B, eta, scheme):
    """T_eta on row-major vec(N), N of size nK x nK, via vec(A N C) = (A kron C^T) vec N."""
    M = n * K
    blk = np.repeat(np.arange(n), K)
    mask = (blk[:, None] == blk[None, :]).reshape(-1).astype(np.float64)
    if scheme == "with":
        c_diag, c_full = B / n, B * (B - 1) / n ** 2
    else:
        q = B * (B - 1) / (n * (n - 1))
        c_diag, c_full = B / n - q, q
    esns = c_full * np.eye(M * M) + c_diag * np.diag(mask)
    eye = np.eye(M)
    return (np.eye(M * M) - (eta / n) * (np.kron(theta_ntk, eye) + np.kron(eye, theta_ntk.T))
            + (eta ** 2 / B ** 2) * np.kron(theta_ntk, theta_ntk.T) @ esns)


def rho(theta_ntk, n, K, B, eta, scheme):
    return float(np.max(np.abs(np.linalg.eigvals(t_matrix(theta_ntk, n, K, B, eta, scheme)))))


def critical_lr(fun, eta_hi):
    lo, hi = 0.0, eta_hi
    assert fun(hi) > 1.0
    while hi - lo > BISECTION_RTOL * hi:
        mid = 0.5 * (lo + hi)
        if fun(mid) > 1.0:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


# ----------------------------------------------------------------------------------------------
# Finite differences.
# ----------------------------------------------------------------------------------------------
def richardson(fun, th, j, h):
    def d(step):
        tp, tm = th.copy(), th.copy()
        tp[j] += step
        tm[j] -= step
        return (fun(tp) - fun(tm)) / (2.0 * step)
    return (4.0 * d(0.5 * h) - d(h)) / 3.0


def check_selections(model, th, X):
    """Asserts no FD step (up to FD_H along any coordinate) changes a ReLU sign or max-pool winner."""
    base, margin = model.selections(th, X)
    for j in range(model.p):
        for s in (-FD_H, FD_H):
            tp = th.copy()
            tp[j] += s
            assert model.selections(tp, X)[0] == base, f"FD step crosses a kink (coordinate {j})"
    return margin


def run_gd(model, th, X, Y, gd_lr):
    """Losses at GD_STEPS of full-batch GD (asserted monotone) and the smallest selection margin seen."""
    losses, t, prev, margin = [], th.copy(), math.inf, math.inf
    for step in range(GD_STEPS[-1] + 1):
        L, gr = model.loss_and_grad(t, X, Y)
        margin = min(margin, model.selections(t, X)[1])
        assert L <= prev * (1 + 1e-12), "GD loss increased: gd_lr too large"
        prev = L
        if step in GD_STEPS:
            losses.append(L)
        t = t - gd_lr * gr
    return losses, margin


# ----------------------------------------------------------------------------------------------
# All quantities of one case.
# ----------------------------------------------------------------------------------------------
def analyse(model, th, X, Y, lr, B, gd_lr):
    n, K, p = X.shape[0], Y.shape[1], model.p
    margin = check_selections(model, th, X)

    F, J = model.jacobians(th, X)                      # J: (n, K, p)
    Hf = []
    for i in range(n):
        v, g, Hi = model.second_order(th, X[i])
        assert np.max(np.abs(v - F[i])) == 0.0 and np.max(np.abs(g - J[i])) == 0.0
        Hf.append(Hi)
    jac_fd = 0.0
    for j in range(p):
        col = richardson(lambda t: model.outputs(t, X), th, j, 1e-4)
        jac_fd = max(jac_fd, float(np.max(np.abs(col - J[:, :, j]))))
    jac_fd /= float(np.max(np.abs(J)))
    assert jac_fd < JAC_FD_TOL, jac_fd

    E = F - Y
    loss = 0.5 * float(np.sum(E * E)) / n
    gi = np.einsum("ikp,ik->ip", J, E)
    grad = gi.mean(axis=0)
    G = np.einsum("ikp,ikq->pq", J, J) / n
    S1 = gi.T @ gi / n
    S2 = np.outer(grad, grad)
    S = S1 - S2
    H = G + sum(np.einsum("k,kab->ab", E[i], Hf[i]) for i in range(n)) / n
    H = 0.5 * (H + H.T)

    Hfd1 = np.stack([richardson(lambda t: model.loss_and_grad(t, X, Y)[1], th, j, FD_H) for j in range(p)], axis=1)
    Hfd2 = np.stack([richardson(lambda t: model.loss_and_grad(t, X, Y)[1], th, j, FD_H / 2) for j in range(p)], axis=1)
    hess_fd = float(np.max(np.abs(H - 0.5 * (Hfd2 + Hfd2.T))))
    assert hess_fd <= HESS_FD_TOL * max(1.0, float(np.max(np.abs(H)))), hess_fd
    hess_steps = float(np.max(np.abs(Hfd1 - Hfd2)))

    Gf = float(np.linalg.norm(G, "fro"))
    Sf = float(np.linalg.norm(S, "fro"))
    lam1 = float(np.linalg.eigvalsh(G)[-1])
    trSG, trS1G, trS2G = float(np.sum(S * G)), float(np.sum(S1 * G)), float(np.sum(S2 * G))
    mu, mu1, mu2 = (t / (2.0 * loss * Gf ** 2) for t in (trSG, trS1G, trS2G))
    alpha, beta = trSG / (Gf * Sf), Sf / (2.0 * loss * Gf)
    chi = np.array([np.trace(J[i] @ G @ J[i].T) for i in range(n)])
    gamma = float(chi.min() / chi.mean())
    assert mu > 0 and abs(mu - alpha * beta) <= 1e-12 * mu and abs(mu - (mu1 - mu2)) <= 1e-12 * mu1

    Theta = J.reshape(n * K, p) @ J.reshape(n * K, p).T
    Theta = 0.5 * (Theta + Theta.T)
    eigT = np.linalg.eigvalsh(Theta)
    assert eigT[0] > 1e-8 * eigT[-1], "Theta must have full rank"
    gd_crit = 2.0 / (eigT[-1] / n)
    crit = {s: critical_lr(lambda eta: rho(Theta, n, K, B, eta, s), 1.01 * gd_crit) for s in ("with", "without")}
    eigH = np.linalg.eigvalsh(H)

    # Full-batch GD on the nonlinear model.
    losses, gd_margin = run_gd(model, th, X, Y, gd_lr)
    assert losses[-1] < 0.5 * losses[0], "GD loss did not fall enough"
    # How much a 1e-12 relative change of theta (rounding-level) moves the trajectory: implementations
    # that round differently agree to about this factor times 1e-16.
    pert = th * (1.0 + 1e-12 * np.random.default_rng(99).choice([-1.0, 1.0], size=th.shape))
    gd_amp = max(abs(a - b) / abs(a) for a, b in zip(losses, run_gd(model, pert, X, Y, gd_lr)[0])) / 1e-12
    # A selection flips between implementations only if an iterate lies within rounding of a kink.
    assert gd_margin > GD_MARGIN, gd_margin

    f = float
    return {
        "lr": lr, "batch_size": B, "n": n, "d": int(X[0].size), "K": K, "p": p,
        "loss": loss, "grad_norm": f(np.linalg.norm(grad)),
        "fisher_trace": f(np.trace(G)), "fisher_frobenius": Gf, "fisher_lambda_max": lam1,
        "tr_sigma_g": trSG, "sigma_frobenius": Sf,
        "alpha": alpha, "beta": beta, "mu": mu, "mu1": mu1, "mu2": mu2, "gamma": gamma, "tau": lam1 ** 2 / Gf ** 2,
        "bound_thm33": math.sqrt(B / mu) / lr,
        "bound_prop34": (2.0 * B / mu1 if B == 1 else min(B / math.sqrt((B - 1) * mu1), 2.0 * B / mu1)) / lr,
        "gd_bound_lambda": 2.0 / lr,
        "hessian_frobenius": f(np.linalg.norm(H, "fro")), "hessian_trace": f(np.trace(H)),
        "hessian_lambda_max": f(eigH[-1]), "hessian_lambda_min": f(eigH[0]),
        "critical_lr_with_replacement": crit["with"], "critical_lr_without_replacement": crit["without"],
        "gd_critical_lr": gd_crit, "rho_at_lr_with_replacement": rho(Theta, n, K, B, lr, "with"),
        "gd_lr": gd_lr, "gd_steps": GD_STEPS, "gd_losses": losses,
        "theta": [f(v) for v in th],
        "checks": {
            "jacobian_fd_max_rel_err": jac_fd,
            "hessian_analytic_vs_fd_max_abs": hess_fd,
            "hessian_fd_two_steps_max_abs": hess_steps,
            "hessian_max_abs_entry": f(np.max(np.abs(H))),
            "ntk_condition_number": f(eigT[-1] / eigT[0]),
            "min_selection_margin_at_theta": margin,
            "min_selection_margin_along_gd": gd_margin,
            "gd_losses_perturbation_amplification": gd_amp,
        },
    }


# ----------------------------------------------------------------------------------------------
# Cases.
# ----------------------------------------------------------------------------------------------
def random_theta(rng, model):
    """Weights ~ N(0, 2/fan_in) (He), biases ~ 0.3 N(0, 1), by walking the named tensors' shapes."""
    th = np.zeros(model.p)
    pos = 0
    for name, arr in model.seq.named_tensors(np.zeros(model.p)):
        size = arr.size
        if name.endswith("weight"):
            fan_in = size // arr.shape[0]
            th[pos:pos + size] = rng.standard_normal(size) * math.sqrt(2.0 / fan_in)
        else:
            th[pos:pos + size] = 0.3 * rng.standard_normal(size)
        pos += size
    return th


def case_cnn_relu_avgpool():
    rng = np.random.default_rng(2006)
    shape, n, K = (2, 6, 6), 6, 2
    layers = [{"type": "conv2d", "in_channels": 2, "out_channels": 3, "kernel_size": 3, "padding": 1},
              {"type": "relu"},
              {"type": "avgpool2d", "kernel_size": 2},
              {"type": "flatten"},
              {"type": "linear", "in": 27, "out": K}]
    model = Model(layers, shape)
    X = rng.standard_normal((n,) + shape)
    teacher = random_theta(rng, model)
    Y = model.outputs(teacher, X) + 0.1 * rng.standard_normal((n, K))
    return layers, shape, model, random_theta(rng, model), X, Y, dict(lr=0.08, B=2, gd_lr=0.05)


def case_cnn_residual_maxpool():
    rng = np.random.default_rng(2001)
    shape, n, K = (1, 5, 5), 6, 1
    layers = [{"type": "conv2d", "in_channels": 1, "out_channels": 2, "kernel_size": 3, "padding": 1},
              {"type": "tanh"},
              {"type": "residual",
               "body": [{"type": "conv2d", "in_channels": 2, "out_channels": 3, "kernel_size": 3, "stride": 2, "padding": 1},
                        {"type": "tanh"},
                        {"type": "conv2d", "in_channels": 3, "out_channels": 3, "kernel_size": 3, "padding": 1}],
               "shortcut": [{"type": "conv2d", "in_channels": 2, "out_channels": 3, "kernel_size": 1, "stride": 2,
                             "bias": False}]},
              {"type": "relu"},
              {"type": "maxpool2d", "kernel_size": 2, "stride": 1},
              {"type": "global_avgpool"},
              {"type": "flatten"},
              {"type": "linear", "in": 3, "out": K}]
    model = Model(layers, shape)
    X = rng.standard_normal((n,) + shape)
    teacher = random_theta(rng, model)
    Y = model.outputs(teacher, X) + 0.1 * rng.standard_normal((n, K))
    return layers, shape, model, random_theta(rng, model), X, Y, dict(lr=0.085, B=2, gd_lr=0.05)


CASES = {"cnn_relu_avgpool": case_cnn_relu_avgpool, "cnn_residual_maxpool": case_cnn_residual_maxpool}


# ----------------------------------------------------------------------------------------------
# Files.
# ----------------------------------------------------------------------------------------------
def write_safetensors(path, tensors):
    """tensors: list of (name, float64 array) in the order they are laid out (copied from ../golden)."""
    header, blobs, off = {}, [], 0
    for name, arr in tensors:
        a = np.ascontiguousarray(arr, dtype="<f8")
        header[name] = {"dtype": "F64", "shape": list(a.shape), "data_offsets": [off, off + a.size * 8]}
        blobs.append(a.tobytes())
        off += a.size * 8
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((-len(hb)) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(hb)))
        fh.write(hb)
        for b in blobs:
            fh.write(b)


def main():
    for name, make in CASES.items():
        layers, shape, model, th, X, Y, cfg = make()
        expected = analyse(model, th, X, Y, cfg["lr"], cfg["B"], cfg["gd_lr"])
        out = os.path.join(HERE, name)
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "model.json"), "w") as fh:
            json.dump({"input_shape": list(shape), "layers": layers}, fh, indent=2)
            fh.write("\n")
        write_safetensors(os.path.join(out, "weights.safetensors"), model.seq.named_tensors(th))
        np.save(os.path.join(out, "X.npy"), np.ascontiguousarray(X, dtype=np.float64))
        np.save(os.path.join(out, "Y.npy"), np.ascontiguousarray(Y, dtype=np.float64))
        with open(os.path.join(out, "expected.json"), "w") as fh:
            json.dump(expected, fh, indent=2)
            fh.write("\n")
        c = expected["checks"]
        print(f"{name}: n={expected['n']} K={expected['K']} p={expected['p']} mu={expected['mu']:.4g} "
              f"eta*={expected['critical_lr_with_replacement']:.6g} gd*={expected['gd_critical_lr']:.6g} "
              f"rho(lr)={expected['rho_at_lr_with_replacement']:.6g} gd_losses={[f'{v:.4g}' for v in expected['gd_losses']]}")
        print("   " + " ".join(f"{k}={v:.2e}" for k, v in c.items()))


if __name__ == "__main__":
    main()

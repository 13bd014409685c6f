#!/usr/bin/env python3
"""Independent NumPy reference ("golden") values for the sgd-stability Java engine.

Run from anywhere with ``python3 make_golden.py``; it rewrites ``<case>/`` next to this file:
``model.json``, ``weights.safetensors``, ``X.npy``, ``Y.npy``, ``expected.json``.
Only numpy and the standard library are used. Everything is computed the *direct* way:

* per-sample Jacobians J_i (K x p) by an explicit per-sample, per-output reverse-mode loop,
  checked against central differences of f and against a forward-mode pass;
* Sigma1, Sigma2, Sigma, G and the Hessian H as explicit p x p matrices; H by exact
  second-order forward mode (value, gradient, Hessian propagated through every layer),
  checked against Richardson-extrapolated central differences of the analytic gradient;
* critical learning rates from the explicit (nK)^2 x (nK)^2 second-moment map T_eta on vec(N),
  cross-checked against the symmetric reduced form of theory.md section 5, and E[SNS] checked
  against exact enumeration over all index tuples.

The definitions are those of docs/theory.md (sections 2 and 5). See README.md for the layout.
"""
import os

# Single-threaded BLAS: keeps the floating-point summation order, hence the output bytes, fixed.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import itertools  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import struct  # noqa: E402

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GD_STEPS = [0, 1, 10, 100, 200]
BISECTION_RTOL = 1e-13

# Check thresholds (asserted; the achieved values are written to expected.json and README.md).
JAC_FD_TOL = 1e-8         # central differences of f with Richardson, h = 1e-4 and 5e-5
JAC_MODES_TOL = 1e-13     # reverse mode vs forward mode: same maths, different rounding
HESS_FD_TOL = 1e-8        # Richardson differences of the gradient, h = 2e-3 and 1e-3
RHO_FORMS_TOL = 1e-10     # explicit T_eta (nonsymmetric eig) vs symmetric reduced form (eigh)
ETA_FORMS_RTOL = 1e-9     # critical rates from the two forms


# ----------------------------------------------------------------------------------------------
# Activations: value, first and second derivative.
# ----------------------------------------------------------------------------------------------
_ERF = np.vectorize(math.erf, otypes=[np.float64])
_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_INV_SQRT2PI = 1.0 / math.sqrt(2.0 * math.pi)


def act(kind, z):
    """Return (s(z), s'(z), s''(z)) elementwise."""
    if kind == "relu":
        on = (z > 0).astype(np.float64)
        return z * on, on, np.zeros_like(z)
    if kind == "tanh":
        t = np.tanh(z)
        d1 = 1.0 - t * t
        return t, d1, -2.0 * t * d1
    if kind == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        d1 = s * (1.0 - s)
        return s, d1, d1 * (1.0 - 2.0 * s)
    if kind == "gelu":  # exact erf form, x * Phi(x)
        cdf = 0.5 * (1.0 + _ERF(z * _INV_SQRT2))
        pdf = _INV_SQRT2PI * np.exp(-0.5 * z * z)
        return z * cdf, cdf + z * pdf, pdf * (2.0 - z * z)
    if kind == "identity":
        return z.copy(), np.ones_like(z), np.zeros_like(z)
    raise ValueError(kind)


# ----------------------------------------------------------------------------------------------
# Model: list of layer dicts (model.json) + parameter arrays.
# ----------------------------------------------------------------------------------------------
class Model:
    def __init__(self, layers, params):
        """layers: model.json layer dicts; params: {layer_index: {"weight"/"bias"/"u"/"v": array}}."""
        self.layers = layers
        self.params = params
        # Offsets of each trainable layer's block in theta.
        self.offsets = {}
        p = 0
        for i, spec in enumerate(layers):
            if spec["type"] == "linear" and spec.get("trainable", True):
                self.offsets[i] = p
                p += spec["out"] * spec["in"] + (spec["out"] if spec.get("bias", True) else 0)
            elif spec["type"] == "diagonal":
                self.offsets[i] = p
                p += 2 * spec["dim"]
        self.p = p

    def theta(self):
        parts = []
        for i, spec in enumerate(self.layers):
            if i not in self.offsets:
                continue
            prm = self.params[i]
            if spec["type"] == "linear":
                parts.append(prm["weight"].reshape(-1))
                if spec.get("bias", True):
                    parts.append(prm["bias"])
            else:
                parts.append(prm["u"])
                parts.append(prm["v"])
        return np.concatenate(parts).copy()

    def with_theta(self, theta):
        params = {i: {k: v.copy() for k, v in prm.items()} for i, prm in self.params.items()}
        for i, spec in enumerate(self.layers):
            if i not in self.offsets:
                continue
            o = self.offsets[i]
            if spec["type"] == "linear":
                nw = spec["out"] * spec["in"]
                params[i]["weight"] = theta[o:o + nw].reshape(spec["out"], spec["in"]).copy()
                if spec.get("bias", True):
                    params[i]["bias"] = theta[o + nw:o + nw + spec["out"]].copy()
            else:
                m = spec["dim"]
                params[i]["u"] = theta[o:o + m].copy()
                params[i]["v"] = theta[o + m:o + 2 * m].copy()
        return Model(self.layers, params)

    # -- plain forward, storing what reverse mode needs --------------------------------------
    def forward(self, x):
        a = np.asarray(x, dtype=np.float64)
        tape = []
        for i, spec in enumerate(self.layers):
            t = spec["type"]
            if t == "linear":
                prm = self.params[i]
                z = prm["weight"] @ a
                if spec.get("bias", True):
                    z = z + prm["bias"]
                tape.append(a)
                a = z
            elif t == "diagonal":
                prm = self.params[i]
                tape.append(a)
                a = (prm["u"] ** 2 - prm["v"] ** 2) * a
            else:
                tape.append(a)
                a = act(t, a)[0]
        return a, tape

    def relu_inputs(self, x):
        """Pre-activations entering every ReLU (to keep finite differences off the kinks)."""
        _, tape = self.forward(x)
        return [tape[i] for i, s in enumerate(self.layers) if s["type"] == "relu"]

    # -- reverse mode: one backward pass per sample and per output ---------------------------
    def jacobian_reverse(self, x):
        out, tape = self.forward(x)
        K = out.shape[0]
        J = np.zeros((K, self.p))
        for k in range(K):
            delta = np.zeros(K)
            delta[k] = 1.0
            for i in range(len(self.layers) - 1, -1, -1):
                spec = self.layers[i]
                t = spec["type"]
                a_in = tape[i]
                if t == "linear":
                    W = self.params[i]["weight"]
                    if i in self.offsets:
                        o = self.offsets[i]
                        nw = spec["out"] * spec["in"]
                        J[k, o:o + nw] = np.outer(delta, a_in).reshape(-1)
                        if spec.get("bias", True):
                            J[k, o + nw:o + nw + spec["out"]] = delta
                    delta = W.T @ delta
                elif t == "diagonal":
                    u, v = self.params[i]["u"], self.params[i]["v"]
                    o, m = self.offsets[i], spec["dim"]
                    J[k, o:o + m] = delta * 2.0 * u * a_in
                    J[k, o + m:o + 2 * m] = -delta * 2.0 * v * a_in
                    delta = (u ** 2 - v ** 2) * delta
                else:
                    delta = act(t, a_in)[1] * delta
        return out, J

    # -- second-order forward mode: (value, d/dtheta, d2/dtheta2) through every layer --------
    def forward_second_order(self, x):
        p = self.p
        v = np.asarray(x, dtype=np.float64).copy()
        g = np.zeros((v.shape[0], p))
        H = np.zeros((v.shape[0], p, p))
        for i, spec in enumerate(self.layers):
            t = spec["type"]
            if t == "linear":
                W = self.params[i]["weight"]
                nv = W @ v
                ng = W @ g
                nH = np.einsum("oi,iab->oab", W, H)
                if spec.get("bias", True):
                    nv = nv + self.params[i]["bias"]
                if i in self.offsets:
                    o = self.offsets[i]
                    n_in, n_out = spec["in"], spec["out"]
                    for r in range(n_out):
                        for c in range(n_in):
                            idx = o + r * n_in + c
                            ng[r, idx] += v[c]
                            # d2(W_rc v_c) = e_idx g_c^T + g_c e_idx^T
                            nH[r, idx, :] += g[c]
                            nH[r, :, idx] += g[c]
                        if spec.get("bias", True):
                            ng[r, o + n_out * n_in + r] += 1.0
                v, g, H = nv, ng, nH
            elif t == "diagonal":
                u, w_v = self.params[i]["u"], self.params[i]["v"]
                o, m = self.offsets[i], spec["dim"]
                w = u ** 2 - w_v ** 2
                nv = w * v
                ng = w[:, None] * g
                nH = w[:, None, None] * H
                for j in range(m):
                    wg = np.zeros(p)
                    wg[o + j] = 2.0 * u[j]
                    wg[o + m + j] = -2.0 * w_v[j]
                    ng[j] += v[j] * wg
                    nH[j] += np.outer(wg, g[j]) + np.outer(g[j], wg)
                    nH[j, o + j, o + j] += 2.0 * v[j]
                    nH[j, o + m + j, o + m + j] -= 2.0 * v[j]
                v, g, H = nv, ng, nH
            else:
                s0, s1, s2 = act(t, v)
                H = s1[:, None, None] * H + s2[:, None, None] * (g[:, :, None] * g[:, None, :])
                g = s1[:, None] * g
                v = s0
        return v, g, H


def run_gd(model, theta, X, Y, gd_lr):
    """Losses at GD_STEPS of full-batch GD; asserts monotone decrease; min |ReLU input| seen."""
    losses = []
    m = model.with_theta(theta)
    th = theta.copy()
    prev = math.inf
    relu_margin = math.inf
    for t in range(GD_STEPS[-1] + 1):
        Lt, gt = loss_and_grad(m, X, Y)
        for x in X:
            for z in m.relu_inputs(x):
                relu_margin = min(relu_margin, float(np.min(np.abs(z))))
        assert Lt <= prev * (1 + 1e-12), "GD loss increased: gd_lr too large"
        prev = Lt
        if t in GD_STEPS:
            losses.append(Lt)
        th = th - gd_lr * gt
        m = model.with_theta(th)
    return losses, relu_margin


def loss_and_grad(model, X, Y):
    n = X.shape[0]
    L = 0.0
    grad = np.zeros(model.p)
    for i in range(n):
        out, J = model.jacobian_reverse(X[i])
        e = out - Y[i]
        L += 0.5 * float(e @ e)
        grad += J.T @ e
    return L / n, grad / n


# ----------------------------------------------------------------------------------------------
# File writers.
# ----------------------------------------------------------------------------------------------
def write_safetensors(path, tensors):
    """tensors: list of (name, float64 array) in the order they are laid out."""
    header = {}
    blobs = []
    off = 0
    for name, arr in tensors:
        a = np.ascontiguousarray(arr, dtype="<f8")
        nbytes = a.size * 8
        header[name] = {"dtype": "F64", "shape": list(a.shape), "data_offsets": [off, off + nbytes]}
        blobs.append(a.tobytes())
        off += nbytes
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((-len(hb)) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(hb)))
        fh.write(hb)
        for b in blobs:
            fh.write(b)


def read_safetensors(path):
    with open(path, "rb") as fh:
        raw = fh.read()
    hl = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + hl].decode("utf-8"))
    body = raw[8 + hl:]
    out = {}
    for name, meta in header.items():
        a, b = meta["data_offsets"]
        out[name] = np.frombuffer(body[a:b], dtype="<f8").reshape(meta["shape"])
    return out


def fnum(x):
    x = float(x)
    assert math.isfinite(x), x
    return x


# ----------------------------------------------------------------------------------------------
# Second-moment map of linearised SGD (theory.md section 5).
# ----------------------------------------------------------------------------------------------
def block_mask(n, K):
    """Diagonal of the projector N -> BlockDiag(N) on row-major vec(N), N of size nK x nK."""
    blk = np.repeat(np.arange(n), K)
    return (blk[:, None] == blk[None, :]).reshape(-1).astype(np.float64)


def esns_coeffs(scheme, n, B):
    """E[S N S] = c_diag * BlockDiag(N) + c_full * N  (both schemes written in this form)."""
    if scheme == "with":
        return B / n, B * (B - 1) / n ** 2
    # without: (B/n) BD + q (N - BD), q = B(B-1)/(n(n-1))
    q = B * (B - 1) / (n * (n - 1))
    return B / n - q, q


def t_matrix(theta_ntk, n, K, B, eta, scheme):
    """Explicit (nK)^2 x (nK)^2 matrix of T_eta on row-major vec(N): vec(A N C) = (A kron C^T) vec N."""
    M = n * K
    I = np.eye(M)
    c_diag, c_full = esns_coeffs(scheme, n, B)
    esns = c_full * np.eye(M * M) + c_diag * np.diag(block_mask(n, K))
    return (np.eye(M * M)
            - (eta / n) * (np.kron(theta_ntk, I) + np.kron(I, theta_ntk.T))
            + (eta ** 2 / B ** 2) * np.kron(theta_ntk, theta_ntk.T) @ esns)


def t_apply(theta_ntk, n, K, B, eta, scheme, N):
    """T_eta(N) written out as in theory.md (for the enumeration check)."""
    c_diag, c_full = esns_coeffs(scheme, n, B)
    bd = N * block_mask(n, K).reshape(N.shape)
    esns = c_diag * bd + c_full * N
    return N - (eta / n) * (theta_ntk @ N + N @ theta_ntk) + (eta ** 2 / B ** 2) * theta_ntk @ esns @ theta_ntk


def rho_explicit(theta_ntk, n, K, B, eta, scheme):
    return float(np.max(np.abs(np.linalg.eigvals(t_matrix(theta_ntk, n, K, B, eta, scheme)))))


def sym_form_parts(theta_ntk, n, K):
    lam, U = np.linalg.eigh(theta_ntk)
    A = U * np.sqrt(lam)[None, :]                       # rows of U_r Lambda_r^{1/2}
    hs = [A[i * K:(i + 1) * K].T @ A[i * K:(i + 1) * K] for i in range(n)]  # h_i = A_i^T A_i
    D = np.diag(lam / n)
    return hs, D


def rho_symmetric(parts, n, B, eta, scheme):
    """Largest |eigenvalue| of the self-adjoint reduced map (theory.md section 5), dense, eigh."""
    hs, D = parts
    r = D.shape[0]
    I = np.eye(r)
    hh = sum(np.kron(h, h) for h in hs)                 # P -> sum_i h_i P h_i (h symmetric)
    if scheme == "with":
        a, b = 1.0 / (B * n), (B - 1) / B
    else:
        a, b = (1.0 - (B - 1) / (n - 1)) / (B * n), (B - 1) * n / (B * (n - 1))
    T = np.eye(r * r) - eta * (np.kron(D, I) + np.kron(I, D)) + eta ** 2 * (a * hh + b * np.kron(D, D))
    T = 0.5 * (T + T.T)
    return float(np.max(np.abs(np.linalg.eigvalsh(T))))


def critical_lr(rho, eta_hi):
    """eta* with rho(eta*) = 1 by bisection on the predicate rho > 1, to relative BISECTION_RTOL."""
    lo, hi = 0.0, eta_hi
    assert rho(hi) > 1.0, "upper bracket is not unstable"
    while hi - lo > BISECTION_RTOL * hi:
        mid = 0.5 * (lo + hi)
        if rho(mid) > 1.0:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def check_esns_enumeration():
    """E[S N S] and one full step of T_eta against exact enumeration of every index tuple."""
    rng = np.random.default_rng(7)
    worst = 0.0
    for n, K, B in [(3, 2, 2), (4, 1, 3), (3, 1, 3), (4, 2, 2)]:
        M = n * K
        R = rng.standard_normal((M, M))
        N = R @ R.T
        Jt = rng.standard_normal((M, M + 2))
        th = Jt @ Jt.T
        eta = 0.07

        def proj(idx):
            S = np.zeros((M, M))
            for i in idx:
                S[i * K:(i + 1) * K, i * K:(i + 1) * K] += np.eye(K)
            return S

        for scheme in ("with", "without"):
            if scheme == "with":
                tuples = list(itertools.product(range(n), repeat=B))
            else:
                tuples = list(itertools.permutations(range(n), B))
            esns = np.zeros((M, M))
            step = np.zeros((M, M))
            for idx in tuples:
                S = proj(idx)
                esns += S @ N @ S
                Mop = np.eye(M) - (eta / B) * th @ S
                step += Mop @ N @ Mop.T
            esns /= len(tuples)
            step /= len(tuples)
            c_diag, c_full = esns_coeffs(scheme, n, B)
            formula = c_diag * (N * block_mask(n, K).reshape(M, M)) + c_full * N
            worst = max(worst, float(np.max(np.abs(esns - formula)) / np.max(np.abs(esns))))
            t_kron = (t_matrix(th, n, K, B, eta, scheme) @ N.reshape(-1)).reshape(M, M)
            t_dir = t_apply(th, n, K, B, eta, scheme, N)
            worst = max(worst, float(np.max(np.abs(step - t_kron)) / np.max(np.abs(step))))
            worst = max(worst, float(np.max(np.abs(step - t_dir)) / np.max(np.abs(step))))
    assert worst < 1e-13, worst
    return worst


# ----------------------------------------------------------------------------------------------
# Finite-difference checks.
# ----------------------------------------------------------------------------------------------
def richardson_central(fun, theta, j, h):
    """(4 D(h/2) - D(h)) / 3 with D the central difference along coordinate j; error O(h^4)."""
    def d(step):
        tp = theta.copy()
        tm = theta.copy()
        tp[j] += step
        tm[j] -= step
        return (fun(tp) - fun(tm)) / (2.0 * step)
    return (4.0 * d(0.5 * h) - d(h)) / 3.0


def relu_pattern(model, X):
    return [tuple((z > 0).tolist()) for x in X for z in model.relu_inputs(x)]


def check_jacobian(model, X, J_all):
    theta = model.theta()
    base = relu_pattern(model, X)
    worst = 0.0
    h = 1e-4
    for j in range(model.p):
        for s in (-h, h):
            tp = theta.copy()
            tp[j] += s
            assert relu_pattern(model.with_theta(tp), X) == base, "FD step crosses a ReLU kink"

        def outs(t):
            m = model.with_theta(t)
            return np.stack([m.forward(x)[0] for x in X])
        col = richardson_central(outs, theta, j, h)
        worst = max(worst, float(np.max(np.abs(col - J_all[:, :, j]))))
    scale = float(np.max(np.abs(J_all)))
    assert worst <= JAC_FD_TOL * scale, (worst, scale)
    return worst / scale


def fd_hessian(model, X, Y, h):
    theta = model.theta()

    def grad(t):
        return loss_and_grad(model.with_theta(t), X, Y)[1]
    Hfd = np.stack([richardson_central(grad, theta, j, h) for j in range(model.p)], axis=1)
    return 0.5 * (Hfd + Hfd.T)


def check_relu_margin(model, X, h):
    theta = model.theta()
    base = relu_pattern(model, X)
    for j in range(model.p):
        for s in (-h, h):
            tp = theta.copy()
            tp[j] += s
            assert relu_pattern(model.with_theta(tp), X) == base, "FD step crosses a ReLU kink"


# ----------------------------------------------------------------------------------------------
# All quantities of one case.
# ----------------------------------------------------------------------------------------------
def analyse(model, X, Y, lr, B, gd_lr, feature_model):
    n, d = X.shape
    K = Y.shape[1]
    p = model.p
    theta = model.theta()

    outs, J_rev, J_fwd, H_f = [], [], [], []
    for i in range(n):
        o, J = model.jacobian_reverse(X[i])
        v, g, Hf = model.forward_second_order(X[i])
        outs.append(o)
        J_rev.append(J)
        J_fwd.append(g)
        H_f.append(Hf)
        assert np.max(np.abs(v - o)) <= 1e-14 * max(1.0, np.max(np.abs(o)))
    F = np.stack(outs)
    J_all = np.stack(J_rev)                             # (n, K, p)
    modes_err = float(np.max(np.abs(J_all - np.stack(J_fwd))) / np.max(np.abs(J_all)))
    assert modes_err < JAC_MODES_TOL, modes_err
    jac_fd_err = check_jacobian(model, X, J_all)

    E = F - Y                                           # residuals e_i
    loss = 0.5 * float(np.sum(E * E)) / n
    grads_i = np.einsum("ikp,ik->ip", J_all, E)         # grad L_i = J_i^T e_i
    grad = grads_i.mean(axis=0)
    G = sum(J_all[i].T @ J_all[i] for i in range(n)) / n
    Sigma1 = sum(np.outer(grads_i[i], grads_i[i]) for i in range(n)) / n
    Sigma2 = np.outer(grad, grad)
    Sigma = Sigma1 - Sigma2

    # Full Hessian: G plus the residual term, from the second-order forward pass.
    resid_term = sum(np.einsum("k,kab->ab", E[i], H_f[i]) for i in range(n)) / n
    H = G + resid_term
    H = 0.5 * (H + H.T)

    # Accuracy of H: Richardson differences of the analytic gradient at two step sizes.
    check_relu_margin(model, X, 2e-3)
    H_fd1 = fd_hessian(model, X, Y, 2e-3)
    H_fd2 = fd_hessian(model, X, Y, 1e-3)
    fd_step_disc = float(np.max(np.abs(H_fd1 - H_fd2)))
    hess_vs_fd = float(np.max(np.abs(H - H_fd2)))
    assert hess_vs_fd <= HESS_FD_TOL * max(1.0, np.max(np.abs(H))), hess_vs_fd
    # At an exact interpolating fit (targets := current outputs) the residual term vanishes: H = G.
    H_interp = fd_hessian(model, X, F.copy(), 1e-3)
    interp_err = float(np.max(np.abs(H_interp - G)))
    assert interp_err <= HESS_FD_TOL * max(1.0, np.max(np.abs(G))), interp_err

    G_fro = float(np.linalg.norm(G, "fro"))
    S_fro = float(np.linalg.norm(Sigma, "fro"))
    eigG = np.linalg.eigvalsh(G)
    lam1 = float(eigG[-1])
    trSG = float(np.trace(Sigma @ G))
    trS1G = float(np.trace(Sigma1 @ G))
    trS2G = float(np.trace(Sigma2 @ G))
    alpha = trSG / (G_fro * S_fro)
    beta = S_fro / (2.0 * loss * G_fro)
    mu = trSG / (2.0 * loss * G_fro ** 2)
    mu1 = trS1G / (2.0 * loss * G_fro ** 2)
    mu2 = trS2G / (2.0 * loss * G_fro ** 2)
    chi = np.array([np.trace(J_all[i] @ G @ J_all[i].T) for i in range(n)])
    gamma = float(chi.min() / chi.mean())
    tau = lam1 ** 2 / G_fro ** 2
    assert mu > 0 and abs(mu - alpha * beta) <= 1e-12 * mu and abs(mu - (mu1 - mu2)) <= 1e-12 * mu1
    if K == 1:
        assert mu1 >= gamma * (1 - 1e-12), (mu1, gamma)             # Lemma 2.2
    if feature_model:
        assert mu2 <= tau * (1 + 1e-12) and mu >= gamma - tau - 1e-12  # Lemma 2.4

    eigH = np.linalg.eigvalsh(H)
    bound33 = math.sqrt(B / mu) / lr
    bound34 = (2.0 * B / mu1 if B == 1 else min(B / math.sqrt((B - 1) * mu1), 2.0 * B / mu1)) / lr

    # Linear stability from the explicit NTK Gram matrix Theta = J J^T.
    Jmat = J_all.reshape(n * K, p)
    Theta = Jmat @ Jmat.T
    Theta = 0.5 * (Theta + Theta.T)
    eigT = np.linalg.eigvalsh(Theta)
    assert p > n * K and eigT[0] > 1e-8 * eigT[-1], "Theta must have full rank"
    gd_crit = 2.0 / (eigT[-1] / n)
    parts = sym_form_parts(Theta, n, K)
    crit = {}
    forms_gap = 0.0
    rho_gap = 0.0
    for scheme in ("with", "without"):
        crit[scheme] = critical_lr(lambda eta: rho_explicit(Theta, n, K, B, eta, scheme), 1.01 * gd_crit)
        crit_sym = critical_lr(lambda eta: rho_symmetric(parts, n, B, eta, scheme), 1.01 * gd_crit)
        forms_gap = max(forms_gap, abs(crit[scheme] - crit_sym) / crit[scheme])
        for frac in (0.3, 0.9, 1.1):
            eta = frac * crit[scheme]
            gap = abs(rho_explicit(Theta, n, K, B, eta, scheme) - rho_symmetric(parts, n, B, eta, scheme))
            assert gap < RHO_FORMS_TOL, gap
            rho_gap = max(rho_gap, gap)
    assert forms_gap < ETA_FORMS_RTOL, forms_gap
    # GD (without replacement, B = n) must reproduce 2 / lambda_max(Theta / n).
    gd_from_map = critical_lr(lambda eta: rho_explicit(Theta, n, K, n, eta, "without"), 1.01 * gd_crit)
    assert abs(gd_from_map - gd_crit) <= 1e-11 * gd_crit, (gd_from_map, gd_crit)
    rho_lr = rho_explicit(Theta, n, K, B, lr, "with")

    # Full-batch GD on the nonlinear model.
    gd_losses, relu_margin = run_gd(model, theta, X, Y, gd_lr)
    # Sensitivity of the trajectory to a 1e-12 relative perturbation of theta: shows how much
    # rounding differences between implementations can be amplified over 200 steps.
    pert = theta * (1.0 + 1e-12 * np.random.default_rng(99).choice([-1.0, 1.0], size=theta.shape))
    gd_pert, _ = run_gd(model, pert, X, Y, gd_lr)
    gd_amp = max(abs(a - b) / abs(a) for a, b in zip(gd_losses, gd_pert)) / 1e-12
    assert gd_losses[-1] < 0.5 * gd_losses[0], "GD loss did not change substantially"
    # A ReLU input within rounding of 0 would make the trajectory ill-conditioned across implementations.
    assert relu_margin > 1e-6, relu_margin

    return {
        "lr": fnum(lr), "batch_size": int(B),
        "n": int(n), "d": int(d), "K": int(K), "p": int(p),
        "loss": fnum(loss),
        "grad_norm": fnum(np.linalg.norm(grad)),
        "fisher_trace": fnum(np.trace(G)),
        "fisher_frobenius": fnum(G_fro),
        "fisher_lambda_max": fnum(lam1),
        "tr_sigma_g": fnum(trSG),
        "sigma_frobenius": fnum(S_fro),
        "alpha": fnum(alpha), "beta": fnum(beta), "mu": fnum(mu), "mu1": fnum(mu1), "mu2": fnum(mu2),
        "gamma": fnum(gamma), "tau": fnum(tau),
        "bound_thm33": fnum(bound33), "bound_prop34": fnum(bound34), "gd_bound_lambda": fnum(2.0 / lr),
        "hessian_frobenius": fnum(np.linalg.norm(H, "fro")),
        "hessian_trace": fnum(np.trace(H)),
        "hessian_lambda_max": fnum(eigH[-1]),
        "hessian_lambda_min": fnum(eigH[0]),
        "hessian_abs_accuracy": fnum(hess_vs_fd),
        "critical_lr_with_replacement": fnum(crit["with"]),
        "critical_lr_without_replacement": fnum(crit["without"]),
        "gd_critical_lr": fnum(gd_crit),
        "rho_at_lr_with_replacement": fnum(rho_lr),
        "gd_lr": fnum(gd_lr),
        "gd_steps": GD_STEPS,
        "gd_losses": [fnum(v) for v in gd_losses],
        "theta": [fnum(v) for v in theta],
        "checks": {
            "jacobian_fd_max_rel_err": fnum(jac_fd_err),
            "jacobian_reverse_vs_forward_max_rel_err": fnum(modes_err),
            "hessian_analytic_vs_fd_max_abs": fnum(hess_vs_fd),
            "hessian_fd_two_steps_max_abs": fnum(fd_step_disc),
            "hessian_fd_at_interpolation_vs_fisher_max_abs": fnum(interp_err),
            "hessian_max_abs_entry": fnum(np.max(np.abs(H))),
            "ntk_condition_number": fnum(eigT[-1] / eigT[0]),
            "critical_lr_explicit_vs_symmetric_form_rel": fnum(forms_gap),
            "rho_explicit_vs_symmetric_form_max_abs": fnum(rho_gap),
            "gd_critical_lr_from_map_rel": fnum(abs(gd_from_map - gd_crit) / gd_crit),
            "gd_losses_perturbation_amplification": fnum(gd_amp),
            "sigma1_fro_sq_over_sigma_fro_sq": fnum(np.linalg.norm(Sigma1, "fro") ** 2 / S_fro ** 2),
            **({"gd_trajectory_min_abs_relu_input": fnum(relu_margin)} if math.isfinite(relu_margin) else {}),
        },
    }


# ----------------------------------------------------------------------------------------------
# Cases.
# ----------------------------------------------------------------------------------------------
def init_linear(rng, n_in, n_out, bias, scale=1.0):
    prm = {"weight": scale * rng.standard_normal((n_out, n_in)) / math.sqrt(n_in)}
    if bias:
        prm["bias"] = 0.3 * rng.standard_normal(n_out)
    return prm


def random_params(rng, layers):
    params = {}
    for i, s in enumerate(layers):
        if s["type"] == "linear":
            params[i] = init_linear(rng, s["in"], s["out"], s.get("bias", True))
        elif s["type"] == "diagonal":
            params[i] = {"u": 0.5 + 0.5 * rng.random(s["dim"]), "v": 0.5 + 0.5 * rng.random(s["dim"])}
    return params


def teacher_targets(rng, layers, X, noise):
    teacher = Model(layers, random_params(rng, layers))
    Y = np.stack([teacher.forward(x)[0] for x in X])
    return Y + noise * rng.standard_normal(Y.shape)


def case_mlp_tanh_k1():
    rng = np.random.default_rng(1001)
    n, d = 8, 4
    layers = [{"type": "linear", "in": d, "out": 6, "bias": True}, {"type": "tanh"},
              {"type": "linear", "in": 6, "out": 1, "bias": True}]
    X = rng.standard_normal((n, d))
    Y = teacher_targets(rng, layers, X, 0.1)           # a different teacher: away from a minimum
    return layers, random_params(rng, layers), X, Y, dict(lr=0.4, B=2, gd_lr=0.2, feature_model=False)


def case_mlp_relu_k3():
    rng = np.random.default_rng(1002)
    n, d, K = 5, 3, 3
    layers = [{"type": "linear", "in": d, "out": 5, "bias": True, "trainable": True}, {"type": "relu"},
              {"type": "linear", "in": 5, "out": 5, "bias": True, "trainable": True}, {"type": "gelu"},
              {"type": "linear", "in": 5, "out": K, "bias": True, "trainable": True}]
    X = rng.standard_normal((n, d))
    Y = np.eye(K)[rng.integers(0, K, n)]               # one-hot classes, square loss
    return layers, random_params(rng, layers), X, Y, dict(lr=0.2, B=3, gd_lr=0.1, feature_model=False)


def case_frozen_random_features():
    rng = np.random.default_rng(1003)
    n, d, m = 6, 4, 8
    layers = [{"type": "linear", "in": d, "out": m, "bias": False, "trainable": False}, {"type": "relu"},
              {"type": "linear", "in": m, "out": 1, "bias": False, "trainable": True}]
    X = rng.standard_normal((n, d))
    params = random_params(rng, layers)
    Y = np.sin(X @ np.array([1.0, -0.5, 0.7, 0.2]))[:, None] + 0.1 * rng.standard_normal((n, 1))
    return layers, params, X, Y, dict(lr=0.3, B=1, gd_lr=0.3, feature_model=True)


def case_diagonal_linear():
    rng = np.random.default_rng(1004)
    n, d = 5, 5
    layers = [{"type": "diagonal", "dim": d},
              {"type": "linear", "in": d, "out": 1, "bias": False, "trainable": False}]
    params = random_params(rng, layers)
    params[1] = {"weight": np.ones((1, d))}
    X = rng.standard_normal((n, d))
    beta_star = np.array([1.5, 0.0, -1.0, 0.0, 0.0])    # sparse teacher
    Y = (X @ beta_star)[:, None] + 0.1 * rng.standard_normal((n, 1))
    return layers, params, X, Y, dict(lr=0.155, B=2, gd_lr=0.02, feature_model=False)


def case_deep_linear():
    rng = np.random.default_rng(1005)
    n, d = 5, 5
    layers = [{"type": "linear", "in": d, "out": 4, "bias": False, "trainable": True}, {"type": "identity"},
              {"type": "linear", "in": 4, "out": 3, "bias": False, "trainable": True},
              {"type": "linear", "in": 3, "out": 1, "bias": False, "trainable": True}]
    X = rng.standard_normal((n, d))
    Y = (X @ rng.standard_normal(d))[:, None] + 0.1 * rng.standard_normal((n, 1))
    return layers, random_params(rng, layers), X, Y, dict(lr=1.0, B=4, gd_lr=0.05, feature_model=False)


CASES = {
    "mlp_tanh_k1": case_mlp_tanh_k1,
    "mlp_relu_k3": case_mlp_relu_k3,
    "frozen_random_features": case_frozen_random_features,
    "diagonal_linear": case_diagonal_linear,
    "deep_linear": case_deep_linear,
}


def write_case(name, layers, params, X, Y, expected):
    out = os.path.join(HERE, name)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "model.json"), "w") as fh:
        json.dump({"layers": layers}, fh, indent=2)
        fh.write("\n")
    tensors = []
    for i in sorted(params):
        for key in ("weight", "bias", "u", "v"):
            if key in params[i]:
                tensors.append((f"{i}.{key}", params[i][key]))
    write_safetensors(os.path.join(out, "weights.safetensors"), tensors)
    np.save(os.path.join(out, "X.npy"), np.ascontiguousarray(X, dtype=np.float64))
    np.save(os.path.join(out, "Y.npy"), np.ascontiguousarray(Y, dtype=np.float64))
    with open(os.path.join(out, "expected.json"), "w") as fh:
        json.dump(expected, fh, indent=2)
        fh.write("\n")
    # Round trip: what the Java side will read gives back the same theta.
    back = read_safetensors(os.path.join(out, "weights.safetensors"))
    for i in params:
        for key, arr in params[i].items():
            assert np.array_equal(back[f"{i}.{key}"], arr)


def main():
    enum_err = check_esns_enumeration()
    print(f"E[SNS] and T_eta vs exact enumeration: max rel err {enum_err:.2e}")
    for name, make in CASES.items():
        layers, params, X, Y, cfg = make()
        model = Model(layers, params)
        expected = analyse(model, X, Y, cfg["lr"], cfg["B"], cfg["gd_lr"], cfg["feature_model"])
        expected["checks"]["esns_enumeration_max_rel_err"] = fnum(enum_err)
        write_case(name, layers, params, X, Y, expected)
        c = expected["checks"]
        print(f"{name}: n={expected['n']} d={expected['d']} K={expected['K']} p={expected['p']} "
              f"mu={expected['mu']:.4g} rho(lr)={expected['rho_at_lr_with_replacement']:.6g} "
              f"eta*_w={expected['critical_lr_with_replacement']:.6g} "
              f"eta*_wo={expected['critical_lr_without_replacement']:.6g} gd*={expected['gd_critical_lr']:.6g} "
              f"gd_losses={[f'{v:.4g}' for v in expected['gd_losses']]}")
        print("   " + " ".join(f"{k}={v:.2e}" for k, v in c.items()))


if __name__ == "__main__":
    main()

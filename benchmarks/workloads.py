"""The benchmark workloads, written out once per engine.

Every workload function takes plain-float inputs (data and initial parameters), builds
its own nodes, runs forward and backward, and returns ``(value, gradients, root)``, the
first two as plain floats so that the engines can be cross-checked against each other.
The model code is written here for each engine, in the style its users would write it:
it does not use ``minigrad.nn``. minigrad's code computes ``w·x + b`` with ``minigrad.dot``
(one node, as ``minigrad.nn`` does) and totals the loss terms with ``minigrad.sum``; the
others chain ``*`` and ``+``.

Engines: ``minigrad``; ``micrograd`` (the PyPI package, 0.1.0); ``torch`` (0-d float64
tensors, when importable); ``floats`` (hand-written Python float code computing the same
forward pass and the same gradient by hand).

micrograd 0.1.0 has ``+ - * / **`` and ``relu`` but no ``exp``, ``log`` or ``sigmoid``;
the logistic-regression workload adds ``sigmoid`` and ``log`` for it below, written the
way micrograd writes its own operations (a node plus a ``_backward`` closure).
"""

# ruff: noqa: B905 - the model code zips as its users write it, without strict= checks in the timed loops
from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Outcome = tuple[float, list[float], Any]
"""What a workload returns: the loss (or chain output), the gradients, and the graph's root.

The root is handed back so that the benchmark frees the graph after it stops the clock:
minigrad's graph is freed by reference counting the moment it is dropped, micrograd's
(closures make reference cycles) only by a later garbage collection, so freeing inside the
timed region would charge one and not the other.
"""

# ---------------------------------------------------------------------------- data


@dataclass(frozen=True)
class LogRegData:
    """m points with d features, 0/1 targets, and initial weights and bias."""

    X: list[list[float]]
    Y: list[float]
    w: list[float]
    b: float


@dataclass(frozen=True)
class MLPData:
    """Points in 2-d, targets, and initial parameters: per layer, per neuron, (weights, bias)."""

    X: list[list[float]]
    Y: list[float]
    layers: list[list[tuple[list[float], float]]]


def logreg_data(m: int = 200, d: int = 10, seed: int = 0) -> LogRegData:
    rng = random.Random(seed)
    true_w = [rng.gauss(0.0, 1.0) for _ in range(d)]
    X = [[rng.gauss(0.0, 1.0) for _ in range(d)] for _ in range(m)]
    Y = [1.0 if sum(w * x for w, x in zip(true_w, row)) + rng.gauss(0.0, 0.5) > 0 else 0.0 for row in X]
    return LogRegData(X, Y, [rng.uniform(-0.1, 0.1) for _ in range(d)], 0.0)


def mlp_data(n: int = 100, sizes: tuple[int, ...] = (2, 16, 16, 1), seed: int = 0) -> MLPData:
    rng = random.Random(seed)
    X = [[rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)] for _ in range(n)]
    Y = [math.sin(3.0 * x0) * x1 for x0, x1 in X]
    layers = []
    for nin, nout in itertools.pairwise(sizes):
        scale = 1.0 / math.sqrt(nin)
        layers.append([([rng.uniform(-scale, scale) for _ in range(nin)], rng.uniform(-0.1, 0.1)) for _ in range(nout)])
    return MLPData(X, Y, layers)


CHAIN_FACTOR, CHAIN_SHIFT = 1.0001, 0.5


def chain_ops(n: int) -> int:
    """Arithmetic operations in an n-step chain: a multiply and an add per step."""
    return 2 * n


def logreg_ops(data: LogRegData) -> int:
    """Arithmetic operations per logistic-regression step (each ``+`` of a sum counted), the same for every engine."""
    m, d = len(data.X), len(data.w)
    # z: d mul + d add; sigmoid; log p; 1 - p; log(1-p); y*·; (1-y)*·; +; neg; sum +; final scale
    return m * (2 * d + 9) + 1


def mlp_ops(data: MLPData) -> int:
    """Arithmetic operations per MLP step (each ``+`` of a sum counted), the same for every engine."""
    per_point = 0
    for i, layer in enumerate(data.layers):
        nin = len(layer[0][0])
        relu = 1 if i < len(data.layers) - 1 else 0
        per_point += len(layer) * (2 * nin + relu)
    per_point += 3  # out - y, d * d, loss + ·
    return len(data.X) * per_point + 1


# ---------------------------------------------------------------------------- minigrad


def minigrad_chain(n: int) -> Outcome:
    from minigrad import Value

    return scalar_outcome(*chained_chain(Value, n))


def logreg_term(w: list[Any], b: Any, x: list[float], y: float) -> Any:
    """One example's cross-entropy, minigrad's model code (``w``, ``b``: Values)."""
    import minigrad

    z = minigrad.dot([*w, b], [*x, 1.0])  # one node for w·x + b
    p = z.sigmoid()
    return -(y * p.log() + (1 - y) * (1 - p).log())


def logreg_loss(w: list[Any], b: Any, data: LogRegData) -> Any:
    import minigrad

    terms = [logreg_term(w, b, x, y) for x, y in zip(data.X, data.Y)]
    return minigrad.sum(terms) * (1.0 / len(data.X))


def minigrad_logreg(data: LogRegData) -> Outcome:
    from minigrad import Value

    w = [Value(v) for v in data.w]
    b = Value(data.b)
    loss = logreg_loss(w, b, data)
    loss.backward()
    return loss.data, [v.grad for v in w] + [b.grad], loss


def mlp_term(params: list[Any], shapes: list[tuple[int, int]], x: list[Any], y: Any) -> Any:
    """One example's squared error, minigrad's model code; ``params`` flat, layer by layer, neuron by neuron."""
    import minigrad

    it = iter(params)
    last = len(shapes) - 1
    h = x
    for i, (nout, nin) in enumerate(shapes):
        out = []
        for _ in range(nout):
            w = [next(it) for _ in range(nin)]
            b = next(it)
            s = minigrad.dot([*w, b], [*h, 1.0])  # one node for w·h + b
            out.append(s.relu() if i < last else s)
        h = out
    d = h[0] - y
    return d * d


def mlp_shapes(data: MLPData) -> list[tuple[int, int]]:
    return [(len(layer), len(layer[0][0])) for layer in data.layers]


def mlp_parameters(data: MLPData) -> list[float]:
    return [p for layer in data.layers for w, b in layer for p in (*w, b)]


def mlp_loss(params: list[Any], data: MLPData) -> Any:
    import minigrad

    shapes = mlp_shapes(data)
    terms = [mlp_term(params, shapes, x, y) for x, y in zip(data.X, data.Y)]
    return minigrad.sum(terms) * (1.0 / len(data.X))


def minigrad_mlp(data: MLPData) -> Outcome:
    from minigrad import Value

    params = [Value(v) for v in mlp_parameters(data)]
    loss = mlp_loss(params, data)
    loss.backward()
    return loss.data, [p.grad for p in params], loss


# ---------------------------------------------------------------------------- minigrad, traced

_PROGRAMS: dict[tuple[str, int], Any] = {}  # traced once per workload and data set: the first call (the warm-up)


def _program(key: tuple[str, int], make: Callable[[], Any]) -> Any:
    if key not in _PROGRAMS:
        _PROGRAMS[key] = make()
    return _PROGRAMS[key]


def traced_chain(n: int) -> Outcome:
    import minigrad

    def chain(x: Any) -> Any:
        for _ in range(n):
            x = x * CHAIN_FACTOR + CHAIN_SHIFT
        return x

    value, grad = _program(("chain", n), lambda: minigrad.trace(chain, 1.0)).value_and_grad(1.0)
    return value, [grad], None


def traced_logreg(data: LogRegData) -> Outcome:
    """The whole step traced to float code (the data baked in as constants), the parameters its arguments."""
    import minigrad

    make = lambda: minigrad.trace(lambda w, b: logreg_loss(w, b, data), data.w, data.b)  # noqa: E731
    value, (gw, gb) = _program(("logreg", id(data)), make).value_and_grad(data.w, data.b)
    return value, [*gw, gb], None


def traced_mlp(data: MLPData) -> Outcome:
    import minigrad

    params = mlp_parameters(data)
    make = lambda: minigrad.trace(lambda p: mlp_loss(p, data), params)  # noqa: E731
    value, grads = _program(("mlp", id(data)), make).value_and_grad(params)
    return value, grads, None


def _arrays(data: LogRegData | MLPData) -> tuple[Any, Any]:
    import numpy as np

    return _program(("arrays", id(data)), lambda: (np.array(data.X), np.array(data.Y)))  # type: ignore[no-any-return]


def traced_numpy_logreg(data: LogRegData) -> Outcome:
    """One example's loss traced, run on all m examples at once with NumPy arrays (mean over the batch)."""
    import minigrad

    X, Y = _arrays(data)
    make = lambda: minigrad.trace(logreg_term, data.w, data.b, data.X[0], data.Y[0], batched=(2, 3), mean=True)  # noqa: E731
    value, (gw, gb) = _program(("logreg numpy", id(data)), make).value_and_grad(data.w, data.b, X, Y)
    return value, [*gw, gb], None


def traced_numpy_mlp(data: MLPData) -> Outcome:
    import minigrad

    X, Y = _arrays(data)
    shapes, params = mlp_shapes(data), mlp_parameters(data)
    term = lambda p, x, y: mlp_term(p, shapes, x, y)  # noqa: E731
    make = lambda: minigrad.trace(term, params, data.X[0], data.Y[0], batched=(1, 2), mean=True)  # noqa: E731
    value, grads = _program(("mlp numpy", id(data)), make).value_and_grad(params, X, Y)
    return value, grads, None


# ---------------------------------------------------------------------------- hand-written NumPy


def numpy_logreg(data: LogRegData) -> Outcome:
    """Logistic regression vectorised by hand: ``σ(Xw + b)``, the mean cross-entropy, ``Xᵀ(a − y)/m``."""
    import numpy as np

    X, Y = _arrays(data)
    w = np.array(data.w)
    a = 1.0 / (1.0 + np.exp(-(X @ w + data.b)))
    loss = -np.mean(Y * np.log(a) + (1.0 - Y) * np.log(1.0 - a))
    dz = (a - Y) / len(Y)
    return float(loss), [*(X.T @ dz).tolist(), float(dz.sum())], None


def numpy_mlp(data: MLPData) -> Outcome:
    """The MLP vectorised by hand: a matrix product per layer forward and backward."""
    import numpy as np

    X, Y = _arrays(data)
    Ws = [np.array([w for w, _ in layer]) for layer in data.layers]
    Bs = [np.array([b for _, b in layer]) for layer in data.layers]
    hs, zs = [X], []
    for i, (W, B) in enumerate(zip(Ws, Bs)):
        z = hs[-1] @ W.T + B
        zs.append(z)
        hs.append(np.maximum(z, 0.0) if i < len(Ws) - 1 else z)
    d = hs[-1][:, 0] - Y
    loss = float(np.mean(d * d))
    g = (2.0 * d / len(Y))[:, None]
    grads = []
    for i in range(len(Ws) - 1, -1, -1):
        if i < len(Ws) - 1:
            g = g * (zs[i] > 0.0)
        grads.append(np.concatenate([g.T @ hs[i], g.sum(axis=0)[:, None]], axis=1).ravel().tolist())
        g = g @ Ws[i]
    return loss, [x for layer in reversed(grads) for x in layer], None


# ---------------------------------------------------------------------------- micrograd


def micrograd_chain(n: int) -> Outcome:
    from micrograd.engine import Value

    return scalar_outcome(*chained_chain(Value, n))


def _micrograd_sigmoid(v: Any) -> Any:
    from micrograd.engine import Value

    s = 1.0 / (1.0 + math.exp(-v.data))
    out = Value(s, (v,), "sigmoid")

    def _backward() -> None:
        v.grad += s * (1.0 - s) * out.grad

    out._backward = _backward
    return out


def _micrograd_log(v: Any) -> Any:
    from micrograd.engine import Value

    out = Value(math.log(v.data), (v,), "log")

    def _backward() -> None:
        v.grad += out.grad / v.data

    out._backward = _backward
    return out


def micrograd_logreg(data: LogRegData) -> Outcome:
    from micrograd.engine import Value

    return scalar_outcome(*chained_logreg(Value, _micrograd_sigmoid, _micrograd_log, data))


def micrograd_mlp(data: MLPData) -> Outcome:
    from micrograd.engine import Value

    return scalar_outcome(*chained_mlp(Value, Value.relu, data))


# ---------------------------- the model with + and * only: micrograd's code, run by all but minigrad's own rows


def chained_chain(leaf: Callable[[float], Any], n: int) -> tuple[Any, list[Any]]:
    """The chain x ← x·1.0001 + 0.5, n steps, forward and backward: ``(output, [x0])``."""
    x0 = leaf(1.0)
    x = x0
    for _ in range(n):
        x = x * CHAIN_FACTOR + CHAIN_SHIFT
    x.backward()
    return x, [x0]


def chained_logreg(
    leaf: Callable[[float], Any], sigmoid: Callable[[Any], Any], log: Callable[[Any], Any], data: LogRegData
) -> tuple[Any, list[Any]]:
    """Logistic regression as micrograd's users write it (``z = b; z = z + w * x``, a running total):
    ``(loss, parameters)`` after backward."""
    w = [leaf(v) for v in data.w]
    b = leaf(data.b)
    total = 0.0
    for x, y in zip(data.X, data.Y):
        z = b
        for wj, xj in zip(w, x):
            z = z + wj * xj
        p = sigmoid(z)
        total = -(y * log(p) + (1 - y) * log(1 - p)) + total
    loss = total * (1.0 / len(data.X))
    loss.backward()
    return loss, [*w, b]


def chained_mlp(leaf: Callable[[float], Any], relu: Callable[[Any], Any], data: MLPData) -> tuple[Any, list[Any]]:
    """The MLP as micrograd's users write it, every neuron a chain of ``+`` and ``*``:
    ``(loss, parameters)`` after backward."""
    layers = [[([leaf(v) for v in w], leaf(b)) for w, b in layer] for layer in data.layers]
    last = len(layers) - 1
    loss = 0.0
    for x, y in zip(data.X, data.Y):
        h = x
        for i, layer in enumerate(layers):
            out = []
            for w, b in layer:
                s = b
                for wj, hj in zip(w, h):
                    s = s + wj * hj
                out.append(relu(s) if i < last else s)
            h = out
        d = h[0] - y
        loss = d * d + loss
    loss = loss * (1.0 / len(data.X))
    loss.backward()
    return loss, [p for layer in layers for w, b in layer for p in (*w, b)]


def scalar_outcome(root: Any, parameters: list[Any]) -> Outcome:
    """The outcome of a minigrad or micrograd run (``.data`` and ``.grad`` are floats)."""
    return root.data, [p.grad for p in parameters], root


def minigrad_chained_logreg(data: LogRegData) -> Outcome:
    from minigrad import Value

    return scalar_outcome(*chained_logreg(Value, Value.sigmoid, Value.log, data))


def minigrad_chained_mlp(data: MLPData) -> Outcome:
    from minigrad import Value

    return scalar_outcome(*chained_mlp(Value, Value.relu, data))


# ---------------------------------------------------------------------------- PyTorch


def _leaf(torch: Any, v: float) -> Any:
    return torch.tensor(v, dtype=torch.float64, requires_grad=True)


def _torch_outcome(root: Any, parameters: list[Any]) -> Outcome:
    return root.item(), [p.grad.item() for p in parameters], root


def torch_chain(n: int) -> Outcome:
    import torch

    return _torch_outcome(*chained_chain(lambda v: _leaf(torch, v), n))


def torch_logreg(data: LogRegData) -> Outcome:
    import torch

    return _torch_outcome(*chained_logreg(lambda v: _leaf(torch, v), torch.sigmoid, torch.log, data))


def torch_mlp(data: MLPData) -> Outcome:
    import torch

    return _torch_outcome(*chained_mlp(lambda v: _leaf(torch, v), torch.relu, data))


# ---------------------------------------------------------------------------- plain floats


def floats_chain(n: int) -> Outcome:
    x = 1.0
    for _ in range(n):
        x = x * CHAIN_FACTOR + CHAIN_SHIFT
    g = 1.0  # dx_n/dx_0, accumulated backwards: each step multiplies by ∂(x·c + s)/∂x = c
    for _ in range(n):
        g = g * CHAIN_FACTOR
    return x, [g], None


def floats_logreg(data: LogRegData) -> Outcome:
    w, b = data.w, data.b
    m = len(data.X)
    gw = [0.0] * len(w)
    gb = 0.0
    total = 0.0
    for x, y in zip(data.X, data.Y):
        z = b
        for wj, xj in zip(w, x):
            z = z + wj * xj
        p = 1.0 / (1.0 + math.exp(-z))
        total = -(y * math.log(p) + (1 - y) * math.log(1 - p)) + total
        dz = (p - y) / m  # ∂loss/∂z for the mean binary cross-entropy of a sigmoid
        gb += dz
        for j, xj in enumerate(x):
            gw[j] += dz * xj
    return total * (1.0 / m), [*gw, gb], None


def floats_mlp(data: MLPData) -> Outcome:
    layers = data.layers
    last = len(layers) - 1
    n = len(data.X)
    grads = [[([0.0] * len(w), [0.0]) for w, _ in layer] for layer in layers]
    loss = 0.0
    for x, y in zip(data.X, data.Y):
        # forward, keeping every layer's input
        inputs = []
        h = x
        for i, layer in enumerate(layers):
            inputs.append(h)
            out = []
            for w, b in layer:
                s = b
                for wj, hj in zip(w, h):
                    s = s + wj * hj
                out.append((s if s > 0.0 else 0.0) if i < last else s)
            h = out
        d = h[0] - y
        loss = d * d + loss
        # backward: dh holds ∂loss/∂(this layer's output), ReLU gates from the outputs
        dh = [2.0 * d / n]
        for i in range(last, -1, -1):
            layer, h_in = layers[i], inputs[i]
            outputs = inputs[i + 1] if i < last else None
            dh_in = [0.0] * len(h_in)
            for k, (w, _) in enumerate(layer):
                ds = dh[k] if outputs is None or outputs[k] > 0.0 else 0.0
                if ds == 0.0:
                    continue
                gw, gb = grads[i][k]
                gb[0] += ds
                for j, hj in enumerate(h_in):
                    gw[j] += ds * hj
                    dh_in[j] += ds * w[j]
            dh = dh_in
    return loss * (1.0 / n), [g for layer in grads for gw, gb in layer for g in (*gw, gb[0])], None


# ---------------------------------------------------------------------------- registry

WORKLOADS = ("chain", "logreg", "mlp")

MINIGRAD_CHAINED = "minigrad, + and × only"
"""minigrad running micrograd's model code (no ``dot``/``sum`` nodes): the same graph as micrograd's."""

TRACED, TRACED_NUMPY = "minigrad, traced", "minigrad, traced, NumPy"
"""``minigrad.trace``: the step as generated float code; one example's program over the batch on NumPy."""

ENGINES: dict[str, dict[str, Callable[..., Outcome]]] = {
    TRACED: {"chain": traced_chain, "logreg": traced_logreg, "mlp": traced_mlp},
    TRACED_NUMPY: {"logreg": traced_numpy_logreg, "mlp": traced_numpy_mlp},
    "minigrad": {"chain": minigrad_chain, "logreg": minigrad_logreg, "mlp": minigrad_mlp},
    MINIGRAD_CHAINED: {"chain": minigrad_chain, "logreg": minigrad_chained_logreg, "mlp": minigrad_chained_mlp},
    "micrograd": {"chain": micrograd_chain, "logreg": micrograd_logreg, "mlp": micrograd_mlp},
    "torch": {"chain": torch_chain, "logreg": torch_logreg, "mlp": torch_mlp},
    "floats": {"chain": floats_chain, "logreg": floats_logreg, "mlp": floats_mlp},
}


def available_engines(torch: bool = True) -> list[str]:
    """The engines importable here, minigrad first and floats last (``torch=False``: leave PyTorch out)."""
    names = ["minigrad", MINIGRAD_CHAINED, TRACED, TRACED_NUMPY]
    for name, module in (("micrograd", "micrograd.engine"), ("torch", "torch")):
        if name == "torch" and not torch:
            continue
        try:
            __import__(module)
        except ImportError:
            continue
        names.append(name)
    names.append("floats")
    return names


def close(a: float, b: float, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def cross_check(engines: list[str], chain_n: int, logreg: LogRegData, mlp: MLPData) -> list[str]:
    """Run every workload on every engine; a list of disagreements with minigrad (empty when all agree)."""
    problems = []
    args = {"chain": chain_n, "logreg": logreg, "mlp": mlp}
    for workload in WORKLOADS:
        ref_value, ref_grads, _ = ENGINES["minigrad"][workload](args[workload])
        for engine in engines:
            if engine == "minigrad" or workload not in ENGINES[engine]:
                continue
            value, grads, _ = ENGINES[engine][workload](args[workload])
            if len(grads) != len(ref_grads):
                problems.append(f"{workload}/{engine}: {len(grads)} gradients, minigrad {len(ref_grads)}")
                continue
            if not close(value, ref_value):
                problems.append(f"{workload}/{engine}: value {value!r} != minigrad {ref_value!r}")
            bad = [i for i, (g, r) in enumerate(zip(grads, ref_grads)) if not close(g, r)]
            if bad:
                i = bad[0]
                problems.append(
                    f"{workload}/{engine}: {len(bad)} gradients differ, "
                    f"e.g. #{i}: {grads[i]!r} != minigrad {ref_grads[i]!r}"
                )
    return problems

"""Benchmark minigrad against micrograd, PyTorch 0-d tensors and hand-written float code.

    pip install -e ".[bench]"          # micrograd from PyPI; optionally: pip install torch
    python benchmarks/run.py           # full run (a few minutes), writes benchmarks/results.md
    python benchmarks/run.py --quick   # smoke run: cross-checks and a few repetitions, writes nothing

Every workload runs on every engine interleaved in one process (engine order rotates each
repetition), with the garbage collector on, as users run it (a ``gc.collect()`` between
measurements keeps one engine's garbage out of the next one's timing). Reported: median
and min–max over the repetitions, and ratios of medians (× micrograd: how many times
faster minigrad is; × floats: how many times slower than the float code).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    # One BLAS thread, set before NumPy loads: every engine here is single-threaded Python, and on a shared
    # 2-core machine BLAS threads waiting for each other made hand-written NumPy's MLP step 10-100x slower.
    os.environ.setdefault(_variable, "1")
sys.path.insert(0, str(HERE))

import workloads as wl  # noqa: E402

from minigrad.files import atomic_write  # noqa: E402

CHAIN_N = 400  # micrograd's recursive topological sort survives this with the default recursion limit
DEPTH_CAP = {"minigrad": 1_000_000, "micrograd": 1_000_000, "torch": 100_000}  # steps; torch is capped for time
MILLION = 1_000_000


def timed(fn: Callable[[Any], Any], arg: Any) -> float:
    gc.collect()
    start = time.perf_counter()
    outcome = fn(arg)
    elapsed = time.perf_counter() - start
    del outcome  # the graph is freed here, outside the timed region (see workloads.Outcome)
    return elapsed


def interleaved(engines: list[str], workload: str, arg: Any, repeat: int) -> dict[str, list[float]]:
    """Seconds per run for each engine, engines interleaved and their order rotated each repetition."""
    engines = [e for e in engines if workload in wl.ENGINES[e]]
    times: dict[str, list[float]] = {e: [] for e in engines}
    for e in engines:  # warm-up: imports, caches, first-call costs
        wl.ENGINES[e][workload](arg)
    for r in range(repeat):
        k = r % len(engines)
        for e in engines[k:] + engines[:k]:
            times[e].append(timed(wl.ENGINES[e][workload], arg))
    return times


def survives(engine: str, n: int) -> tuple[bool, float]:
    """Whether ``engine`` builds and back-propagates an n-step chain, and how long that took."""
    gc.collect()
    start = time.perf_counter()
    try:
        outcome = wl.ENGINES[engine]["chain"](n)
    except RecursionError:
        return False, time.perf_counter() - start
    elapsed = time.perf_counter() - start  # freeing the graph comes after: not part of the time
    grad = outcome[1][0]
    del outcome
    ok = math.isclose(grad, wl.CHAIN_FACTOR**n, rel_tol=1e-6)
    return ok, elapsed


def deepest_chain(engine: str, cap: int) -> tuple[int, bool]:
    """The deepest chain (in steps, to ~2 %) ``engine`` survives, and whether the cap was reached."""
    good, n = 0, 100
    while True:
        n = min(n, cap)
        if not survives(engine, n)[0]:
            break
        good = n
        if n == cap:
            return cap, True
        n *= 2
    bad = n
    while bad - good > max(1, good // 50):
        mid = (good + bad) // 2
        if survives(engine, mid)[0]:
            good = mid
        else:
            bad = mid
    return good, False


def bytes_per_node(engine: str, data: wl.MLPData, fused: bool = False) -> dict[str, float]:
    """tracemalloc bytes per graph node for an MLP graph, after forward and after backward too.

    ``fused`` (minigrad only): each neuron's ``b + w·h`` as one ``minigrad.dot`` node, as
    ``minigrad.nn`` builds it, instead of a chain of ``+`` and ``*``.
    """
    if engine == "minigrad":
        from minigrad import Value, dot, topological_order

        def count(root: Any) -> int:
            return len(topological_order(root))
    else:
        from micrograd.engine import Value

        def count(root: Any) -> int:
            seen, stack = {id(root)}, [root]
            while stack:
                for child in stack.pop()._prev:
                    if id(child) not in seen:
                        seen.add(id(child))
                        stack.append(child)
            return len(seen)

    layers = [[([Value(v) for v in w], Value(b)) for w, b in layer] for layer in data.layers]
    last = len(layers) - 1
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    loss = 0.0
    for x, y in zip(data.X, data.Y, strict=True):
        h = x
        for i, layer in enumerate(layers):
            out = []
            for w, b in layer:
                if fused:
                    s = dot([*w, b], [*h, 1.0])
                else:
                    s = b
                    for wj, hj in zip(w, h, strict=True):
                        s = s + wj * hj
                out.append(s.relu() if i < last else s)
            h = out
        d = h[0] - y
        loss = d * d + loss
    forward = tracemalloc.get_traced_memory()[0] - before
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * wl.mlp_ops(data)))  # micrograd's recursive sort needs this
    try:
        loss.backward()
    finally:
        sys.setrecursionlimit(limit)
    both = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    nodes = count(loss)
    ops = wl.mlp_ops(data) - 1  # no final scaling here
    return {"nodes": nodes, "forward": forward / nodes, "backward": both / nodes, "per_op": forward / ops}


def fmt_time(seconds: float) -> str:
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def versions(with_torch: bool) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version(), "implementation": platform.python_implementation()}
    dists = {"minigrad": "minigrad-autograd", "micrograd": "micrograd"} | ({"torch": "torch"} if with_torch else {})
    for name, dist in dists.items():
        try:
            out[name] = version(dist)
        except PackageNotFoundError:
            import minigrad

            out[name] = minigrad.__version__ + " (not installed: from the source tree)" if name == "minigrad" else "?"
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out["minigrad commit"] = subprocess.run(
            ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    return out


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = " · load average at start {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return f"{cpu} · {os.cpu_count()} logical cores · {platform.system()} {platform.release()}{load}"


def measure(engines: list[str], depth_engines: list[str], quick: bool, repeat: int) -> dict[str, Any]:
    """Cross-check, then time every workload on ``engines`` interleaved; deepest chains for ``depth_engines``."""
    chain_n, logreg, mlp = CHAIN_N, wl.logreg_data(), wl.mlp_data()
    print(f"engines: {', '.join(engines)}; {repeat} repetitions" + (" (quick)" if quick else ""), flush=True)
    problems = wl.cross_check(engines, chain_n, logreg, mlp)
    print("cross-check: " + ("all engines agree (value and every gradient, rel. 1e-9)" if not problems else "FAILED"))
    for p in problems:
        print("  " + p)
    out: dict[str, Any] = {"problems": problems, "times": {}, "depths": {}}
    if problems:
        return out
    args_for = {"chain": chain_n, "logreg": logreg, "mlp": mlp}
    for workload in wl.WORKLOADS:
        reps = repeat if workload != "mlp" else max(3, repeat // 3)
        out["times"][workload] = times = interleaved(engines, workload, args_for[workload], reps)
        line = "  ".join(f"{e} {fmt_time(statistics.median(t))}" for e, t in times.items())
        print(f"{workload:7s} ({reps} reps)  {line}", flush=True)
    for e in depth_engines:
        out["depths"][e] = deepest_chain(e, 2_000 if quick else DEPTH_CAP[e])
        n, capped = out["depths"][e]
        print(f"deepest chain {e}: {n:,} steps" + (" (cap reached)" if capped else ""), flush=True)
    return out


BIG = {"logreg": (100_000, 30), "mlp": 10_000}  # m examples (and d features) of the vectorised comparison


def measure_vectorised(quick: bool, repeat: int) -> dict[str, Any]:
    """Traced programs on NumPy over big batches against hand-written NumPy; tracing and code generation times."""
    import minigrad

    m, d = BIG["logreg"]
    if quick:
        m = 20_000
    data = {"logreg": wl.logreg_data(m=m, d=d), "mlp": wl.mlp_data(n=BIG["mlp"] // (5 if quick else 1))}
    engines = {wl.TRACED_NUMPY: "traced", "numpy": "hand"}
    functions = {
        "logreg": {wl.TRACED_NUMPY: wl.traced_numpy_logreg, "numpy": wl.numpy_logreg},
        "mlp": {wl.TRACED_NUMPY: wl.traced_numpy_mlp, "numpy": wl.numpy_mlp},
    }
    out: dict[str, Any] = {"problems": [], "times": {}, "sizes": {}, "trace": {}}
    for workload, fns in functions.items():
        arg = data[workload]
        out["sizes"][workload] = len(arg.X)
        (v1, g1, _), (v2, g2, _) = (fns[e](arg) for e in engines)
        if not wl.close(v1, v2) or not all(wl.close(a, b) for a, b in zip(g1, g2, strict=True)):
            out["problems"].append(f"{workload}: traced NumPy and hand NumPy disagree")
            print(f"vectorised {workload}: traced NumPy and hand NumPy disagree", flush=True)
            continue
        times: dict[str, list[float]] = {e: [] for e in engines}
        for r in range(repeat):
            for e in list(engines)[r % 2 :] + list(engines)[: r % 2]:
                times[e].append(timed(fns[e], arg))
        out["times"][workload] = times
        line = "  ".join(f"{e} {fmt_time(statistics.median(t))}" for e, t in times.items())
        print(f"vectorised {workload} (m = {len(arg.X):,})  {line}", flush=True)
    mlp = wl.mlp_data()
    params = wl.mlp_parameters(mlp)
    shapes = wl.mlp_shapes(mlp)
    makers = {
        "MLP step on 100 points, traced to float code": lambda: minigrad.trace(lambda p: wl.mlp_loss(p, mlp), params),
        "MLP, one example traced (for NumPy)": lambda: minigrad.trace(
            lambda p, x, y: wl.mlp_term(p, shapes, x, y), params, mlp.X[0], mlp.Y[0], batched=(1, 2)
        ),
    }
    for name, make in makers.items():
        seconds = []
        for _ in range(1 if quick else 3):
            gc.collect()
            start = time.perf_counter()
            program = make()
            seconds.append(time.perf_counter() - start)
        out["trace"][name] = (seconds, sum(1 for n in program.tape.order if n.parents))
        print(f"trace + code generation, {name}: median {fmt_time(statistics.median(seconds))}", flush=True)
    return out


def render_vectorised(run: dict[str, Any]) -> str:
    lines = [
        "",
        "## Vectorised: one traced program over a whole batch with NumPy, against NumPy written by hand",
        "",
        "| workload | m | minigrad, traced, NumPy | NumPy by hand | traced ÷ hand |",
        "|---|---|---|---|---|",
    ]
    for workload, times in run["times"].items():
        traced, hand = (statistics.median(times[e]) for e in (wl.TRACED_NUMPY, "numpy"))
        what = "logreg (d = 30)" if workload == "logreg" else "mlp 2-16-16-1"
        lines.append(
            f"| {what} | {run['sizes'][workload]:,} | {fmt_time(traced)} | {fmt_time(hand)} | {traced / hand:.2f}× |"
        )
    lines += [
        "",
        "One gradient step (mean loss and every parameter's gradient); medians, the two interleaved. The traced "
        "program is one example's loss (`batched=` the inputs and labels, `mean=True`); the hand-written "
        "version is the textbook matrix code (`X @ w`, `Xᵀ(a − y)/m`, a matrix product per layer).",
        "",
        "| tracing + code generation | median | operations in the tape |",
        "|---|---|---|",
    ]
    for name, (seconds, nodes) in run["trace"].items():
        lines.append(f"| {name} | {fmt_time(statistics.median(seconds))} | {nodes:,} |")
    lines.append("")
    return "\n".join(lines)


def measure_torch(quick: bool, repeat: int) -> dict[str, Any] | None:
    """PyTorch's numbers, from a child process running this script with ``--torch-child``.

    Importing torch makes the pure-Python engines 10-25 % slower in the same process (a
    bigger heap and caches evicted by its runs; measured), so the main process never
    imports it. In the child, torch is interleaved with minigrad and the float code.
    """
    if importlib.util.find_spec("torch") is None:
        print("PyTorch not installed: no torch column (pip install torch to add it)")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "torch.json"
        command = [sys.executable, __file__, "--torch-child", str(path), "--repeat", str(repeat)]
        if quick:
            command.append("--quick")
        if subprocess.run(command, check=False).returncode != 0 or not path.exists():
            print("PyTorch measurement failed: no torch column")
            return None
        return json.loads(path.read_text())  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke run: cross-checks, few repetitions, no file")
    parser.add_argument("--repeat", type=int, help="repetitions per workload (default 30, --quick 3)")
    parser.add_argument("--out", type=Path, default=HERE / "results.md", help="where to write the results table")
    parser.add_argument("--note", default="", help="a line added to results.md (e.g. how busy the machine was)")
    parser.add_argument("--torch-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    gc.enable()  # as users run Python
    quick = args.quick
    repeat = args.repeat or (3 if quick else 30)

    if args.torch_child:
        import torch

        torch.set_num_threads(1)  # 0-d tensors: no use for threads, and other work shares the cores
        child = measure(["minigrad", "torch", "floats"], ["torch"], quick, repeat)
        args.torch_child.write_text(json.dumps(child))
        return 1 if child["problems"] else 0

    engines = wl.available_engines(torch=False)
    depth = [e for e in engines if e not in ("floats", wl.MINIGRAD_CHAINED, wl.TRACED, wl.TRACED_NUMPY)]
    main_run = measure(engines, depth, quick, repeat)
    if main_run["problems"]:
        return 1
    million = []
    if not quick:
        for _ in range(3):
            ok, elapsed = survives("minigrad", MILLION)
            million.append(elapsed if ok else math.inf)
        print(f"minigrad 1,000,000-step chain: median {fmt_time(statistics.median(million))}", flush=True)
    mem_data = wl.mlp_data(n=30 if quick else 300)
    memory = {e: bytes_per_node(e, mem_data) for e in engines if e in ("minigrad", "micrograd")}
    memory["minigrad, neurons as dot nodes"] = bytes_per_node("minigrad", mem_data, fused=True)
    for e, m in memory.items():
        print(
            f"memory {e}: {m['forward']:.0f} bytes/node after forward ({m['nodes']:,} nodes), "
            f"{m['backward']:.0f} with gradients",
            flush=True,
        )
    torch_run = measure_torch(quick, repeat)
    if torch_run is not None and torch_run["problems"]:
        return 1
    vectorised = measure_vectorised(quick, max(3, repeat // 3))
    if vectorised["problems"]:
        return 1

    report = render(engines, main_run, torch_run, million, memory, mem_data, repeat, args.note)
    report += render_vectorised(vectorised)
    if not quick:
        atomic_write(args.out, report)  # a long run's report replaces the old one whole, or not at all
    print()
    print(report)
    if not quick:
        print(f"written to {args.out}")
    return 0


def render(
    engines: list[str],
    main_run: dict[str, Any],
    torch_run: dict[str, Any] | None,
    million: list[float],
    memory: dict[str, dict[str, float]],
    mem_data: wl.MLPData,
    repeat: int,
    note: str,
) -> str:
    logreg, mlp = wl.logreg_data(), wl.mlp_data()
    ops_for = {"chain": wl.chain_ops(CHAIN_N), "logreg": wl.logreg_ops(logreg), "mlp": wl.mlp_ops(mlp)}
    v = versions(torch_run is not None)
    lines = [
        "# minigrad benchmarks",
        "",
        'Regenerate with `python benchmarks/run.py` (after `pip install -e ".[bench]"`; PyTorch optional).',
        f"Measured {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} on {machine()}.",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
        "Garbage collector on. Engines interleaved in one process, order rotated each repetition; "
        f"{repeat} repetitions ({max(3, repeat // 3)} for mlp). Times are medians with min–max; "
        "ratios are of medians. Freeing each graph is outside the timed region for every engine.",
    ]
    if note:
        lines += ["", note]
    lines += [
        "",
        "| workload | engine | median | min – max | µs per op | micrograd ÷ engine | engine ÷ floats |",
        "|---|---|---|---|---|---|---|",
    ]
    for workload in wl.WORKLOADS:
        times = main_run["times"][workload]
        med = {e: statistics.median(t) for e, t in times.items()}
        rows = [(e, times[e], med["floats"]) for e in engines if e in times]
        if torch_run is not None:
            tt = torch_run["times"][workload]
            rows.insert(-1, ("torch ¹", tt["torch"], statistics.median(tt["floats"])))
        for e, t, floats in rows:
            m = statistics.median(t)
            vs_mg = f"{med['micrograd'] / m:.1f}×" if "micrograd" in med and e not in ("micrograd", "floats") else ""
            vs_fl = f"{m / floats:.1f}×" if e != "floats" else ""
            lines.append(
                f"| {workload} | {e} | {fmt_time(m)} | {fmt_time(min(t))} – {fmt_time(max(t))} | "
                f"{m / ops_for[workload] * 1e6:.3f} | {vs_mg} | {vs_fl} |"
            )
    lines += [
        "",
        f"Workloads: `chain` {CHAIN_N} steps of x ← x·1.0001 + 0.5, forward and backward; "
        f"`logreg` one full-batch step of logistic regression from scalar nodes, m = 200, d = 10 "
        f"({ops_for['logreg']:,} ops); `mlp` MLP 2-16-16-1 (ReLU) on 100 points, mean squared error, "
        f'forward and backward ({ops_for["mlp"]:,} ops). "µs per op" divides by the number of arithmetic '
        "operations in the model as written (every + and × counted, also inside a sum), "
        "the same count for every engine. "
        "The `minigrad` rows build each neuron's `b + w·x` as one `dot` node and the loss total as one `sum` "
        "node, as `minigrad.nn` does (far fewer nodes); `minigrad, + and × only` runs micrograd's model code, "
        "every neuron a chain of `+` and `*`, so it times the same graph as micrograd's.",
    ]
    if torch_run is not None:
        ref = {w: statistics.median(torch_run["times"][w]["minigrad"]) for w in wl.WORKLOADS}
        lines += [
            "",
            "¹ PyTorch (0-d float64 tensors, one thread) runs in a child process of the same command, interleaved "
            "there with minigrad and the float code: importing torch slows the pure-Python engines by 10–25 % in "
            'the same process, so the other rows never share a process with it. Its "engine ÷ floats" is against '
            "the child's float code; minigrad measured there: "
            + ", ".join(f"{w} {fmt_time(ref[w])}" for w in wl.WORKLOADS)
            + ".",
        ]
    depths = dict(main_run["depths"])
    if torch_run is not None:
        depths.update(torch_run["depths"])
    lines += ["", "## Deepest chain (forward + backward, default settings)", "", "| engine | deepest chain |"]
    lines += ["|---|---|"]
    for e, (n, capped) in depths.items():
        lines.append(f"| {e} | {'≥ ' if capped else ''}{n:,} steps{' (the cap of the search)' if capped else ''} |")
    lines += ["", "Steps are doubled from 100 until a failure, then bisected to ~2 %; torch's cap is lower for time."]
    if million:
        lines += [
            "",
            f"minigrad, 1,000,000-step chain built and back-propagated: median {fmt_time(statistics.median(million))} "
            f"(min {fmt_time(min(million))}, max {fmt_time(max(million))}, {len(million)} runs).",
        ]
    lines += [
        "",
        f"## Memory (tracemalloc, MLP 2-16-16-1 graph on {len(mem_data.X)} points)",
        "",
        "| engine | graph nodes | bytes per node after forward | with gradients (after backward) | bytes per op |",
        "|---|---|---|---|---|",
    ]
    for e, m in memory.items():
        lines.append(f"| {e} | {m['nodes']:,} | {m['forward']:.0f} | {m['backward']:.0f} | {m['per_op']:.0f} |")
    lines += [
        "",
        "minigrad's first row builds every neuron from `+` and `*` nodes, as micrograd does; its last row builds "
        "each neuron's `b + w·h` as one `dot` node, as `minigrad.nn` does: far fewer, larger nodes, "
        "and about a third of the bytes per operation. "
        "micrograd's graph has more nodes than operations: every plain-number operand becomes a leaf node. "
        "PyTorch allocates outside Python's allocator, which tracemalloc does not see, so it has no row.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

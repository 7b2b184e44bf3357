"""Compare minigrad engine versions: per-op costs of git revisions, in alternating processes.

    python benchmarks/compare.py dfbeac7 HEAD          # 3 rounds
    python benchmarks/compare.py --rounds 5 HEAD~1 HEAD

Each revision's ``minigrad`` package is extracted with ``git archive`` into a temporary
directory and measured in its own subprocess; the revisions take turns, round after
round, so that a busy machine slows them alike. CPU time (``time.process_time``), garbage
collector on. Printed per run: the chain's forward and backward cost per operation
(2,000 steps, median of 100), the MLP and logistic-regression steps of ``run.py``
(medians), and one 1,000,000-step chain.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

PROBE = """
import gc, statistics, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import workloads as wl
from minigrad import Value

clock = time.process_time


def chain(n):
    x = Value(1.0)
    start = clock()
    for _ in range(n):
        x = x * 1.0001 + 0.5
    built = clock()
    x.backward()
    return built - start, clock() - built


def median(f, arg, k):
    times = []
    for _ in range(k):
        gc.collect()
        start = clock()
        outcome = f(arg)
        times.append(clock() - start)
        del outcome
    return statistics.median(times)


runs = [chain(2000) for _ in range(100)]
forward = statistics.median(r[0] for r in runs) / 4000 * 1e9
backward = statistics.median(r[1] for r in runs) / 4000 * 1e9
mlp, logreg = wl.mlp_data(), wl.logreg_data()
wl.minigrad_mlp(mlp)
m = median(wl.minigrad_mlp, mlp, 9) * 1e3
lr = median(wl.minigrad_logreg, logreg, 40) * 1e3
gc.collect()
start = clock()
chain(1_000_000)
big = clock() - start
print(f"chain forward {forward:4.0f} ns/op, backward {backward:4.0f} ns/op | mlp {m:6.1f} ms | "
      f"logreg {lr:5.2f} ms | 1M chain {big:.2f} s")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revisions", nargs="+", help="git revisions to compare (HEAD, a commit, a tag)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    repo = HERE.parent
    with tempfile.TemporaryDirectory() as tmp:
        trees = {}
        for rev in args.revisions:
            tree = Path(tmp) / rev.replace("/", "_").replace("~", "_").replace("^", "_")
            tree.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(repo), "archive", rev, "minigrad"], capture_output=True, check=True
            )
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
            trees[rev] = tree
        width = max(map(len, args.revisions))
        for _ in range(args.rounds):
            for rev, tree in trees.items():
                result = subprocess.run(
                    [sys.executable, "-c", PROBE, str(tree), str(HERE)], capture_output=True, text=True, check=False
                )
                line = result.stdout.strip() or result.stderr.strip().splitlines()[-1]
                print(f"{rev:{width}s}  {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

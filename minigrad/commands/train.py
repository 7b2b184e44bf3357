"""Train a logistic neuron (or a small network) on a bundled data set and save the model and its loss curve.

With no options: the logistic neuron ``σ(w·x + b)`` learns "is it a 3?" on the UCI
handwritten digits (64 pixels per image), by mini-batch gradient descent on binary
cross-entropy. Prints train and test accuracy and the final loss; writes ``model.json``,
``loss.csv`` and ``loss.png`` into the output folder.

>>> import argparse, tempfile
>>> parser = argparse.ArgumentParser()
>>> add_arguments(parser)
>>> args = parser.parse_args(["--data", "and", "--epochs", "300", "--lr", "1", "--quiet",
...                           "--out", tempfile.mkdtemp()])
>>> run(args)
0
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from minigrad import checkpoint, data
from minigrad.commands.numbers import _number, non_negative_int, positive_float, positive_int
from minigrad.commands.text import plural, shown
from minigrad.engine import Value
from minigrad.files import InterruptedAfterWriting, WriteError, atomic_path, atomic_paths
from minigrad.fonts import with_hangul_fallback
from minigrad.losses import binary_cross_entropy, cross_entropy
from minigrad.nn import MLP, Layer, Module, Neuron
from minigrad.optim import SGD
from minigrad.training import accuracy, fit

__all__ = [
    "DATASETS",
    "DEFAULT_DIVERGENCE_BOUND",
    "DEFAULT_MAX_PARAMETERS",
    "DIVERGENCE_FACTOR",
    "Dataset",
    "add_arguments",
    "divergence",
    "loss_figure",
    "loss_table",
    "momentum",
    "non_negative_int",
    "parameter_count",
    "plot_losses",
    "positive_float",
    "positive_int",
    "run",
]


@dataclass(frozen=True)
class Dataset:
    """A data set the ``train`` command knows, and the settings it trains with by default.

    ``features`` is the number of columns ``load`` returns, known beforehand so that the
    size of a model can be checked before the data are loaded.

    >>> DATASETS["digits3"].classes, DATASETS["digits3"].features
    (2, 64)
    """

    description: str
    load: Callable[[], tuple[np.ndarray, np.ndarray]]
    classes: int
    features: int
    split: bool = True
    standardize: bool = True
    lr: float = 0.1
    epochs: int = 20
    batch_size: int | None = 32


DATASETS: dict[str, Dataset] = {
    "digits3": Dataset('UCI handwritten digits, "is it a 3?"', lambda: data.load_digits(target=3), 2, 64),
    "digits": Dataset("UCI handwritten digits, 10 classes", data.load_digits, 10, 64, epochs=5),
    "breast-cancer": Dataset("Wisconsin diagnostic breast cancer", data.load_breast_cancer, 2, 30),
    "moons": Dataset(
        "two moons (200 points)", lambda: data.make_moons(200, noise=0.1, seed=0), 2, 2, standardize=False
    ),
    "and": Dataset("AND gate", lambda: data.gate("AND"), 2, 2, False, False, 1.0, 500, None),
    "or": Dataset("OR gate", lambda: data.gate("OR"), 2, 2, False, False, 1.0, 500, None),
    "xor": Dataset("XOR gate", lambda: data.gate("XOR"), 2, 2, False, False, 1.0, 500, None),
}
"""Data set name → how to load it and its default training settings."""


DEFAULT_MAX_PARAMETERS = 100_000
"""The largest model ``minigrad train`` builds unless ``--max-parameters`` says otherwise.

Each parameter is a ``Value`` and every step builds a graph with an edge per parameter
and example of the batch: 100,000 parameters at a batch of 32 is already millions of
edges per step, minutes per epoch."""

DEFAULT_DIVERGENCE_BOUND = 100.0
"""A parameter past ``±DEFAULT_DIVERGENCE_BOUND`` counts as divergence (``--divergence-bound``)."""

DIVERGENCE_FACTOR = 100.0
"""A loss more than this many times the first step's counts as divergence."""


def _batch_size(text: str) -> int | None:
    if text == "full":
        return None
    try:
        size = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer or 'full', got {text!r}") from None
    if size < 1:
        raise argparse.ArgumentTypeError(f"batch size must be at least 1, got {size}")
    return size


def momentum(text: str) -> float:
    """An ``argparse`` type: a momentum ``0 ≤ μ < 1``.

    >>> momentum("0.9")
    0.9
    >>> momentum("1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be in [0, 1), got '1'
    """
    x = _number(text)
    if not 0.0 <= x < 1.0:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text!r}")
    return x


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``minigrad train``.

    >>> parser = argparse.ArgumentParser()
    >>> add_arguments(parser)
    >>> args = parser.parse_args(["--lr", "0.5", "--hidden", "8", "4", "--momentum", "0.9"])
    >>> args.lr, args.hidden, args.momentum, args.epochs
    (0.5, [8, 4], 0.9, None)
    """
    parser.add_argument("--data", choices=list(DATASETS), default="digits3", help="data set (default digits3)")
    parser.add_argument("--lr", type=positive_float, help="learning rate (default 0.1; 1.0 for the gates)")
    parser.add_argument(
        "--epochs", type=positive_int, help="passes over the training set (default 20; 5 for digits, 500 gates)"
    )
    parser.add_argument(
        "--batch-size", type=_batch_size, default=argparse.SUPPRESS, help="examples per step, or 'full' (default 32)"
    )
    parser.add_argument("--momentum", type=momentum, default=0.0, help="SGD momentum, 0 <= m < 1 (default 0)")
    parser.add_argument(
        "--hidden",
        type=positive_int,
        nargs="*",
        default=[],
        metavar="N",
        help="hidden layer sizes (default: none, one neuron)",
    )
    parser.add_argument(
        "--activation",
        choices=["tanh", "relu", "sigmoid"],
        help="of the hidden layers, so only with --hidden (default tanh: a tiny relu network can die, "
        "as 2-4-1 on XOR does for some seeds)",
    )
    parser.add_argument(
        "--seed", type=non_negative_int, default=0, help="seed of the initial weights, split and shuffling"
    )
    parser.add_argument(
        "--max-parameters",
        type=positive_int,
        default=DEFAULT_MAX_PARAMETERS,
        metavar="N",
        help=f"refuse a model with more parameters than this, before building it (default {DEFAULT_MAX_PARAMETERS:,})",
    )
    parser.add_argument(
        "--divergence-bound",
        type=positive_float,
        default=DEFAULT_DIVERGENCE_BOUND,
        metavar="B",
        help=f"a parameter past ±B means training diverged (default {DEFAULT_DIVERGENCE_BOUND:g})",
    )
    parser.add_argument("--out", type=Path, default=Path("runs/train"), help="output folder (default runs/train)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument(
        "--no-trace", action="store_true", help="build every step's graph of Values (default: traced steps, faster)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing")


def parameter_count(nin: int, classes: int, hidden: list[int]) -> int:
    """How many parameters the model for ``nin`` features, ``classes`` classes and ``hidden`` layers has.

    Worked out from the sizes alone, so that a huge ``--hidden`` is refused before any
    memory is taken.

    >>> parameter_count(64, 2, []), parameter_count(2, 2, [4]), parameter_count(64, 10, [])
    (65, 17, 650)
    """
    widths = [nin, *hidden, 1 if classes == 2 else classes]
    return sum((widths[i] + 1) * widths[i + 1] for i in range(len(widths) - 1))


def divergence(
    losses: list[float],
    parameters: list[float],
    bound: float = DEFAULT_DIVERGENCE_BOUND,
    names: list[str] | None = None,
) -> str | None:
    """Why a run counts as diverged, or ``None`` when it does not.

    A run diverged when a loss is nan or inf, when a loss rose more than
    :data:`DIVERGENCE_FACTOR` times above the first step's (two orders of magnitude: the
    step was so large that it overshot), or when a parameter is past ``±bound`` (the
    sigmoid or tanh behind it is saturated for every input, so its gradient has
    vanished). ``names`` name the parameters in the message (default: their position,
    from 1). The defaults leave room: on the bundled data sets the largest parameter
    after training with the default settings is below 20, and no loss rises above 10
    times its start.

    >>> divergence([0.7, 0.5, 0.3], [1.5, -2.0]) is None
    True
    >>> divergence([0.7, 0.5, 100.0], [1.5, -2.0])
    'the loss rose from 0.7 at step 1 to 100 at step 3, more than 100 times its start'
    >>> divergence([0.7, 0.2], [3.5e299, 1.0])
    'parameter 1 reached 3.5e+299, past the bound of ±100'
    >>> divergence([0.7, 0.2], [1.0, -315.0], names=["w1", "b"])
    'parameter b reached -315, past the bound of ±100'
    """
    labels = names if names is not None else [str(i) for i in range(1, len(parameters) + 1)]
    for step, loss in enumerate(losses, 1):
        if not math.isfinite(loss):
            return f"the loss became {loss} at step {step:,}"
    for label, value in zip(labels, parameters, strict=True):
        if not math.isfinite(value):
            return f"parameter {label} became {value}"
    if losses:
        start = max(losses[0], 1e-12)
        step, worst = max(enumerate(losses, 1), key=lambda pair: pair[1])
        if worst > DIVERGENCE_FACTOR * start:
            return (
                f"the loss rose from {losses[0]:.3g} at step 1 to {worst:.3g} at step {step:,}, "
                f"more than {DIVERGENCE_FACTOR:g} times its start"
            )
    for label, value in zip(labels, parameters, strict=True):
        if abs(value) > bound:
            return f"parameter {label} reached {value:.3g}, past the bound of ±{bound:g}"
    return None


def _model(
    nin: int, classes: int, hidden: list[int], activation: str, seed: int
) -> tuple[Module, Callable[..., Value], str]:
    """The model for the task, its loss and the loss's name."""
    if classes == 2:
        bce = "binary cross-entropy"
        if hidden:
            return MLP(nin, [*hidden, 1], activation, "sigmoid", seed=seed), binary_cross_entropy, bce
        return Neuron(nin, "sigmoid", seed=seed), binary_cross_entropy, bce
    if hidden:
        return MLP(nin, [*hidden, classes], activation, "linear", seed=seed), cross_entropy, "softmax cross-entropy"
    return Layer(nin, classes, "linear", seed=seed), cross_entropy, "softmax cross-entropy"


@with_hangul_fallback  # a Korean title shows Hangul, not boxes
def loss_figure(losses: list[float], steps_per_epoch: int, title: str) -> Any:
    """A Matplotlib figure (Agg backend) of the loss of every step, and each epoch's mean.

    >>> loss_figure([0.7, 0.5, 0.4, 0.35], 2, "demo").axes[0].get_title()
    'demo'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 4.0), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    steps = np.arange(1, len(losses) + 1)
    ax.plot(steps, losses, lw=0.8, alpha=0.6 if steps_per_epoch > 1 else 1.0, label="loss of each step")
    if steps_per_epoch > 1 and len(losses) >= steps_per_epoch:
        epochs = len(losses) // steps_per_epoch
        means = np.asarray(losses[: epochs * steps_per_epoch]).reshape(epochs, steps_per_epoch).mean(axis=1)
        ax.plot(steps_per_epoch * np.arange(1, epochs + 1), means, "o-", lw=1.5, ms=3, label="mean over the epoch")
        ax.legend()
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_losses(losses: list[float], steps_per_epoch: int, path: Path, title: str) -> Path:
    """Draw the loss of every step (and each epoch's mean) to a PNG, replacing ``path`` atomically.

    >>> import tempfile
    >>> plot_losses([0.7, 0.5, 0.4, 0.35], 2, Path(tempfile.mkdtemp()) / "loss.png", "demo").suffix
    '.png'
    """
    with atomic_path(path) as temporary:
        loss_figure(losses, steps_per_epoch, title).savefig(temporary, format="png")
    return path


def loss_table(losses: list[float], steps_per_epoch: int) -> str:
    """The text of ``loss.csv``: one row per step with its epoch and its loss (exact ``repr``).

    >>> print(loss_table([0.5, 0.25], 1), end="")
    step,epoch,loss
    1,1,0.5
    2,2,0.25
    """
    lines = ["step,epoch,loss"]
    lines += [f"{i + 1},{i // steps_per_epoch + 1},{loss!r}" for i, loss in enumerate(losses)]
    return "\n".join(lines) + "\n"


def _fail(message: str, status: int) -> int:
    print(f"minigrad train: error: {message}", file=sys.stderr)
    return status


class _DivergedError(ValueError):
    """Training diverged: a nan or inf, a loss that blew up, or a parameter past the bound."""


def run(args: argparse.Namespace) -> int:
    """Load the data, train, report accuracies and the final loss, write the model and the loss curve.

    Returns the exit status: 0 on success; 2 for an unusable ``--out``, ``--activation``
    without ``--hidden`` or a model larger than ``--max-parameters``; 1 when training
    diverges (the message suggests a smaller ``--lr``) or a file cannot be written; 130
    on Ctrl-C. Messages go to stderr as one line, ``minigrad train: …``. The three files
    are replaced together, only once all three are written: an error or Ctrl-C leaves
    the previous run's files as they were.
    """
    if args.activation is not None and not args.hidden:
        return _fail(
            f"--activation {args.activation} is the activation of hidden layers, and there are none: "
            "add --hidden N (the model without --hidden is one sigmoid neuron, or a softmax layer)",
            2,
        )
    spec = DATASETS[args.data]
    count = parameter_count(spec.features, spec.classes, list(args.hidden))
    if count > args.max_parameters:
        return _fail(
            f"--hidden {' '.join(map(str, args.hidden))} makes a model of {count:,} parameters, more than the limit "
            f"of {args.max_parameters:,}; choose smaller layers, or raise the limit with --max-parameters {count}",
            2,
        )
    out: Path = args.out
    if out.exists() and not out.is_dir():
        return _fail(f"--out {out}: exists and is not a folder", 2)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _fail(f"--out {out}: cannot create the folder: {error.strerror or error}", 2)
    stage = ["loading the data"]
    try:
        return _run(args, out, stage)
    except KeyboardInterrupt as interrupt:
        if stage[0] == "written" or isinstance(interrupt, InterruptedAfterWriting):
            line = f"interrupted; the new model.json, loss.csv and loss.png are in {out}"
        else:
            line = f"interrupted while {stage[0]}; nothing was written: {out} keeps its previous files"
        print(f"minigrad train: {line}", file=sys.stderr)
        return 130
    except (ValueError, OSError) as error:  # _DivergedError is a ValueError
        return _fail(str(error), 1)


def _run(args: argparse.Namespace, out: Path, stage: list[str]) -> int:
    spec = DATASETS[args.data]
    lr = spec.lr if args.lr is None else args.lr
    epochs = spec.epochs if args.epochs is None else args.epochs
    batch_size = getattr(args, "batch_size", spec.batch_size)
    say: Callable[..., None] = (lambda *a: None) if args.quiet else print

    X, y = spec.load()
    if spec.split:
        X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=args.seed)
    else:
        X_train, X_test, y_train, y_test = X, X, y, y
    metadata: dict[str, Any] = {"data": args.data, "seed": args.seed}
    if spec.standardize:
        scaler = data.Standardizer().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
        metadata["standardizer"] = {"mean": scaler.mean.tolist(), "scale": scaler.scale.tolist()}  # type: ignore[union-attr]

    activation = args.activation or "tanh"
    model, loss_fn, loss_name = _model(X.shape[1], spec.classes, list(args.hidden), activation, args.seed)
    steps_per_epoch = 1 if batch_size is None else math.ceil(len(X_train) / batch_size)
    test_part = plural(len(X_test), "test example") if spec.split else "tested on the same examples"
    say(f"data:  {spec.description}: {len(X_train)} training and {test_part}, {plural(X.shape[1], 'feature')}")
    say(f"model: {model!r}, {plural(len(model.parameters()), 'parameter')}; loss: {loss_name}")
    say(
        f"train: {plural(epochs, 'epoch')} x {plural(steps_per_epoch, 'step')} (batch size {batch_size or 'full'}), "
        f"SGD lr={lr:g} momentum={args.momentum:g}, seed {args.seed}"
    )

    optimizer = SGD(model.parameters(), lr=lr, momentum=args.momentum)
    progress = False if args.no_progress or args.quiet else None
    hint = f"try a smaller --lr than {lr:g}"
    if args.momentum:
        hint += f" or a smaller --momentum than {args.momentum:g}"
    stage[0] = "training"
    try:
        losses = fit(
            model, X_train, y_train, loss_fn, optimizer,
            epochs=epochs, batch_size=batch_size, seed=args.seed, progress=progress, description="train",
            traced=not args.no_trace,
        )  # fmt: skip
    except (ValueError, OverflowError) as error:
        parameters = [p.data for p in model.parameters()]
        non_finite = divergence([], parameters, bound=math.inf) is not None
        if isinstance(error, OverflowError) or non_finite or re.search(r"\b(nan|inf)\b", str(error)):
            raise _DivergedError(f"training diverged: the loss became nan or inf ({error}); {hint}") from None
        raise

    stage[0] = "measuring the result"
    rows = X_train.tolist()
    final_loss = loss_fn([model(x) for x in rows], y_train.tolist()).data
    trained = model.parameters()
    reason = divergence(
        [*losses, final_loss], [p.data for p in trained], args.divergence_bound, [p.label for p in trained]
    )
    if reason is not None:
        bound = " (or raise --divergence-bound)" if "bound" in reason else ""
        raise _DivergedError(f"training diverged: {reason}; {hint}{bound}")
    train_accuracy, test_accuracy = accuracy(model, X_train, y_train), accuracy(model, X_test, y_test)
    say(f"final loss (whole training set): {shown(final_loss, '.4f')}")
    say(f"train accuracy: {100 * train_accuracy:.2f} %")
    say(f"test accuracy:  {100 * test_accuracy:.2f} %")

    metadata.update(
        hidden=list(args.hidden), activation=activation if args.hidden else None, lr=lr, epochs=epochs,
        batch_size=batch_size, momentum=args.momentum, loss=loss_name,
        final_loss=final_loss, train_accuracy=train_accuracy, test_accuracy=test_accuracy,
    )  # fmt: skip
    title = f"{spec.description}: {loss_name}"
    files = [out / "model.json", out / "loss.csv", out / "loss.png"]
    stage[0] = "writing the files"
    writers: list[Callable[[Path], object]] = [
        lambda path: path.write_bytes(checkpoint.to_json(model, metadata).encode("utf-8")),
        lambda path: path.write_bytes(loss_table(losses, steps_per_epoch).encode("utf-8")),
        lambda path: loss_figure(losses, steps_per_epoch, title).savefig(path, format="png"),
    ]
    with atomic_paths(*files) as temporaries:  # all three, or none
        for target, temporary, write in zip(files, temporaries, writers, strict=True):
            try:
                write(temporary)
            except OSError as error:
                raise WriteError(target, error) from None
    stage[0] = "written"
    for path in files:
        say(f"wrote {path}")
    return 0

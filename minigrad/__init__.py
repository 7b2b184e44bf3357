"""minigrad: a scalar reverse-mode autograd engine for learning and checking backpropagation.

>>> from minigrad import Value
>>> a, b, c = Value(5.0, "a"), Value(3.0, "b"), Value(2.0, "c")
>>> J = 3 * (a + b * c)
>>> J.backward()
>>> (J.data, a.grad, b.grad, c.grad)
(33.0, 3.0, 6.0, 9.0)
"""

from minigrad import losses, nn, optim
from minigrad.drawing import GradientPath, draw, gradient_paths, save_svg, to_svg
from minigrad.engine import Value, topological_order
from minigrad.functional import grad, hessian, jvp, value_and_grad
from minigrad.functions import (
    abs,  # noqa: A004 - minigrad.abs, like numpy.abs
    cos,
    cosh,
    dot,
    exp,
    expm1,
    log,
    log1p,
    maximum,
    minimum,
    relu,
    sigmoid,
    sin,
    sinh,
    sqrt,
    tan,
    tanh,
)
from minigrad.functions import sum_of as sum  # noqa: A004 - minigrad.sum, like numpy.sum and torch.sum
from minigrad.gradcheck import GradCheck, check_grad
from minigrad.primitives import Primitive, primitive
from minigrad.seeding import manual_seed
from minigrad.steps_frames import Steps, steps
from minigrad.steps_html import save_html
from minigrad.tracing import Program, trace

__all__ = [
    "GradCheck",
    "GradientPath",
    "Primitive",
    "Program",
    "Steps",
    "Value",
    "abs",
    "check_grad",
    "cos",
    "cosh",
    "dot",
    "draw",
    "exp",
    "expm1",
    "grad",
    "gradient_paths",
    "hessian",
    "jvp",
    "log",
    "log1p",
    "losses",
    "manual_seed",
    "maximum",
    "minimum",
    "nn",
    "optim",
    "primitive",
    "relu",
    "save_html",
    "save_svg",
    "sigmoid",
    "sin",
    "sinh",
    "sqrt",
    "steps",
    "sum",
    "tan",
    "tanh",
    "to_svg",
    "topological_order",
    "trace",
    "value_and_grad",
]
__version__ = "0.1.0"

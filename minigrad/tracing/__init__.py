"""Traced programs: a function's graph recorded once, then run as generated Python or over arrays.

See :func:`trace` and :class:`Program`; the parts are :mod:`.tape` (recording and guards),
:mod:`.symbols` and :mod:`.codegen` (the code on floats) and :mod:`.arrays` (the replay over
a batch).

>>> from minigrad.tracing import trace
>>> trace(lambda x, y: x * y + y, 2.0, 3.0).value_and_grad(2.0, 3.0)
(9.0, (3.0, 3.0))
"""

from minigrad.tracing.arrays import GuardError
from minigrad.tracing.program import Program, trace

__all__ = ["GuardError", "Program", "trace"]

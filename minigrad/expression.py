"""A safe parser for the little expressions of ``minigrad draw``: never ``eval``.

The text is parsed with Python's :mod:`ast` and walked against a whitelist: numbers,
names bound by the caller, ``+ - * / **``, unary ``-`` and ``+``, and calls of ``exp``,
``log``, ``sigmoid``, ``tanh`` and ``relu`` on one argument. A program may name its
intermediate results with assignments separated by ``;`` or new lines
(``u = b*c; v = a + u; J = 3*v``); the last statement is the output. Anything else
(attributes, subscripts, other calls, unknown names, lambdas...) is an
:class:`ExpressionError` naming what was refused and where.

>>> J = build("J = 3*(a + b*c)", {"a": 5, "b": 3, "c": 2})
>>> J.label, J.data
('J', 33.0)
>>> build("__import__('os')", {})
Traceback (most recent call last):
...
minigrad.expression.ExpressionError: column 1: calling '__import__' is not allowed; the functions are exp, ...
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Mapping
from numbers import Real

from minigrad import functions, scalar
from minigrad.engine import Value

__all__ = ["FUNCTIONS", "ExpressionError", "build"]

Operand = Value | float

_NAMES = ("exp", "log", "log1p", "expm1", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "sigmoid", "relu", "abs")
FUNCTIONS: dict[str, Callable[[Operand], Operand]] = {name: getattr(functions, name) for name in _NAMES}
"""The functions an expression may call, each on one argument."""

_BINARY: dict[type[ast.operator], Callable[[Operand, Operand], Operand]] = {
    ast.Add: lambda x, y: x + y,
    ast.Sub: lambda x, y: x - y,
    ast.Mult: lambda x, y: x * y,
    ast.Div: lambda x, y: x / y,
    ast.Pow: lambda x, y: x**y if isinstance(x, Value) or isinstance(y, Value) else scalar.pow(x, y),
}


class ExpressionError(ValueError):
    """An expression that cannot be built: bad syntax, a refused construct, an unknown name, a math error.

    >>> build("a.b", {"a": 1.0})
    Traceback (most recent call last):
    ...
    minigrad.expression.ExpressionError: column 1: attribute access (a.b) is not allowed
    """


def _where(node: ast.AST, source: str) -> str:
    """``column C`` or ``line L, column C``, counting characters (``ast`` offsets count UTF-8 bytes)."""
    line, offset = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
    lines = re.split(r"\r\n|\r|\n", source)
    if 1 <= line <= len(lines):
        offset = len(lines[line - 1].encode("utf-8")[:offset].decode("utf-8", errors="replace"))
    column = offset + 1
    return f"column {column}" if line == 1 else f"line {line}, column {column}"


def _number(value: int | float) -> str:
    """A number as shown in a message, long integers shortened to their first and last digits.

    An integer is never turned into decimal digits past about 3,000 (Python refuses
    beyond 4,300 digits, and it takes quadratic time): its size is given instead.

    >>> _number(12), _number(2**100)
    ('12', '126765…6 (31 digits)')
    >>> _number(16**4000)
    '~10^4816'
    """
    if isinstance(value, int) and value.bit_length() > 10_000:  # past about 3,000 digits
        return f"~10^{math.floor((value.bit_length() - 1) * math.log10(2))}"
    digits = repr(value)
    return digits if len(digits) <= 20 else f"{digits[:6]}…{digits[-1]} ({len(digits)} digits)"


def _describe(node: ast.AST, source: str) -> str:
    kinds = {
        ast.Attribute: "attribute access",
        ast.Subscript: "subscripting",
        ast.Lambda: "a lambda",
        ast.Compare: "a comparison",
        ast.BoolOp: "and/or",
        ast.IfExp: "an if-expression",
        ast.Starred: "unpacking",
        ast.NamedExpr: "an assignment expression",
        ast.Import: "an import",
        ast.ImportFrom: "an import",
        ast.Assign: "an assignment to anything but one name",
        ast.AugAssign: "an augmented assignment",
        ast.AnnAssign: "an annotated assignment",
        ast.FunctionDef: "a function definition",
        ast.ClassDef: "a class definition",
        ast.For: "a loop",
        ast.While: "a loop",
        ast.If: "an if statement",
        ast.With: "a with statement",
        ast.Try: "a try statement",
        ast.Delete: "a del statement",
    }
    kind = next((text for cls, text in kinds.items() if isinstance(node, cls)), type(node).__name__)
    snippet = ast.get_source_segment(source, node)
    return f"{kind} ({snippet})" if snippet and len(snippet) <= 40 else kind


class _Builder:
    """Walks one parsed program, turning whitelisted nodes into Values and plain numbers."""

    def __init__(self, source: str, variables: Mapping[str, Operand], foreign: set[int]) -> None:
        self.source = source
        self.names: dict[str, Operand] = dict(variables)
        self.foreign = foreign  # ids of the caller's Values: never relabelled

    def where(self, node: ast.AST) -> str:
        return _where(node, self.source)

    def refuse(self, node: ast.AST, what: str | None = None) -> ExpressionError:
        return ExpressionError(f"{self.where(node)}: {what or _describe(node, self.source)} is not allowed")

    def statement(self, node: ast.stmt) -> tuple[Operand, str]:
        if isinstance(node, ast.Expr):
            return self.expression(node.value), ""
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in FUNCTIONS:
                raise ExpressionError(f"{self.where(node)}: {name!r} is a function, it cannot be assigned to")
            result = self.expression(node.value)
            if isinstance(result, Value) and not result.label and id(result) not in self.foreign:
                result.label = name  # `w = v` only gives v a second name: its node keeps the first
            self.names[name] = result
            return result, name
        raise ExpressionError(
            f"{self.where(node)}: {_describe(node, self.source)} is not allowed; only expressions and "
            "assignments `name = expression` are allowed, separated by ; or new lines"
        )

    def expression(self, node: ast.expr) -> Operand:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise self.refuse(node, f"the constant {node.value!r}")
            try:
                number = float(node.value)
            except OverflowError:
                raise ExpressionError(
                    f"{self.where(node)}: the number {_number(node.value)} is too large for a float"
                ) from None
            if not math.isfinite(number):
                shown = ast.get_source_segment(self.source, node) or repr(number)
                raise ExpressionError(f"{self.where(node)}: the number {shown} is not finite")
            return number
        if isinstance(node, ast.Name):
            if node.id in self.names:
                return self.names[node.id]
            if node.id in FUNCTIONS:
                raise ExpressionError(f"{self.where(node)}: {node.id!r} is a function: call it, as in {node.id}(x)")
            raise ExpressionError(
                f"{self.where(node)}: unknown name {node.id!r}; bind it on the command line as {node.id}=VALUE"
            )
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left, right = self.expression(node.left), self.expression(node.right)
            return self.apply(node, _BINARY[type(node.op)], left, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.expression(node.operand)
            return self.apply(node, (lambda x: -x) if isinstance(node.op, ast.USub) else (lambda x: x), operand)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            symbol = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.Not: "not", ast.Invert: "~"}
            op = symbol.get(type(node.op), type(node.op).__name__)
            raise self.refuse(node, f"the operator {op}")
        raise self.refuse(node)

    def call(self, node: ast.Call) -> Operand:
        function = node.func
        if not isinstance(function, ast.Name):
            raise self.refuse(node, f"calling {_describe(function, self.source)}")
        if function.id not in FUNCTIONS:
            allowed = ", ".join(FUNCTIONS)
            where = self.where(node)
            raise ExpressionError(f"{where}: calling {function.id!r} is not allowed; the functions are {allowed}")
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ExpressionError(
                f"{self.where(node)}: {function.id}() takes exactly one argument, as in {function.id}(x)"
            )
        return self.apply(node, FUNCTIONS[function.id], self.expression(node.args[0]))

    def apply(self, node: ast.AST, operation: Callable[..., Operand], *operands: Operand) -> Operand:
        try:
            result = operation(*operands)
        except (ArithmeticError, ValueError, TypeError) as error:
            raise ExpressionError(f"{self.where(node)}: {self.segment(node)}: {error}") from None
        number = result.data if isinstance(result, Value) else result
        if not math.isfinite(number):  # the operands are finite: this is an overflow
            raise ExpressionError(f"{self.where(node)}: {self.segment(node)}: the result overflows a float ({number})")
        return result

    def segment(self, node: ast.AST) -> str:
        """The source text of ``node``, shortened; only for messages (it reads the source: linear time)."""
        text = ast.get_source_segment(self.source, node) or ""
        return text if len(text) <= 60 else text[:57] + "..."


def build(
    text: str,
    variables: Mapping[str, Real | float | Value],
    constants: Mapping[str, Real | float] | None = None,
) -> Value:
    """The graph of the program ``text``, its leaves the ``variables`` (name → number or ``Value``).

    Each variable becomes one leaf ``Value`` labelled with its name, shared by every use,
    so ``a*a`` uses ``a`` twice; an assignment labels its result when the expression
    created it (a ``Value`` passed in ``variables`` keeps its label, even an empty one).
    ``constants`` are names for plain numbers, folded into the nodes that use them (drawn
    as constants, no gradient). The output is the value of the last statement; a program
    that uses no variable still gives a ``Value``. Every number — bound, written in the
    text, or computed — must be finite: a non-finite one is an :class:`ExpressionError`.

    >>> L = build("L = -(y*log(p))", {"p": 0.5}, constants={"y": 1})
    >>> [type(x).__name__ for x in L.parents[0].operands]  # y * log(p): the constant y, then a node
    ['float', 'Value']

    >>> v = build("u = b*c; v = a + u; J = 3*v", {"a": 5, "b": 3, "c": 2})
    >>> [(p.label, p.data) for p in v.parents]
    [('v', 11.0)]
    >>> build("log(x - 2)", {"x": 1.0})
    Traceback (most recent call last):
    ...
    minigrad.expression.ExpressionError: column 1: log(x - 2): log(x) needs x > 0, got log(-1.0)
    """
    leaves: dict[str, Operand] = {}
    bound = [(name, value, True) for name, value in variables.items()]
    bound += [(name, value, False) for name, value in (constants or {}).items()]
    for name, value, is_variable in bound:
        if not name.isidentifier():
            raise ExpressionError(f"{name!r} is not a valid variable name")
        if name in FUNCTIONS:
            raise ExpressionError(f"{name!r} is a function, it cannot be a variable")
        if name in leaves:
            raise ExpressionError(f"{name!r} is bound twice, as a variable and as a constant")
        if is_variable and isinstance(value, Value):
            number = value.data
        elif isinstance(value, Real) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:
                raise ExpressionError(f"{name!r} is too large for a float: {_number(value)}") from None  # type: ignore[arg-type]
        else:
            raise ExpressionError(f"{name!r} must be a real number, got {type(value).__name__}: {value!r}")
        if not math.isfinite(number):
            raise ExpressionError(f"{name!r} is not finite: {number!r}")
        if isinstance(value, Value):
            leaves[name] = value
        else:
            leaves[name] = Value(number, name) if is_variable else number
    try:
        tree = ast.parse(text.strip(), mode="exec")
    except SyntaxError as error:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise ExpressionError(f"column {error.offset or 1}: {error.msg}: {shown!r}") from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise ExpressionError(f"cannot parse the expression: {type(error).__name__}: {error}") from None
    if not tree.body:
        raise ExpressionError("the expression is empty")
    foreign = {id(value) for value in variables.values() if isinstance(value, Value)}
    builder = _Builder(text.strip(), leaves, foreign)
    try:
        for statement in tree.body:
            result, name = builder.statement(statement)
    except RecursionError:
        raise ExpressionError("the expression is nested too deeply") from None
    if not isinstance(result, Value):
        result = Value(result, name)
    return result

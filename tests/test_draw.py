"""The DOT source of drawings and the per-path breakdown of gradients (no renderer needed)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import graphviz
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import GradientPath, Value, draw, gradient_paths, topological_order
from minigrad.drawing import PATH_COLOURS, TooManyPathsError, count_paths, drawing_order, node_ids
from minigrad.examples import canonical_J

EDGE = re.compile(r"^\t(\S+) -> (\S+)(?: \[(.*)\])?$")
NODE = re.compile(r"^\t(\S+) \[(.*)\]$")
DERIVATIVE = re.compile(r'<font color="#1e3a8a">([^<]*)</font>')


@dataclass
class Dot:
    """The nodes and edges of a drawing, read back from its DOT source."""

    nodes: dict[str, str]
    edges: list[tuple[str, str, str]]

    def kinds(self) -> dict[str, int]:
        counts = {"value": 0, "op": 0, "constant": 0}
        for name in self.nodes:
            counts["op" if name.endswith("_op") else "constant" if "_op_c" in name else "value"] += 1
        return counts

    def into(self, head: str) -> list[tuple[str, str]]:
        return [(tail, attrs) for tail, h, attrs in self.edges if h == head]


def parse(g: graphviz.Digraph) -> Dot:
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    for line in g.body:
        line = line.rstrip("\n")
        edge = EDGE.match(line)
        if edge:
            edges.append((edge[1], edge[2], edge[3] or ""))
            continue
        node = NODE.match(line)
        if node:
            nodes[node[1]] = node[2]
    return Dot(nodes, edges)


def expected_counts(root: Value) -> tuple[int, int, int, int]:
    """Values, operations, constant boxes and edges a drawing of ``root`` must have."""
    order = topological_order(root)
    ops = [n for n in order if n.op]
    constants = sum(1 for n in ops for x in n.operands if not isinstance(x, Value))
    edges = sum(1 + len(n.operands) for n in ops)
    return len(order), len(ops), constants, edges


# ------------------------------------------------------------------ structure


def test_canonical_graph_has_every_value_op_constant_and_edge() -> None:
    nodes = canonical_J()
    dot = parse(draw(nodes["J"]))
    assert dot.kinds() == {"value": 6, "op": 3, "constant": 1}
    assert len(dot.edges) == 9
    for name, node in nodes.items():
        label = dot.nodes[node_ids(nodes["J"])[id(node)]]
        assert f"<b>{name}</b>" in label
        assert f"data {node.data:.4g}" in label and f"grad {node.grad:.4g}" in label
    ids = node_ids(nodes["J"])
    constant = next(n for n in dot.nodes if "_op_c" in n)
    assert "label=3" in dot.nodes[constant]
    assert [tail for tail, _ in dot.into(f"{ids[id(nodes['J'])]}_op")] == [constant, ids[id(nodes["v"])]]  # 3 * v


def test_a_times_a_draws_two_edges_into_the_op() -> None:
    a = Value(3.0, "a")
    y = a * a
    ids = node_ids(y)
    dot = parse(draw(y))
    into = dot.into(f"{ids[id(y)]}_op")
    assert [tail for tail, _ in into] == [ids[id(a)], ids[id(a)]]
    assert len(dot.edges) == 3


def test_shared_node_has_one_edge_per_use() -> None:
    a, b = Value(2.0, "a"), Value(-1.5, "b")
    u = a * b
    w = u + u * u  # u is used three times
    ids = node_ids(w)
    dot = parse(draw(w))
    assert sum(1 for tail, _, _ in dot.edges if tail == ids[id(u)]) == 3
    assert len(dot.edges) == expected_counts(w)[3]


def test_every_primitive_draws_with_its_symbol() -> None:
    x, y = Value(0.5, "x"), Value(2.0, "y")
    out = ((x + y) - x * y) / y + x**2 + 2**x + x**y + (-x) + x.exp() + x.log() + x.sigmoid() + x.tanh() + x.relu()
    dot = parse(draw(out))
    symbols = {n.primitive.symbol for n in topological_order(out) if n.primitive is not None}
    drawn = {
        re.search(r"label=(\S+)", attrs)[1].strip('"') for name, attrs in dot.nodes.items() if name.endswith("_op")
    }
    assert drawn == symbols
    values, ops, constants, edges = expected_counts(out)
    assert dot.kinds() == {"value": values, "op": ops, "constant": constants}
    assert len(dot.edges) == edges


def test_sum_draws_one_edge_per_term_with_derivative_one() -> None:
    a, b = Value(2.0, "a"), Value(-1.5, "b")
    s = minigrad.sum([a * b, a, b, a, 0.25])
    s.backward()
    ids = node_ids(s)
    dot = parse(draw(s, local_grads=True, rules=True))
    into = dot.into(f"{ids[id(s)]}_op")
    assert [tail for tail, _ in into][:4] == [ids[id(s.parents[0])], ids[id(a)], ids[id(b)], ids[id(a)]]
    assert "_op_c" in into[4][0]  # the folded 0.25
    assert [DERIVATIVE.search(attrs)[1] for _, attrs in into[:4]] == ["1", "1", "1", "1"]
    assert "∂/∂x4 = 1" in into[3][1]
    values, ops, constants, edges = expected_counts(s)
    assert dot.kinds() == {"value": values, "op": ops, "constant": constants} and len(dot.edges) == edges
    assert sum(p.product for p in gradient_paths(s, a)) == a.grad


def test_dot_draws_one_edge_per_value_operand_with_its_partner_as_derivative() -> None:
    a, b, w = Value(2.0, "a"), Value(-1.5, "b"), Value(0.5, "w")
    s = minigrad.dot([a, w, b], [b, 3.0, a])  # a·b + w·3 + b·a
    s.backward()
    ids = node_ids(s)
    dot = parse(draw(s, local_grads=True, rules=True))
    into = dot.into(f"{ids[id(s)]}_op")
    a_, b_, w_, three = ids[id(a)], ids[id(b)], ids[id(w)], f"{ids[id(s)]}_op_c3"
    assert [tail for tail, _ in into] == [a_, b_, w_, three, b_, a_]  # x1, y1, x2, y2, x3, y3
    derivatives = [DERIVATIVE.search(attrs)[1] for tail, attrs in into if tail != three]
    assert derivatives == ["-1.5", "2", "3", "2", "-1.5"]  # ∂/∂xi = yi, ∂/∂yi = xi
    assert "∂/∂x1 = y1" in into[0][1] and "∂/∂y1 = x1" in into[1][1] and "∂/∂x2 = y2" in into[2][1]
    assert "∂/∂y3 = x3" in into[5][1]
    assert "label=3" in dot.nodes[f"{ids[id(s)]}_op_c3"]
    assert "∂/∂xᵢ = yᵢ, ∂/∂yᵢ = xᵢ" in dot.nodes[f"{ids[id(s)]}_op"]
    values, ops, constants, edges = expected_counts(s)
    assert dot.kinds() == {"value": values, "op": ops, "constant": constants} and len(dot.edges) == edges
    for leaf in (a, b, w):
        assert sum(p.product for p in gradient_paths(s, leaf)) == leaf.grad


def test_a_leaf_alone_is_one_box() -> None:
    dot = parse(draw(Value(1.0)))
    assert list(dot.kinds().values()) == [1, 0, 0] and dot.edges == []


# ------------------------------------------------------------------ options


def test_options_grads_layout_and_number_format() -> None:
    J = canonical_J()["J"]
    assert draw(J).graph_attr["rankdir"] == "LR"
    assert draw(J, rankdir="TB").graph_attr["rankdir"] == "TB"
    assert ">grad 1<" in draw(J).source and ">grad " not in draw(J, show_grads=False).source
    assert "data 33.00" in draw(J, number_format=".2f").source
    with pytest.raises(ValueError, match="rankdir"):
        draw(J, rankdir="sideways")
    with pytest.raises(ValueError, match="number_format"):
        draw(J, number_format="%d")


def test_labels_are_escaped() -> None:
    x = Value(1.0, 'a<b> & "c"')
    source = draw(x * 2).source
    assert "a&lt;b&gt; &amp; &quot;c&quot;" in source


def test_local_derivatives_on_edges_are_the_engines() -> None:
    nodes = canonical_J()
    J = nodes["J"]
    ids = node_ids(J)
    dot = parse(draw(J, local_grads=True, number_format=".17g"))
    for node in topological_order(J):
        if not node.op:
            continue
        into = [(tail, attrs) for tail, attrs in dot.into(f"{ids[id(node)]}_op") if "_op_c" not in tail]
        assert [tail for tail, _ in into] == [ids[id(p)] for p in node.parents]
        assert [float(DERIVATIVE.search(attrs)[1]) for _, attrs in into] == list(node.local_grads)
    assert "∂/∂" not in dot.edges[0][2]


def test_rules_come_from_the_primitive_declarations() -> None:
    z = Value(0.3, "z")
    a = z.sigmoid()
    source = draw(a, rules=True, local_grads=True).source
    assert "∂/∂x = σ(1−σ)" in source
    assert all("σ(1−σ)" not in attrs for _, _, attrs in parse(draw(a, local_grads=True)).edges)
    J = canonical_J()["J"]
    assert "∂/∂x = y" in draw(J, local_grads=True, rules=True).source


# ------------------------------------------------------------------ paths


def test_paths_of_the_canonical_example() -> None:
    nodes = canonical_J()
    J = nodes["J"]
    for name, grad in (("a", 3.0), ("b", 6.0), ("c", 9.0), ("u", 3.0), ("v", 3.0)):
        (path,) = gradient_paths(J, nodes[name])
        assert path.product == grad == nodes[name].grad
        assert path.nodes[0] is nodes[name] and path.nodes[-1] is J
    (path,) = gradient_paths(J, nodes["b"])
    assert path.factors == (2.0, 1.0, 3.0)
    assert str(path) == "b → u → v → J: 2 × 1 × 3 = 6"
    (itself,) = gradient_paths(J, J)
    assert itself.edges == () and itself.product == 1.0


def test_paths_of_a_times_a_use_each_edge() -> None:
    a = Value(3.0, "a")
    y = a * a
    y.backward()
    paths = gradient_paths(y, a)
    assert [p.edges for p in paths] == [((y, 0),), ((y, 1),)]
    assert sum(p.product for p in paths) == a.grad == 6.0


def test_no_path_means_no_gradient() -> None:
    x, unrelated = Value(1.0), Value(2.0)
    assert gradient_paths(x * 2, unrelated) == [] and count_paths(x * 2, unrelated) == 0


def test_exponential_path_counts_are_refused_clearly() -> None:
    x = Value(1.0, "x")
    y = x
    for _ in range(60):
        y = y + y
    assert count_paths(y, x) == 2**60
    with pytest.raises(TooManyPathsError, match=r"1,152,921,504,606,846,976 paths lead from x"):
        gradient_paths(y, x)
    with pytest.raises(TooManyPathsError):
        draw(y, paths_from=x)
    small = x
    for _ in range(5):
        small = small * 1.0 + small
    assert len(gradient_paths(small, x, limit=None)) == 32
    with pytest.raises(TooManyPathsError):
        gradient_paths(small, x, limit=31)


def test_long_chain_has_one_path_without_recursion() -> None:
    x = Value(1.0, "x")
    y = x
    for _ in range(20_000):
        y = y * 1.0
    (path,) = gradient_paths(y, x)
    assert len(path.edges) == 20_000 and path.product == 1.0
    assert parse(draw(y)).kinds() == {"value": 20_001, "op": 20_000, "constant": 20_000}


def test_path_drawing_highlights_each_path_and_sums_them() -> None:
    x = Value(3.0, "x")
    y = x * x + x
    y.label = "y"
    y.backward()
    g = draw(y, paths_from=x)
    source = g.source
    assert "sum = 7" in source and "x.grad = 7" in source
    paths = gradient_paths(y, x)
    for colour, path in zip(PATH_COLOURS, paths, strict=False):
        assert colour in source
        assert path.describe(".4g") in source
    coloured = [attrs for _, _, attrs in parse(g).edges if "penwidth" in attrs]
    assert len(coloured) == 4  # x→×, x→× (second use), ×-result→+, x→+
    assert "<font color" in source  # local derivatives are switched on for a path drawing


# ------------------------------------------------------------------ random DAGs

UNARY = ("tanh", "sigmoid", "neg", "exp_small")
BINARY = ("add", "sub", "mul", "mul_const", "const_sub", "div_safe", "sum", "dot", "pow_xy", "const_pow")


@st.composite
def programs(draw_: st.DrawFn) -> tuple[list[float], list[tuple[str, int, int, float]]]:
    leaves = draw_(st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=1, max_size=4))
    steps = []
    for i in range(draw_(st.integers(1, 16))):
        size = len(leaves) + i
        op = draw_(st.sampled_from(UNARY + BINARY))
        # One operand among the last three nodes (long paths), the other any earlier node,
        # repeats allowed: paths branch where a node is used twice and merge further on.
        j = size - 1 - draw_(st.integers(0, min(2, size - 1)))
        k = draw_(st.integers(0, size - 1))
        c = draw_(st.floats(-3.0, 3.0, allow_nan=False))
        steps.append((op, j, k, c))
    return leaves, steps


def run_program(leaves: list[float], steps: list[tuple[str, int, int, float]]) -> tuple[list[Value], Value]:
    nodes = [Value(x, f"x{i}") for i, x in enumerate(leaves)]
    pool = list(nodes)
    for op, j, k, c in steps:
        x, y = pool[j], pool[k]
        if op == "tanh":
            out = x.tanh()
        elif op == "sigmoid":
            out = x.sigmoid()
        elif op == "neg":
            out = -x
        elif op == "exp_small":
            out = (x.tanh()).exp()
        elif op == "add":
            out = x + y
        elif op == "sub":
            out = x - y
        elif op == "mul":
            out = (x * y).tanh()
        elif op == "mul_const":
            out = c * x
        elif op == "const_sub":
            out = c - x
        elif op == "sum":
            out = minigrad.sum([x, c, y, x])
        elif op == "dot":
            out = minigrad.dot([x, y, c], [y.tanh(), x, x])
        elif op == "pow_xy":
            out = (x.sigmoid() + 0.5) ** y.tanh()
        elif op == "const_pow":
            out = 1.5 ** x.tanh()
        else:
            out = x / (y.sigmoid() + 0.5)
        pool.append(out)
    return nodes, pool[-1]


@given(programs())
def test_paths_sum_to_the_gradient_on_random_dags(program: tuple[list[float], list]) -> None:
    leaves, root = run_program(*program)
    root.backward()
    for node in topological_order(root):
        paths = gradient_paths(root, node)
        assert len(paths) == count_paths(root, node)
        total = math.fsum(p.product for p in paths)
        assert math.isclose(total, node.grad, rel_tol=1e-9, abs_tol=1e-12), (total, node.grad)
        for p in paths:
            assert isinstance(p, GradientPath)
            assert p.factors == tuple(child.local_grads[k] for child, k in p.edges)
    for leaf in leaves:
        if not any(leaf is n for n in topological_order(root)):
            assert gradient_paths(root, leaf) == [] and leaf.grad == 0.0


@given(programs())
def test_random_dags_draw_every_node_and_edge(program: tuple[list[float], list]) -> None:
    _, root = run_program(*program)
    root.backward()
    g = draw(root, local_grads=True, number_format=".17g")
    dot = parse(g)
    values, ops, constants, edges = expected_counts(root)
    assert dot.kinds() == {"value": values, "op": ops, "constant": constants}
    assert len(dot.edges) == edges
    ids = node_ids(root)
    order = drawing_order(root)
    assert {id(n) for n in order} == {id(n) for n in topological_order(root)} and len(order) == len(ids)
    position = {id(n): i for i, n in enumerate(order)}
    assert all(position[id(p)] < position[id(n)] for n in order for p in n.parents)
    for node in topological_order(root):
        if node.op:
            into = [(t, a) for t, a in dot.into(f"{ids[id(node)]}_op") if "_op_c" not in t]
            assert [t for t, _ in into] == [ids[id(p)] for p in node.parents]
            drawn = [float(DERIVATIVE.search(a)[1]) for _, a in into]
            assert drawn == list(node.local_grads)

"""minigrad.steps: the frames follow the engine's order and end with the engine's gradients."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import Value, steps
from minigrad.examples import canonical_J, logistic_neuron


def engine_grads(root: Value) -> dict[Value, float]:
    """What root.backward() gives every node, from zero."""
    root.zero_grad()
    root.backward()
    grads = {node: node.grad for node in minigrad.topological_order(root)}
    root.zero_grad()
    return grads


def check_against_engine(root: Value) -> minigrad.Steps:
    frames = steps(root)
    order = minigrad.topological_order(root)
    backward = [f for f in frames if f.phase == "backward"]
    assert [f.node for f in backward] == [n for n in reversed(order) if n.parents]  # the engine's order
    assert frames[-1].phase == "done" and frames[-1].final == frozenset(order)
    expected = engine_grads(root)
    assert frames.final_grads() == expected
    for frame in backward:  # upstream × local = contribution, edge by edge
        assert frame.node in frame.final  # a node sends only once its gradient is complete
        assert [c.target for c in frame.contributions] == list(frame.node.parents)
        for c in frame.contributions:
            assert c.upstream == expected[frame.node]
            assert c.local == frame.node.local_grads[c.position]
            assert c.value == c.upstream * c.local
        for node in frame.final:  # a gradient called final does not change afterwards
            assert frame.grads[node] == expected[node]
    return frames


def test_canonical_example_frame_by_frame() -> None:
    nodes = canonical_J()
    J = nodes["J"]
    frames = check_against_engine(J)
    assert len(frames) == 8 and frames.backward_start == 4
    by_name = {frames.names[n]: n for n in frames.nodes}
    assert sorted(by_name) == ["J", "a", "b", "c", "u", "v"]
    forward = [f for f in frames if f.phase == "forward"]
    assert [f.node for f in forward] == [None, nodes["u"], nodes["v"], J]
    assert forward[0].computed == {nodes["a"], nodes["b"], nodes["c"]} and forward[0].grads == {}
    assert nodes["v"] not in forward[1].computed and nodes["v"] in forward[2].computed
    first, second, third = (f for f in frames if f.phase == "backward")
    assert first.caption == "dJ/dJ = 1 starts the backward pass at J; J passes 1 × 3 = 3 to v"
    assert second.caption == "dJ/dv = 3 reaches v; v passes 3 × 1 = 3 to a and 3 × 1 = 3 to u"
    assert second.grads == {J: 1.0, nodes["v"]: 3.0, nodes["a"]: 3.0, nodes["u"]: 3.0}
    assert nodes["b"] not in second.grads and nodes["a"] in second.final
    assert third.grads[nodes["b"]] == 6.0 and third.grads[nodes["c"]] == 9.0
    assert frames[-1].caption == "every gradient is final: dJ/da = 3, dJ/db = 6, dJ/dc = 9"


def test_a_node_used_twice_adds_its_two_contributions() -> None:
    a = Value(3.0, "a")
    y = a * a
    y.label = "y"
    frames = check_against_engine(y)
    (step,) = [f for f in frames if f.phase == "backward"]
    assert [(c.target, c.value) for c in step.contributions] == [(a, 3.0), (a, 3.0)]
    assert step.grads[a] == 6.0
    assert step.caption == "dy/dy = 1 starts the backward pass at y; y passes 1 × 3 = 3 to a and 1 × 3 = 3 to a; " \
        "a adds up 3 + 3 = 6"


def test_paths_that_merge_build_the_gradient_up_step_by_step() -> None:
    x = Value(2.0, "x")
    s = x * 3  # x used twice, along two paths that meet at f
    t = x.exp()
    f = s + t
    f.label = "f"
    frames = check_against_engine(f)
    grads_of_x = [frame.grads.get(x) for frame in frames if frame.phase == "backward"]
    assert grads_of_x[0] is None  # f passes to s and t only
    partial = [g for g in grads_of_x if g is not None]
    assert partial[-1] == pytest.approx(3 + math.exp(2.0)) and len(set(partial)) == 2  # 3 (or e²), then both
    running = [frame for frame in frames if frame.phase == "backward" and x in frame.grads and x not in frame.final]
    assert len(running) == 1  # one step with x's gradient still adding up
    assert "adds up" in [frame for frame in frames if frame.phase == "backward"][-1].caption


def test_logistic_neuron_gives_dz_equal_a_minus_y() -> None:
    nodes = logistic_neuron()
    frames = check_against_engine(nodes["L"])
    final = frames.final_grads()
    a_minus_y = nodes["a"].data - 1.0
    assert final[nodes["z"]] == pytest.approx(a_minus_y)
    assert final[nodes["w1"]] == pytest.approx(1.0 * a_minus_y)
    sigmoid_step = next(f for f in frames if f.phase == "forward" and f.node is nodes["a"])
    assert sigmoid_step.caption.startswith("a = σ(z) = σ(") and sigmoid_step.caption.endswith("= 0.5622")


def test_sum_dot_constants_and_unlabelled_nodes_are_named_in_captions() -> None:
    w1, w2, b = Value(0.5, "w1"), Value(-1.0, "w2"), Value(0.25, "b")
    z = minigrad.dot([w1, w2, b], [2.0, 3.0, 1.0])
    total = minigrad.sum([z, w1, 2.0])
    out = -(2 - total) / 4
    frames = check_against_engine(out)
    captions = [f.caption for f in frames]
    assert "u = w1·2 + w2·3 + b·1 = 0.5·2 + (-1)·3 + 0.25·1 = -1.75" in captions
    assert "v = u + w1 + 2 = (-1.75) + 0.5 + 2 = 0.75" in captions
    assert "w = 2 − v = 2 − 0.75 = 1.25" in captions
    assert "p = −w = −1.25 = -1.25" in captions
    assert frames.names[out] == "q"


def test_functions_of_one_and_two_operands_read_as_written() -> None:
    x, y = Value(-2.0, "x"), Value(3.0, "y")
    out = minigrad.maximum(abs(x), y) + (x**2).exp() + x.sigmoid()
    captions = {f.caption for f in steps(out)}
    assert "u = |x| = |-2| = 2" in captions
    assert "v = max(u, y) = max(2, 3) = 3" in captions
    assert "w = x ^ 2 = (-2) ^ 2 = 4" in captions and "p = exp(w) = exp(4) = 54.6" in captions
    assert "r = σ(x) = σ(-2) = 0.1192" in captions


def test_spare_names_never_clash_with_labels() -> None:
    u, v = Value(1.0, "u"), Value(2.0, "v")
    y = (u * v).exp()
    names = steps(y).names
    assert len(set(names.values())) == len(names)
    assert names[u] == "u" and names[v] == "v"


def test_the_users_gradients_are_left_alone() -> None:
    nodes = canonical_J()  # backward already run: a.grad = 3
    nodes["J"].backward()  # and again: gradients accumulate to 6
    before = {name: node.grad for name, node in nodes.items()}
    frames = steps(nodes["J"])
    assert {name: node.grad for name, node in nodes.items()} == before
    assert frames.final_grads()[nodes["a"]] == 3.0  # one pass, from zero


def test_a_leaf_alone_and_bad_input() -> None:
    x = Value(4.0, "x")
    frames = steps(x)
    assert [f.phase for f in frames] == ["forward", "done"] and frames.final_grads() == {x: 1.0}
    with pytest.raises(TypeError, match="steps\\(\\) takes the Value at the end of a graph, got float"):
        steps(3.0)  # type: ignore[arg-type]


def test_deep_graphs_do_not_recurse() -> None:
    x = Value(1.0, "x")
    y = x
    for _ in range(3000):
        y = y * 1.0001
    frames = steps(y)
    assert frames.final_grads()[x] == pytest.approx(1.0001**3000)


@st.composite
def graphs(draw: st.DrawFn) -> Value:
    """Random graphs over three leaves where intermediate results are reused, so paths branch and merge."""
    pool: list[Value] = [Value(draw(st.floats(0.5, 2.0)), name) for name in "abc"]
    for _ in range(draw(st.integers(1, 8))):
        x, y = draw(st.sampled_from(pool)), draw(st.sampled_from(pool))
        op = draw(st.sampled_from(["add", "mul", "sub", "tanh", "sigmoid"]))
        node = {"add": x + y, "mul": x * y, "sub": x - y, "tanh": x.tanh(), "sigmoid": x.sigmoid()}[op]
        pool.append(node)
    return pool[-1]


@given(graphs())
def test_random_graphs_end_with_the_engines_gradients(root: Value) -> None:
    check_against_engine(root)

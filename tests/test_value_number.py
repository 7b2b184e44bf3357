"""A Value read as a number (float, round, format, comparisons, bool), as a dict key, checked fields, threads."""

from __future__ import annotations

import math
import sys
import threading
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import Value

numbers = st.floats(-1e6, 1e6)


@given(numbers, st.integers(0, 6))
def test_float_round_and_format_read_the_data(x: float, digits: int) -> None:
    v = Value(x, "v") * 1.0
    assert float(v) == x and type(float(v)) is float
    assert round(v, digits) == round(x, digits) and type(round(v, digits)) is float
    assert round(v) == round(x) and type(round(v)) is int  # as round() of a float
    assert f"{v:.3f}" == f"{x:.3f}" and format(v, "e") == format(x, "e") and f"{v}" == f"{x}"
    assert math.isclose(math.sin(v), math.sin(x))  # math functions take it as a float (no node)


@given(numbers, numbers)
def test_comparisons_give_bools_on_the_data(x: float, y: float) -> None:
    a, b = Value(x), Value(y)
    for got, expected in [(a < b, x < y), (a <= b, x <= y), (a > b, x > y), (a >= b, x >= y)]:
        assert got is expected
    assert (a < y) is (x < y) and (y < a) is (y < x) and (a >= y) is (x >= y)
    assert bool(a) is (x != 0.0)


def test_branches_min_max_and_sorted_work() -> None:
    xs = [Value(3.0, "a"), Value(-1.0, "b"), Value(2.0, "c")]
    assert max(xs).label == "a" and min(xs).label == "b"
    assert [v.label for v in sorted(xs)] == ["b", "c", "a"]
    x = Value(-2.0)
    y = -x if x < 0 else x  # an `if` on a Value: the branch taken is part of the graph
    y.backward()
    assert x.grad == -1.0
    assert not Value(0.0) and Value(1e-300)
    assert (Value(1.0) < Fraction(3, 2)) is True and (Value(1.0) < np.float64(0.5)) is False


def test_equality_and_hash_are_identity_so_values_are_dict_keys_and_set_members() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a == a and a != b and (a == 1.0) is False
    assert len({a, b, a}) == 2
    seen = {a: "first", b: "second"}
    assert seen[a] == "first" and seen[b] == "second"
    a.data = 5.0  # the key stays the same object whatever its data
    assert seen[a] == "first" and a in {a}


def test_comparing_with_a_non_number_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="str"):
        _ = Value(1.0) < "2"  # type: ignore[operator]
    with pytest.raises(TypeError, match="NoneType"):
        _ = Value(1.0) >= None  # type: ignore[operator]


@pytest.mark.parametrize("bad", ["3", 1 + 2j, None, [1.0], Value(1.0)])
def test_assigning_a_non_number_to_data_raises_at_that_line(bad: object) -> None:
    v = Value(2.0)
    with pytest.raises(TypeError, match=type(bad).__name__):
        v.data = bad  # type: ignore[assignment]
    assert v.data == 2.0


@pytest.mark.parametrize("bad", ["3", 1 + 2j, None, [1.0]])
def test_assigning_a_non_number_to_grad_raises_at_that_line(bad: object) -> None:
    v = Value(2.0)
    with pytest.raises(TypeError, match=type(bad).__name__):
        v.grad = bad  # type: ignore[assignment]
    assert v.grad == 0.0


@pytest.mark.parametrize("bad", [3, None, b"x", ["x"]])
def test_assigning_a_non_str_label_raises_at_that_line(bad: object) -> None:
    v = Value(2.0, "v")
    with pytest.raises(TypeError, match="label must be a str"):
        v.label = bad  # type: ignore[assignment]
    assert v.label == "v"


def test_assigned_numbers_are_stored_as_floats() -> None:
    v = Value(1.0)
    v.data, v.grad, v.label = np.float32(2.5), Fraction(1, 4), "w"
    assert (v.data, v.grad, v.label) == (2.5, 0.25, "w")
    assert type(v.data) is float and type(v.grad) is float
    g = Value(3.0)
    v.grad = g  # a gradient graph (create_graph) is a Value: kept as it is
    assert v.grad is g


def test_the_error_points_at_the_assignment_line() -> None:
    import traceback

    v = Value(1.0)
    try:
        v.data = "oops"  # type: ignore[assignment]  # the offending line
    except TypeError as error:
        frames = traceback.extract_tb(error.__traceback__)
        user = [f for f in frames if "/minigrad/" not in f.filename.replace("\\", "/")]
        assert "the offending line" in (user[-1].line or "")


# ------------------------------------------------------------------ threads


def chain_through(shared: Value, k: int, length: int = 400) -> Value:
    """``shared`` used ``length + 1`` times; integer data, so every gradient sum is exact whatever the order."""
    out = shared * k
    for i in range(length):
        out = out + shared * ((i % 3) + 1)
    return out


def run_threads(work: list[threading.Thread]) -> None:
    """Start and join ``work``, switching threads every microsecond so that unsafe interleavings happen."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for t in work:
            t.start()
        for t in work:
            t.join()
    finally:
        sys.setswitchinterval(interval)


def test_four_threads_sharing_a_non_leaf_node_give_the_sequential_sums() -> None:
    a, b = Value(3.0, "a"), Value(2.0, "b")
    shared = a * b + a  # a non-leaf node every graph goes through
    outs = [chain_through(shared, k) for k in range(1, 5)]
    rounds = 5

    sequential_a, sequential_b = Value(3.0), Value(2.0)
    sequential_shared = sequential_a * sequential_b + sequential_a
    for k in range(1, 5):
        for _ in range(rounds):
            chain_through(sequential_shared, k).backward()

    def work(out: Value) -> None:
        for _ in range(rounds):
            out.backward()

    run_threads([threading.Thread(target=work, args=(out,)) for out in outs])
    assert (a.grad, b.grad, shared.grad) == (sequential_a.grad, sequential_b.grad, sequential_shared.grad)
    assert shared.grad == rounds * sum(k + sum((i % 3) + 1 for i in range(400)) for k in range(1, 5))


def test_two_threads_calling_backward_on_one_graph_add_up() -> None:
    x = Value(1.0)
    out = chain_through(x * 2.0, 1, 2000)
    out.backward()
    once = x.grad
    x.grad = 0.0
    rounds = 10
    run_threads([threading.Thread(target=lambda: [out.backward() for _ in range(rounds)]) for _ in range(2)])
    assert x.grad == 2 * rounds * once


def test_functional_gradients_in_threads_leave_the_shared_grads_alone() -> None:
    """grad() reads a gradient without keeping it: other threads' backward sums stay exact."""
    w = Value(2.0)
    outs = [chain_through(w * 1.0, 1, 500) for _ in range(2)]
    errors: list[BaseException] = []

    def functional() -> None:
        try:
            for _ in range(20):
                assert minigrad.grad(lambda v: v * v * 3)(2.0) == 12.0
        except BaseException as error:  # reported below, from the main thread
            errors.append(error)

    run_threads(
        [threading.Thread(target=functional)]
        + [threading.Thread(target=lambda out=out: [out.backward() for _ in range(5)]) for out in outs]
    )
    assert not errors
    alone = Value(2.0)
    chain_through(alone * 1.0, 1, 500).backward()
    assert w.grad == 2 * 5 * alone.grad  # two graphs, five passes each


def test_reads_are_watched_in_the_calling_thread_only() -> None:
    import threading

    from minigrad.engine import watch_reads

    other, mine = Value(2.0), Value(3.0)
    spinning = threading.Event()
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            _ = other > 1.0
            spinning.set()

    thread = threading.Thread(target=spin)
    thread.start()
    seen: list[object] = []
    try:
        spinning.wait(5)
        with watch_reads(lambda value, how, arg, result: seen.append(value)):
            for _ in range(1000):
                _ = mine < 4.0
    finally:
        stop.set()
        thread.join()
    assert seen and all(value is mine for value in seen)

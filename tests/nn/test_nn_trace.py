"""The dataflow graph recorded by trace_step: well-formed, faithful to the real step."""
import json
from collections import Counter

import numpy as np
import pytest

from generators.nn import (L2, Conv2D, CrossEntropy, Dense, Flatten, GradientDescent, MaxPool2D,
                           QuadraticCost, ReLU, Sequential, Sigmoid, Softmax, trace_step)
from generators.nn.trace import EDGE_KINDS


def mlp():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(3, 4), Sigmoid(), Dense(4, 2), Sigmoid()], rng=rng)
    return model, rng.standard_normal((5, 3)), rng.uniform(0, 1, (5, 2))


def cnn():
    rng = np.random.default_rng(0)
    model = Sequential([Conv2D(1, 2, 3, padding=1), ReLU(), MaxPool2D(2), Flatten(),
                        Dense(32, 3), Softmax()], rng=rng)
    return model, rng.standard_normal((4, 1, 8, 8)), np.eye(3)[[0, 1, 2, 0]]


CASES = [(mlp, QuadraticCost(), None), (mlp, QuadraticCost(), L2(0.1)), (cnn, CrossEntropy(), None)]


@pytest.mark.parametrize("make,cost,penalty", CASES)
def test_graph_is_well_formed(make, cost, penalty):
    model, x, y = make()
    graph = trace_step(model, x, y, cost, GradientDescent(0.1), penalty)
    names = [n.name for n in graph.nodes]
    assert len(names) == len(set(names))
    for e in graph.edges:
        assert e.src in names and e.dst in names and e.kind in EDGE_KINDS
        assert (e.shape is None) == (e.kind == "control")
    assert set(Counter(e.kind for e in graph.edges)) == set(EDGE_KINDS)
    # acyclic: Kahn's algorithm removes every node
    indegree = Counter(e.dst for e in graph.edges)
    ready = [n for n in names if indegree[n] == 0]
    removed = 0
    while ready:
        node = ready.pop()
        removed += 1
        for e in graph.edges:
            if e.src == node:
                indegree[e.dst] -= 1
                if indegree[e.dst] == 0:
                    ready.append(e.dst)
    assert removed == len(names)
    # every data edge carries one of its source's outputs
    shapes = {n.name: n.shapes for n in graph.nodes}
    for e in graph.edges:
        if e.kind != "control":
            assert e.shape in shapes[e.src], e
    assert json.loads(json.dumps(graph.to_dict())) == graph.to_dict()


@pytest.mark.parametrize("make,cost,penalty", CASES)
def test_graph_matches_the_real_step(make, cost, penalty):
    model, x, y = make()
    before = {k: v.copy() for k, v in model.params().items()}
    outputs = []
    h = x
    for layer in model.layers:
        h = layer.forward(h)[0]
        outputs.append(h.shape)
    model.backward(cost.value_and_grad(model.forward(x), y)[1])
    grads = {k: v.copy() for k, v in model.grads.items()}
    graph = trace_step(model, x, y, cost, GradientDescent(0.1), penalty)
    node = {n.name: n for n in graph.nodes}
    edges = graph.edges
    assert node["inputs/x"].shapes == (x.shape,) and node["inputs/y"].shapes == (y.shape,)
    for layer, shape in zip(model.layers, outputs):
        last = f"{layer.name}/{layer.trace_ops()[-1][0].lower()}"
        assert node[last].shapes == (shape,)
    for name, p in before.items():
        assert node[name].op == "Variable" and node[name].shapes == (p.shape,)
        update = f"sgd/update_{name.replace('/', '_')}"
        assert node[update].shapes == (p.shape,)
        assert any(e.src == name and e.dst == update and e.kind == "reference" for e in edges)
        forward_reads = [e for e in edges if e.src == name and e.kind == "data"
                         and not e.dst.startswith(("sgd/", "gradients/", "loss/"))]
        assert forward_reads, name               # the forward pass reads every variable
        grad_edge = next(e for e in edges if e.dst == update and e.src.startswith("gradients/"))
        assert grads[name].shape in node[grad_edge.src].shapes
        assert any(e.src == update and e.dst == "train/step" and e.kind == "control" for e in edges)
    # trace_step really ran a step: the parameters moved by -eta * grad (+ penalty)
    for name, p in model.params().items():
        g = grads[name] + (penalty.grad(before[name]) if penalty and name.endswith("/W") else 0)
        np.testing.assert_allclose(p, before[name] - 0.1 * g, rtol=1e-12)


def test_names_are_hierarchical_as_in_tensorflow():
    model, x, y = mlp()
    names = {n.name for n in trace_step(model, x, y, QuadraticCost(), GradientDescent(0.1)).nodes}
    for expected in ("dense1/matmul", "dense1/biasadd", "sigmoid2/sigmoid", "dense2/W",
                     "loss/quadraticcost", "gradients/dense1/matmul_grad", "sgd/update_dense1_W",
                     "train/step"):
        assert expected in names


def test_bookkeeping_ops_initialise_and_log_every_variable():
    model, x, y = mlp()
    graph = trace_step(model, x, y, QuadraticCost(), GradientDescent(0.1), bookkeeping=True)
    node = {n.name: n for n in graph.nodes}
    params = model.params()
    assert node["init/all"].op == "NoOp" and node["summaries/merged"].op == "MergeSummary"
    for name, p in params.items():
        assign = f"init/{name.replace('/', '_')}"
        assert node[assign].op == "Assign" and node[assign].shapes == (p.shape,)
        assert any(e.src == name and e.dst == assign and e.kind == "reference" for e in graph.edges)
        assert any(e.src == assign and e.dst == "init/all" and e.kind == "control" for e in graph.edges)
    logged = {e.src for e in graph.edges if e.dst.startswith("summaries/") and e.dst != "summaries/merged"}
    assert logged == {"loss/quadraticcost", *model.weights()}
    plain = trace_step(*mlp(), QuadraticCost(), GradientDescent(0.1))
    assert not any(n.name.startswith(("init/", "summaries/")) for n in plain.nodes)


def test_timer_measures_each_namespace_of_the_step():
    ticks = iter(range(1000))
    model, x, y = mlp()
    graph = trace_step(model, x, y, QuadraticCost(), GradientDescent(0.1), timer=lambda: next(ticks))
    layers = [layer.name for layer in model.layers]
    assert set(graph.seconds) == {*layers, *(f"gradients/{n}" for n in layers), "loss", "sgd"}
    assert all(s == 1 for s in graph.seconds.values())    # one tick per timed call
    assert graph.to_dict()["seconds"] == graph.seconds
    assert trace_step(*mlp(), QuadraticCost(), GradientDescent(0.1)).seconds == {}

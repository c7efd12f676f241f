"""Dataflow graphs of the course's own networks (content/visualization/dataflow-graphs.md).

The course library traces one real training step (``generators.nn.trace_step``) of the
lessons' MLP [64, 30, 10] and CNN; this package simplifies the traced graph the way
TensorFlow's graph visualizer does (Wongsuphasawat et al. 2018), in pure functions:

- ``hierarchy``: clustering by namespace, expansion states, edge bundling;
- ``auxiliary``: high-degree and bookkeeping nodes to a side area, stubs on the rest;
- ``templates``: repeated structure (signature, then verified match), numbered series;
- ``overlay``: parameter counts, output sizes (and optionally times) per op and group;
- ``render``: Graphviz layout to SVG in a theme; ``explorer``: JSON for the page's
  interactive explorer (site_config/assets/js/dataflow.js).

Deliberately left out: graphs the library cannot trace (branches, loops), and the
paper's device and memory views.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from generators.cnns import CNN_PARAMS, build_cnn
from generators.dataflow_graphs.auxiliary import extract_auxiliary
from generators.dataflow_graphs.hierarchy import Hierarchy, build_hierarchy
from generators.dataflow_graphs.overlay import overlay_values
from generators.dataflow_graphs.templates import Series, find_series, find_templates, with_series
from generators.figure import Param, Params
from generators.nn import (CrossEntropy, Dense, GradientDescent, Graph, Momentum, QuadraticCost,
                           Sequential, Sigmoid, data, trace_step)

TRACE_PARAM_SPECS = {
    "seed": Param(0, "random seed for the initial weights and the minibatch", min=0),
    "batch_size": Param(10, "training digits in the traced step's minibatch", min=1, max=1347),
    "min_series": Param(2, "fewest numbered siblings (layer1, layer2, ...) collapsed into a series",
                        min=2),
    "measure_time": Param(False, "time every op: adds the explorer's time overlay, which varies per build"),
}
TRACE_PARAMS = {k: v.default for k, v in TRACE_PARAM_SPECS.items()}  # the plain default values


def trace_mlp(p: Params) -> tuple[Graph, Sequential]:
    """The first training step of the lessons' digits MLP [64, 30, 10]: sigmoid units,
    quadratic cost, gradient descent (eta 3.0) on a random minibatch."""
    rng = np.random.default_rng(p["seed"])
    X, Y, _, _ = data.digits()
    model = Sequential([Dense(64, 30), Sigmoid(), Dense(30, 10), Sigmoid()], rng=rng)
    batch = rng.choice(len(X), p["batch_size"], replace=False)
    graph = trace_step(model, X[batch], Y[batch], QuadraticCost(), GradientDescent(eta=3.0),
                       bookkeeping=True, timer=time.perf_counter if p["measure_time"] else None)
    return graph, model


def trace_cnn(p: Params) -> tuple[Graph, Sequential]:
    """The first training step of the CNN lesson's network (generators/cnns): convolution,
    ReLU, max-pooling, a dense softmax layer, cross-entropy cost, momentum."""
    rng = np.random.default_rng(p["seed"])
    X, Y, _, _ = data.digits(images=True)
    model = build_cnn(CNN_PARAMS, rng)
    batch = rng.choice(len(X), p["batch_size"], replace=False)
    graph = trace_step(model, X[batch], Y[batch], CrossEntropy(),
                       Momentum(eta=CNN_PARAMS["eta"], mu=CNN_PARAMS["mu"]),
                       bookkeeping=True, timer=time.perf_counter if p["measure_time"] else None)
    return graph, model


@dataclass(frozen=True)
class Analysis:
    """A traced graph with everything the simplifications found in it."""

    graph: Graph
    h: Hierarchy                        # groups by namespace
    templates: dict[str, int]           # group -> template id (shared structure)
    aux: dict[str, str]                 # box -> why it goes to the side area
    values: dict[str, dict[str, float]]     # overlay -> op or group -> value
    series: list[Series]
    hs: Hierarchy                       # the same with each numbered series as a group
    aux_series: dict[str, str]
    values_series: dict[str, dict[str, float]]


def analyse(graph: Graph, min_series: int = 2) -> Analysis:
    """Cluster, find templates, series and auxiliary nodes, and measure overlays."""
    h = build_hierarchy(graph)
    templates = find_templates(graph, h)
    series = find_series(graph, h, templates, min_series)
    hs = with_series(h, series)
    return Analysis(graph, h, templates, extract_auxiliary(graph, h), overlay_values(graph, h),
                    series, hs, extract_auxiliary(graph, hs), overlay_values(graph, hs))

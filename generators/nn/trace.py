"""Dataflow graph of one training step, as plain data (drawing it is not done here).

``trace_step(model, x, y, cost, optimizer)`` runs one real step (forward, cost,
backward, update: the parameters change) and records it the way TensorFlow's graph
would hold it:

- nodes: operations with hierarchical names (``inputs/x``, ``dense1/W``,
  ``dense1/matmul``, ``loss/quadraticcost``, ``gradients/dense1/matmul_grad``,
  ``sgd/update_dense1_W``, ``train/step``), an op type and the shape of each output;
- edges of three kinds: "data" (a tensor, with its shape), "reference" (from a
  variable to the op that updates it: a pointer to the variable, not its value),
  "control" (no data: the source must finish before the target starts).

Variables feed forward ops and gradient ops by data edges (reads) and update ops by
reference edges; each update's gradient arrives by a data edge; ``train/step``
(a NoOp) waits for every update through control edges; the gradient computation
waits for the loss through a control edge. Op granularity is one node per op a
layer lists in ``trace_ops()`` (Dense: MatMul then BiasAdd), not per NumPy call.

Options: ``bookkeeping=True`` adds what a TensorFlow program holds besides the step:
``init/<var>`` (Assign, writing each variable's initial value through a reference
edge; the library ran them when the model was built) gathered by the ``init/all``
NoOp, and ``summaries/`` ops logging the loss and each weight (ScalarSummary,
HistogramSummary) merged by ``summaries/merged`` (MergeSummary), as a training loop's
metrics do. ``timer=time.perf_counter`` records the wall time of each layer's forward
and backward, the cost and the update in ``Graph.seconds``, keyed by namespace
(``dense1``, ``gradients/dense1``, ``loss``, ``sgd``): one measurement, so noisy.

Deliberately left out: layout, drawing, grouping of repeated structure.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .graph import EDGE_KINDS, Edge, Graph, Node, _Builder  # noqa: F401 (re-exported)
from .losses import L2, Cost
from .model import Sequential
from .optim import GradientDescent

_SAVES_OUTPUT = ("Sigmoid", "Tanh", "Softmax")      # backward reuses the op's output a
_SAVES_NOTHING = ("BiasAdd", "Reshape", "Identity")  # backward needs no saved tensor


def trace_step(model: Sequential, x: np.ndarray, y: np.ndarray, cost: Cost,
               optimizer: GradientDescent, penalty: L2 | None = None, *,
               bookkeeping: bool = False, timer: Callable[[], float] | None = None) -> Graph:
    """Run one training step on the batch (x, y) and return its dataflow ``Graph``."""
    g = _Builder(timer)
    g.node("inputs/x", "Placeholder", x.shape)
    g.node("inputs/y", "Placeholder", y.shape)
    params, weights = model.params(), model.weights()
    for name, p in params.items():
        g.node(name, "Variable", p.shape)
    # Forward: each op consumes the previous op's output; parameters are read by data edges.
    src, h, saved = "inputs/x", x, []
    for layer in model.layers:
        out, cache = g.timed(layer.name, layer.forward, h)
        ops, inputs = layer.trace_ops(), [(src, h.shape)]
        for op, param in ops:
            name = g.node(f"{layer.name}/{op.lower()}", op, out.shape)
            g.edge(src, name, "data", inputs[-1][1])
            if param:
                g.edge(f"{layer.name}/{param}", name, "data", layer.params[param].shape)
            src = name
            inputs.append((name, out.shape))
        saved.append((layer, cache, ops, inputs))
        h = out
    C, delta = g.timed("loss", cost.value_and_grad, h, y)
    loss = g.node(f"loss/{cost.op.lower()}", cost.op, ())
    g.edge(src, loss, "data", h.shape)
    g.edge("inputs/y", loss, "data", y.shape)
    if penalty is not None:
        g.node("loss/penalty", penalty.op, ())
        for name, W in weights.items():
            g.edge(name, "loss/penalty", "data", W.shape)
        g.node("loss/total", "Add", ())
        g.edge(loss, "loss/total", "data", ())
        g.edge("loss/penalty", "loss/total", "data", ())
    # Backward: one gradient op per forward op, in reverse; delta flows between them.
    dsrc = g.node("gradients/loss/grad", cost.op + "Grad", delta.shape)
    g.edge(src, dsrc, "data", h.shape)
    g.edge("inputs/y", dsrc, "data", y.shape)
    g.edge(loss, dsrc, "control")
    grads, grad_src = {}, {}
    for layer, cache, ops, inputs in reversed(saved):
        delta_shape = delta.shape
        delta, layer_grads = g.timed(f"gradients/{layer.name}", layer.backward, delta, cache)
        for (op, param), (fwd_in, in_shape), (fwd_out, _) in reversed(
                list(zip(ops, inputs[:-1], inputs[1:]))):
            shapes = [in_shape] + ([layer.params[param].shape] if param else [])
            name = g.node(f"gradients/{layer.name}/{op.lower()}_grad", op + "Grad", *shapes)
            g.edge(dsrc, name, "data", delta_shape)
            if op in _SAVES_OUTPUT:
                g.edge(fwd_out, name, "data", delta_shape)
            elif op not in _SAVES_NOTHING:
                g.edge(fwd_in, name, "data", in_shape)
            if param and op != "BiasAdd":
                g.edge(f"{layer.name}/{param}", name, "data", layer.params[param].shape)
            if param:
                grad_src[f"{layer.name}/{param}"] = name
            dsrc, delta_shape = name, in_shape
        grads.update({f"{layer.name}/{k}": v for k, v in layer_grads.items()})
    if penalty is not None:
        g.node("gradients/loss/penalty_grad", penalty.op + "Grad",
               *(W.shape for W in weights.values()))
        for name, W in weights.items():
            g.edge(name, "gradients/loss/penalty_grad", "data", W.shape)
            grads[name] = grads[name] + penalty.grad(W)
    # Update: read each gradient, write the variable through its reference.
    step = g.node("train/step", "NoOp")
    for name, p in params.items():
        update = g.node(f"{optimizer.name}/update_{name.replace('/', '_')}", optimizer.op, p.shape)
        g.edge(name, update, "reference", p.shape)
        g.edge(grad_src[name], update, "data", p.shape)
        if penalty is not None and name in weights:
            g.edge("gradients/loss/penalty_grad", update, "data", p.shape)
        g.edge(update, step, "control")
    g.timed(optimizer.name, optimizer.step, params, grads)
    if bookkeeping:
        _bookkeeping(g, params, weights, loss if penalty is None else "loss/total")
    return g.graph()


def _bookkeeping(g: _Builder, params: dict, weights: dict, loss: str) -> None:
    """Initialisation and summary ops, as a TensorFlow training program would hold them."""
    g.node("init/all", "NoOp")
    for name, p in params.items():
        assign = g.node(f"init/{name.replace('/', '_')}", "Assign", p.shape)
        g.edge(name, assign, "reference", p.shape)
        g.edge(assign, "init/all", "control")
    merged = g.node("summaries/merged", "MergeSummary", ())
    logged = [(loss, "loss", "ScalarSummary", ())] + [
        (name, name.replace("/", "_"), "HistogramSummary", W.shape) for name, W in weights.items()]
    for src, key, op, shape in logged:
        summary = g.node(f"summaries/{key}", op, ())
        g.edge(src, summary, "data", shape)
        g.edge(summary, merged, "data", ())

"""The dataflow graph of one training step of the CNN lesson's network.

Compute: ``trace_step`` runs the first step of training of the CNN built by
``generators.cnns.build_cnn`` (convolution, ReLU, max-pooling, flatten, dense softmax
layer; cross-entropy cost; momentum) with initialisation and summary ops, and
``analyse`` simplifies it and measures the overlays.
Draw: the overview coloured by the numbers each group produces during the step, and
the fully expanded graph. Export: the explorer's JSON.
"""
from __future__ import annotations

from generators.dataflow_graphs import TRACE_PARAM_SPECS, analyse, trace_cnn
from generators.dataflow_graphs.explorer import explorer_data
from generators.dataflow_graphs.figures import draw_expanded, draw_overview, stats
from generators.figure import Export, Figure, Generator, Params
from generators.style import themes

RESULTS = ("ops", "edges", "top_boxes", "aux_boxes", "overview_edges", "stubs", "templates",
           "params", "largest_level", "conv_output", "gradients_output", "forward_output",
           "output_total")
FORWARD = ("conv1", "relu1", "maxpool1", "flatten1", "dense1", "softmax1")


def compute(p: Params) -> dict:
    graph, _ = trace_cnn(p)
    a = analyse(graph, p["min_series"])
    output = a.values["output"]
    top = a.h.children[""]
    return {"analysis": a, **stats(a, "cnn"),
            "cnn_conv_output": int(output["conv1"]), "cnn_gradients_output": int(output["gradients"]),
            "cnn_forward_output": int(sum(output[b] for b in top if b in FORWARD)),
            "cnn_output_total": int(sum(output[b] for b in top))}


GENERATOR = Generator(
    compute=compute,
    params=TRACE_PARAM_SPECS,
    results=tuple(f"cnn_{r}" for r in RESULTS),
    figures=(
        Figure(
            "cnn-overview", lambda d, p, theme: draw_overview(d["analysis"], theme, overlay="output"),
            caption=(
                "The CNN's training step, overview coloured by an overlay: how many numbers "
                "the ops in each group produced during the traced step, coloured by the "
                "logarithm of 1 + that number (so a box with none has a colour too; the legend "
                "gives the smallest and the largest). The backward pass in `gradients` produces the most, and among the "
                "forward layers the convolution's feature maps dominate."
            ),
            alt=(
                "A graph of rounded boxes from inputs through conv1, relu1, maxpool1, flatten1, "
                "dense1 and softmax1 to loss, gradients and momentum, filled with colours from "
                "dark purple for small values to yellow for large ones; gradients and conv1 are "
                "the brightest. A colour legend with the smallest and largest value sits at the "
                "top, and a separate dashed box holds train, init and summaries."
            ),
        ),
        Figure(
            "cnn-expanded", lambda d, p, theme: draw_expanded(d["analysis"], theme),
            caption=(
                "The CNN's step with every group of the main graph opened, each op with the "
                "shape of its output. Follow the tensor shapes down the forward pass "
                "(images, feature maps, pooled maps, a flat vector, ten class scores) and "
                "back up the chain in `gradients`, which mirrors it op for op."
            ),
            alt=(
                "A tall graph of rounded clusters. The forward clusters conv1, relu1, maxpool1, "
                "flatten1, dense1 and softmax1 hold ovals labelled with op names and output "
                "shapes; a gradients cluster holds the mirrored chain of gradient ops; a "
                "momentum cluster holds four update ops reached by dashed orange reference "
                "edges from the variables."
            ),
        ),
    ),
    exports=(Export("cnn", lambda d, p: explorer_data(
        d["analysis"], "CNN (convolution, pooling, dense softmax), one training step", themes()[0])),),
)

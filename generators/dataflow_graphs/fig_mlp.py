"""The dataflow graph of one training step of the lessons' digits MLP [64, 30, 10].

Compute: ``trace_step`` runs the first step of training (forward, quadratic cost,
backpropagation, gradient-descent updates) on a minibatch, with the initialisation
and summary ops a TensorFlow program would hold; ``analyse`` clusters it by namespace,
finds templates, numbered series and auxiliary nodes, and measures the overlays.
Draw: Graphviz SVGs of the raw graph beside the overview, the overview with numbered
series collapsed, and the fully expanded graph. Export: the explorer's JSON.
"""
from __future__ import annotations

from generators.dataflow_graphs import TRACE_PARAM_SPECS, analyse, trace_mlp
from generators.dataflow_graphs.explorer import explorer_data
from generators.dataflow_graphs.figures import draw_expanded, draw_overview, draw_raw_and_overview, stats
from generators.figure import Export, Figure, Generator, Params
from generators.style import themes

RESULTS = ("ops", "edges", "data_edges", "reference_edges", "control_edges", "groups",
           "top_boxes", "aux_boxes", "largest_level", "overview_edges", "stubs", "bundled_edges", "templates",
           "templated_groups", "series", "params", "max_in_degree", "in_bound", "out_bound")


def compute(p: Params) -> dict:
    graph, _ = trace_mlp(p)
    a = analyse(graph, p["min_series"])
    return {"analysis": a, "batch_size": p["batch_size"], **stats(a, "mlp")}


GENERATOR = Generator(
    compute=compute,
    params=TRACE_PARAM_SPECS,
    results=("batch_size",) + tuple(f"mlp_{r}" for r in RESULTS),
    figures=(
        Figure(
            "mlp-raw", lambda d, p, theme: draw_raw_and_overview(d["analysis"], theme),
            caption=(
                "One training step of the digits MLP as the course library traced it. "
                "First, the raw graph: every op (named by its type) and every edge. Then "
                "the simplified overview: the same graph clustered by namespace, with the "
                "edges between two groups bundled into one and the bookkeeping groups moved "
                "aside. Follow the thick edges of the overview from `inputs` down to `sgd`: "
                "that is the whole step, forward pass, cost, gradients and update."
            ),
            alt=(
                "Two graph drawings, side by side on a wide screen and one above the other "
                "on a phone. The first, a tall tangle of small ovals labelled with op types "
                "such as Variable, MatMul, Sigmoid and ApplyGradientDescent, joined by many "
                "crossing solid, dashed and dotted arrows. The second, a dozen rounded "
                "boxes: inputs, dense1, sigmoid1, dense2, sigmoid2, loss, gradients and sgd "
                "joined by arrows marked with the shapes they carry, with train, init and "
                "summaries in a separate dashed box."
            ),
        ),
        Figure(
            "mlp-series", lambda d, p, theme: draw_overview(d["analysis"], theme, series=True),
            caption=(
                "The MLP's overview with repeated structure collapsed: numbered groups built "
                "alike become one stacked series box, here `dense[1–2]` and `sigmoid[1–2]`. "
                "Each series box keeps the fill colour of its members' template, the colour "
                "`dense1` and `dense2` (or the two sigmoid groups) have in the overview above; "
                "groups with no twin stay grey."
            ),
            alt=(
                "A graph of rounded boxes from inputs at the top to sgd at the bottom. Two "
                "stacked boxes, dense[1–2] filled blue and sigmoid[1–2] filled yellow, "
                "exchange arrows; the grey boxes loss and gradients follow, and a separate "
                "dashed box holds train, init and summaries."
            ),
        ),
        Figure(
            "mlp-expanded", lambda d, p, theme: draw_expanded(d["analysis"], theme),
            caption=(
                "The same step with every group of the main graph opened. Each op shows "
                "the shape of the tensor it produces. Compare `dense1` with `dense2`, and "
                "`gradients/dense1` with `gradients/dense2`: the outline colour marks groups "
                "whose insides match op for op and edge for edge, whatever their shapes."
            ),
            alt=(
                "A tall graph with a rounded cluster for each namespace. At the top, dense1 "
                "and dense2 clusters each hold W, b, matmul and biasadd ovals; sigmoid "
                "clusters follow, then loss. A gradients cluster holds a chain of "
                "gradient ops from the loss gradient down to dense1's matmul_grad, and an "
                "sgd cluster holds four update ops reached by dashed orange reference edges "
                "from the variables."
            ),
        ),
    ),
    exports=(Export("mlp", lambda d, p: explorer_data(
        d["analysis"], "MLP [64, 30, 10], one training step", themes()[0])),),
)

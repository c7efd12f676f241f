"""The computational graph of a 2-2-1 sigmoid network on one example, forward and backward.

Compute: the course library runs one forward pass (values z, a and the cost C) and one
backward pass (dJ/da, delta = dJ/dz, dJ/dW, dJ/db) of ``Sequential([Dense(2, 2),
Sigmoid(), Dense(2, 1), Sigmoid()])`` with C = 1/2 ||a - y||^2 for one example.
Intermediate values come from the layers' own forward/backward, the parameter gradients
from ``Sequential.backward``.
Draw: Graphviz lays the graph out (dot, top to bottom); every box lists its quantities
with their forward value and their derivative dJ/d(.). On a phone at most two boxes share
a row. Returns SVG bytes.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.nn import Dense, QuadraticCost, Sequential, Sigmoid
from generators.style import graphviz_svg

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
FONT = "DejaVu Sans"


def _name(symbol: str, sub: str, layer: int | None = None) -> str:
    """'W', '12', 1 -> 'W₁₂⁽¹⁾' (unicode, so Graphviz needs no maths)."""
    return symbol + sub.translate(SUB) + ("" if layer is None else f"({layer})".translate(SUP))


def compute(p: Params) -> dict:
    rng = np.random.default_rng(p["seed"])
    model = Sequential([Dense(2, 2, init="normal", bias="normal"), Sigmoid(),
                        Dense(2, 1, init="normal", bias="normal"), Sigmoid()], rng=rng)
    x, y = np.array([p["x"]], dtype=float), np.array([[p["y"]]])
    cost = QuadraticCost()  # for one example: C = 1/2 ||a - y||^2
    # Forward layer by layer, keeping each output: [x, z2, a2, z3, a3].
    outs, caches = [x], []
    for layer in model.layers:
        out, cache = layer.forward(outs[-1])
        outs.append(out)
        caches.append(cache)
    J, dJ_da = cost.value_and_grad(outs[-1], y)
    # Backward layer by layer: grads_out[k] = dJ/d(outs[k]).
    grads_out = [None] * len(outs)
    grads_out[-1] = dJ_da
    for k in range(len(model.layers) - 1, -1, -1):
        grads_out[k] = model.layers[k].backward(grads_out[k + 1], caches[k])[0]
    model.forward(x)
    model.backward(dJ_da)  # dJ/dW and dJ/db of every layer, as training uses them
    params = {k: v.copy() for k, v in model.params().items()}
    grads = {k: v.copy() for k, v in model.grads.items()}
    names = ("x", "z2", "a2", "z3", "a3")
    return {
        "x": x[0], "y": float(y[0, 0]),
        "values": {n: o[0] for n, o in zip(names, outs)},
        "grads": {n: g[0] for n, g in zip(names, grads_out)},
        "params": params, "param_grads": grads,
        "cost": float(J), "output": float(outs[-1][0, 0]),
        "delta_out": float(grads_out[3][0, 0]),
    }


def _num(value: float, digits: int) -> str:
    """Signed number with a typographic minus, e.g. '−0.0123', '+0.413'."""
    return f"{value:+.{digits}f}".replace("-", "\u2212")


def _table(theme, title: str, rows: list[tuple[str, float, float]]) -> str:
    """A Graphviz HTML-like label: a title, then rows of name | forward value | dJ/d(name)."""
    colour = theme.palette[0]  # blue (light) or sky (dark): high contrast on both pages
    cells = [f'<TR><TD COLSPAN="3"><B>{title}</B></TD></TR>'] if title else []
    cells.append(f'<TR><TD></TD><TD><FONT POINT-SIZE="10" COLOR="{theme.muted}">value</FONT></TD>'
                 f'<TD><FONT POINT-SIZE="10" COLOR="{colour}">∂C/∂(·)</FONT></TD></TR>')
    for name, value, grad in rows:
        cells.append(f'<TR><TD ALIGN="LEFT">{name} </TD><TD ALIGN="RIGHT">{_num(value, 3)}</TD>'
                     f'<TD ALIGN="RIGHT"><FONT COLOR="{colour}">{_num(grad, 4)}</FONT></TD></TR>')
    return '<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2">' + "".join(cells) + "</TABLE>>"


def draw(d: dict, p: Params, theme) -> bytes:
    import pygraphviz as pgv

    v, g, P, dP = d["values"], d["grads"], d["params"], d["param_grads"]
    # On a phone: 10-pt text (the column labels' size) and boxes closer together.
    G = pgv.AGraph(directed=True, strict=True, rankdir="TB", bgcolor="transparent",
                   nodesep="0.08" if theme.narrow else "0.12", ranksep="0.35", fontname=FONT,
                   fontcolor=theme.fg)
    G.node_attr.update(shape="box", style="rounded", fontname=FONT,
                       fontsize="10" if theme.narrow else "11",
                       fontcolor=theme.fg, color=theme.fg, margin="0.04")
    G.edge_attr.update(color=theme.muted, arrowsize="0.7", penwidth="1.2")
    for i in range(2):
        G.add_node(f"x{i}", label=f"{_name('x', str(i + 1))} = {d['x'][i]:.2f}".replace("-", "\u2212"),
                   color=theme.muted, margin="0.1,0.04")
    for layer, (key, z, a, n_in) in enumerate((("dense1", "z2", "a2", 2), ("dense2", "z3", "a3", 2)),
                                              start=1):
        for j in range(len(v[z])):
            rows = [(_name("W", f"{j + 1}{i + 1}", layer), P[f"{key}/W"][j, i], dP[f"{key}/W"][j, i])
                    for i in range(n_in)]
            rows.append((_name("b", str(j + 1), layer), P[f"{key}/b"][j], dP[f"{key}/b"][j]))
            G.add_node(f"p{layer}{j}", label=_table(theme, "", rows), color=theme.muted,
                       style="rounded,dashed")
            unit = _table(theme, f"unit {j + 1} of layer {layer + 1}",
                          [(_name("z", str(j + 1), layer + 1), v[z][j], g[z][j]),
                           (_name("a", str(j + 1), layer + 1), v[a][j], g[a][j])])
            G.add_node(f"u{layer}{j}", label=unit, penwidth="1.4")
            G.add_edge(f"p{layer}{j}", f"u{layer}{j}")
            for i in range(n_in):
                G.add_edge(f"x{i}" if layer == 1 else f"u1{i}", f"u{layer}{j}")
    G.add_node("y", label=f"y = {d['y']:.2f}".replace("-", "\u2212"), color=theme.muted, margin="0.1,0.04")
    G.add_node("J", label=_table(theme, "cost ½‖a⁽³⁾ − y‖²", [("C", d["cost"], 1.0)]),
               color=theme.palette[0], penwidth="1.6")
    G.add_edge("u20", "J")
    G.add_edge("y", "J")
    if theme.narrow:
        _stack_for_phone(G)
    return graphviz_svg(G)


def _stack_for_phone(G) -> None:
    """Two boxes a row at most: the hidden units' weights side by side on top, the inputs
    under them, the hidden units, then the output unit's weights on a row of their own.

    ``rank="same"`` keeps a pair on one row; invisible edges push a box one row down.
    """
    G.add_subgraph(["p10", "p11"], rank="same")
    G.add_subgraph(["x0", "x1"], rank="same")
    G.add_edge("p10", "x0", style="invis")
    G.add_edge("p11", "x1", style="invis")
    G.add_edge("u11", "p20", style="invis")


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(4, "random seed for the network's weights and biases", min=0),
        "x": Param((1.0, -0.5), "the example's input (x1, x2)"),
        "y": Param(1.0, "the example's target output (the output unit is a sigmoid, in (0, 1))"),
    },
    results=("cost", "output", "delta_out"),
    figures=(
        Figure(
            "graph", draw, format="svg",
            caption=(
                "The computational graph of a 2-2-1 sigmoid network for one example $(x, y)$, "
                "as the course library computed it. Solid boxes are units, dashed boxes hold "
                "the weights and bias that feed them. In each box the middle column is the "
                "forward value, and the coloured column is the derivative of the cost $C$ with "
                "respect to that quantity, found by the backward pass. Start at the cost and "
                "work upwards: each $\\partial C / \\partial z$ is the $\\partial C / \\partial a$ "
                "beside it times $\\sigma'(z)$."
            ),
            alt=(
                "A graph laid out from top to bottom. Near the top, two input nodes x1 and x2 and"
                " two dashed boxes holding the weights and bias of each hidden unit. Arrows "
                "lead to two boxes for the hidden units of layer 2, each listing z and a with a"
                " forward value and a derivative of the cost. These feed the box of the output "
                "unit of layer 3, together with a dashed box of the second layer's weights and "
                "bias. The output unit and a node for the target y feed the cost box at the "
                "bottom, which shows the cost value and the derivative 1."
            ),
        ),
    ),
)

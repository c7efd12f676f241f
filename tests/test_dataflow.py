"""The dataflow-graph transformations (generators/dataflow_graphs) on small hand-built graphs,
and the lesson's generators on the course's own networks."""
from __future__ import annotations

import itertools
import json
from types import MappingProxyType

import numpy as np
import pytest

from generators.dataflow_graphs import TRACE_PARAMS, analyse, fig_cnn, fig_mlp, trace_mlp
from generators.dataflow_graphs.auxiliary import (degree_bounds, extract_auxiliary, level_edges,
                                           split_stubs)
from generators.dataflow_graphs.hierarchy import build_hierarchy, bundle, visible
from generators.dataflow_graphs.render import add_state, box_label_rows, graph
from generators.dataflow_graphs.templates import find_series, find_templates, same_structure, with_series
from generators.nn import (Dense, GradientDescent, QuadraticCost, Sequential, Sigmoid, data,
                           trace_step)
from generators.nn.trace import Edge, Graph, Node
from generators.build.render import draw_figures
from generators.style import themes


def make(edges: list[tuple[str, str]], ops: dict[str, str] | None = None,
         kind: str = "data") -> Graph:
    """A graph from (src, dst) pairs; op types from ``ops`` (default "Op")."""
    names = list(dict.fromkeys(n for e in edges for n in e))
    ops = ops or {}
    return Graph(tuple(Node(n, ops.get(n, "Op"), ((2, 3),)) for n in names),
                 tuple(Edge(s, d, kind, (2, 3)) for s, d in edges))


def layer(name: str) -> list[tuple[str, str]]:
    return [(f"{name}/W", f"{name}/matmul"), (f"{name}/matmul", f"{name}/add"),
            (f"{name}/b", f"{name}/add")]


LAYER_OPS = {f"{n}/{op}": t for n in ("layer1", "layer2", "layer3", "other")
             for op, t in (("W", "Variable"), ("b", "Variable"), ("matmul", "MatMul"), ("add", "Add"))}


@pytest.fixture(scope="module")
def mlp():
    return analyse(trace_mlp(MappingProxyType(dict(TRACE_PARAMS)))[0])


def test_namespaces_become_nested_groups() -> None:
    g = make(layer("net/layer1") + [("net/layer1/add", "loss/cost")])
    h = build_hierarchy(g)
    assert h.children[""] == ("net", "loss")
    assert h.children["net"] == ("net/layer1",)
    assert set(h.leaves("net")) == {"net/layer1/W", "net/layer1/matmul", "net/layer1/add", "net/layer1/b"}
    assert h.path("net/layer1/W") == ["net", "net/layer1", "net/layer1/W"]
    with pytest.raises(ValueError, match="also namespaces"):
        build_hierarchy(make([("a", "a/b")]))


def test_bundled_edges_carry_count_shape_and_size() -> None:
    g = make(layer("layer1") + layer("layer2") + [("layer1/add", "layer2/matmul"),
                                                  ("layer1/W", "layer2/add")])
    h = build_hierarchy(g)
    metaedges, inside = bundle(g, h, set())
    assert len(metaedges) == 1 and len(inside) == 6
    m = metaedges[0]
    assert (m.src, m.dst, m.count, m.shapes, m.size, m.kind) == ("layer1", "layer2", 2, ((2, 3),), 12, "data")


def test_metaedges_account_for_every_raw_edge_in_every_expansion_state(mlp) -> None:
    g, h = mlp.graph, mlp.h
    groups = h.groups()
    states = [set(), set(groups)] + [set(c) for c in itertools.combinations(groups, 2)]
    for expanded in states:
        metaedges, inside = bundle(g, h, expanded)
        members = [i for m in metaedges for i in m.members] + inside
        assert sorted(members) == list(range(len(g.edges)))        # each raw edge exactly once
        assert sum(m.count for m in metaedges) + len(inside) == len(g.edges)
        boxes, _ = visible(h, expanded)
        assert {m.src for m in metaedges} | {m.dst for m in metaedges} <= set(boxes)
    main, stubs, aside = split_stubs(bundle(g, h, set())[0], {"init", "summaries", "train"})
    assert len(main) + len(stubs) + len(aside) == len(bundle(g, h, set())[0])


def test_expanding_a_group_reroutes_its_edges_to_the_nodes_inside(mlp) -> None:
    g, h = mlp.graph, mlp.h
    closed, hidden_closed = bundle(g, h, set())
    opened, hidden_opened = bundle(g, h, {"dense1"})
    assert any("dense1" in (m.src, m.dst) for m in closed)
    assert not any("dense1" in (m.src, m.dst) for m in opened)
    into = {m.dst for m in opened if m.src == "inputs"}
    assert "dense1/matmul" in into                       # x really enters dense1's MatMul
    internal = [i for i, e in enumerate(g.edges)
                if e.src.startswith("dense1/") and e.dst.startswith("dense1/")]
    assert len(internal) == 3                            # W -> matmul -> biasadd <- b
    assert set(hidden_closed) - set(hidden_opened) == set(internal)


def test_a_high_degree_node_is_extracted() -> None:
    # 16 top-level nodes in a chain, and a hub that feeds all of them.
    chain = [(f"n{i}", f"n{i + 1}") for i in range(14)]
    g = make(chain + [("hub", f"n{i}") for i in range(15)])
    aux = extract_auxiliary(g, build_hierarchy(g))
    assert set(aux) == {"hub"} and aux["hub"].startswith("high out-degree")
    small = make(chain[:5] + [("hub", f"n{i}") for i in range(6)])     # 7 nodes: rule off
    assert extract_auxiliary(small, build_hierarchy(small)) == {}
    sink = make(chain + [(f"n{i}", "sink") for i in range(15)])
    assert extract_auxiliary(sink, build_hierarchy(sink))["sink"].startswith("high in-degree")


def test_degree_bounds_follow_the_rule_and_the_lesson_exercise() -> None:
    ins = [0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 9]
    assert degree_bounds(ins, ins) == (4, 6)          # max(2 + 1, 4), max(2 + 4 * 1, 4)
    assert degree_bounds([1, 1, 10, 10], [0] * 4) == (max(10 + 9, 4), 4)


def test_bookkeeping_nodes_go_to_the_side_area(mlp) -> None:
    assert {k for k in mlp.aux if "/" not in k} == {"init", "summaries", "train"}
    assert all(reason == "bookkeeping" for reason in mlp.aux.values())


def test_two_identical_layers_share_a_template() -> None:
    g = make(layer("layer1") + layer("layer2") + layer("other")[:2]
             + [("layer1/add", "layer2/matmul"), ("layer2/add", "other/matmul")], LAYER_OPS)
    h = build_hierarchy(g)
    templates = find_templates(g, h)
    assert templates["layer1"] == templates["layer2"] and "other" not in templates
    assert same_structure(g, h, "layer1", "layer2")


def test_a_matching_signature_is_not_enough_without_a_structural_match() -> None:
    # Same ops (two A, two B) and the same edge counts, wired differently.
    ops = {f"{g}/{n}": n[0].upper() for g in ("p", "q") for n in ("a1", "a2", "b1", "b2")}
    g = make([("p/a1", "p/b1"), ("p/a2", "p/b2"), ("q/a1", "q/b1"), ("q/a1", "q/b2"),
              ("q/a2", "p/a1")], ops)
    h = build_hierarchy(g)
    assert not same_structure(g, h, "p", "q")
    assert find_templates(g, h) == {}


def test_numbered_groups_with_one_template_form_a_series() -> None:
    g = make(layer("layer1") + layer("layer2") + layer("layer3") + layer("other")
             + [("layer1/add", "layer2/matmul"), ("layer2/add", "layer3/matmul")], LAYER_OPS)
    h = build_hierarchy(g)
    series = find_series(g, h, find_templates(g, h))
    assert [(s.label, s.members) for s in series] == [("layer[1\u20133]", ("layer1", "layer2", "layer3"))]
    assert find_series(g, h, find_templates(g, h), min_size=4) == []
    hs = with_series(h, series)
    assert hs.children[""] == ("layer[1\u20133]", "other")
    assert sorted(hs.leaves("layer[1\u20133]")) == sorted(h.leaves("layer1") + h.leaves("layer2") + h.leaves("layer3"))
    assert len(bundle(g, hs, set())[0]) == 0            # the chain runs inside the series box
    gap = make(layer("layer1") + layer("layer3"), LAYER_OPS)  # 1 and 3 are not consecutive
    hg = build_hierarchy(gap)
    assert find_series(gap, hg, find_templates(gap, hg)) == []


def test_the_mlp_repeats_its_layers_and_the_overlays_add_up(mlp) -> None:
    t = mlp.templates
    assert t["dense1"] == t["dense2"] and t["sigmoid1"] == t["sigmoid2"] != t["dense1"]
    assert t["gradients/dense1"] == t["gradients/dense2"] != t["dense1"]
    assert {s.label for s in mlp.series} >= {"dense[1\u20132]", "sigmoid[1\u20132]"}
    params = mlp.values["params"]
    assert params["dense1"] == 64 * 30 + 30 and params["dense2"] == 30 * 10 + 10
    assert sum(params[b] for b in mlp.h.children[""]) == 2260
    out = mlp.values["output"]
    assert out["dense1"] == sum(out[k] for k in mlp.h.children["dense1"])
    assert level_edges(mlp.graph, mlp.h, "dense1")        # W, b, matmul, add are joined


def test_a_deeper_mlp_has_the_series_and_overview_of_exercise_3() -> None:
    rng = np.random.default_rng(0)
    X, Y, _, _ = data.digits()
    model = Sequential([Dense(64, 30), Sigmoid(), Dense(30, 30), Sigmoid(), Dense(30, 30),
                        Sigmoid(), Dense(30, 10), Sigmoid()], rng=rng)
    a = analyse(trace_step(model, X[:5], Y[:5], QuadraticCost(), GradientDescent(1.0),
                           bookkeeping=True))
    assert {s.name for s in a.series} == {"dense[1\u20134]", "sigmoid[1\u20134]",
                                          "gradients/dense[1\u20134]", "gradients/sigmoid[1\u20134]"}
    main = [b for b in a.hs.children[""] if b not in a.aux_series]
    assert main == ["inputs", "dense[1\u20134]", "sigmoid[1\u20134]", "loss", "gradients", "sgd"]
    assert len(set(a.templates.values())) == 4


@pytest.mark.parametrize("module", [fig_mlp, fig_cnn])
def test_generators_compute_draw_and_export(module, tmp_path) -> None:
    gen = module.GENERATOR
    p = MappingProxyType(dict(gen.params))
    d = gen.compute(p)
    net = module.__name__.rsplit("_", 1)[1]
    assert d[f"{net}_ops"] == len(d["analysis"].graph.nodes)
    assert d[f"{net}_aux_boxes"] == 3 and d[f"{net}_overview_edges"] > 0
    figures, outputs = draw_figures(gen, d, p, "dataflow", tmp_path)
    for fig in figures.values():
        assert fig["width"] <= 7.25 * 96                   # CSS px: at most ~7.2 in wide
        assert fig["narrow"]["width"] < fig["width"]       # a phone layout, checked legible
    for theme in themes():
        for fig in gen.figures:
            svg = fig.draw(d, p, theme).decode()
            assert theme.fg.lower() in svg.lower() and 'fill="white"' not in svg
    blob = json.dumps(gen.exports[0].build(d, p), allow_nan=False)
    back = json.loads(blob)
    assert back["stats"]["overview_edges"] == d[f"{net}_overview_edges"]
    assert len(back["edges"]) == d[f"{net}_edges"]


def test_the_phone_layout_writes_each_edge_label_in_the_box_the_edge_enters(mlp) -> None:
    theme = themes()[0]
    wide, narrow = graph(theme), graph(theme)
    add_state(wide, mlp, set(), theme)
    add_state(narrow, mlp, set(), theme, narrow=True)
    labelled = [e for e in wide.edges() if e.attr["label"]]
    assert len(labelled) >= 8
    assert not any(e.attr["label"] for e in narrow.edges())
    for src, dst in labelled:
        label = wide.get_edge(src, dst).attr["label"]
        rows = box_label_rows(src, label)
        box = narrow.get_node(dst).attr["label"]
        assert all(f">{r}<" in box for r in rows), (src, dst, rows, box)
    assert box_label_rows("dense1", "2 tensors\n(10, 30)\n(30, 64) …") == [
        "from dense1: 2 tensors", "(10, 30), (30, 64) …"]
    assert box_label_rows("inputs", "(10, 64)") == ["from inputs: (10, 64)"]


def test_cnn_overlay_caption_holds() -> None:
    d = fig_cnn.GENERATOR.compute(MappingProxyType(dict(fig_cnn.GENERATOR.params)))
    out, top = d["analysis"].values["output"], d["analysis"].h.children[""]
    assert max(top, key=out.get) == "gradients"
    assert max(fig_cnn.FORWARD, key=out.get) == "conv1"
    assert d["cnn_gradients_output"] > d["cnn_forward_output"]
    assert d["cnn_largest_level"] < 15 and d["cnn_templates"] == 0


def test_series_boxes_keep_their_members_fill_colour(mlp) -> None:
    """The mlp-series caption: a series box has the fill its members have in the overview."""
    from generators.dataflow_graphs.render import template_of

    for theme in themes():
        overview, series = graph(theme), graph(theme)
        add_state(overview, mlp, set(), theme)
        add_state(series, mlp, set(), theme, series=True)
        fill = {n: n.attr["fillcolor"] for n in overview.nodes()}
        grey = fill["loss"]
        for box, member in (("dense[1\u20132]", "dense1"), ("sigmoid[1\u20132]", "sigmoid1")):
            assert series.get_node(box).attr["fillcolor"] == fill[member] == fill[member[:-1] + "2"]
            assert fill[member] != grey and template_of(mlp, box) == mlp.templates[member]
        assert fill["dense1"] != fill["sigmoid1"]
        assert series.get_node("gradients").attr["fillcolor"] == grey    # no twin: grey
    assert template_of(mlp, "loss") is None


def test_overlay_text_takes_the_theme_ink_that_reads_best() -> None:
    from generators.dataflow_graphs.overlay import contrast, overlay_colours

    for theme in themes():
        colours = overlay_colours({"low": 0.0, "mid": 30.0, "high": 1000.0}, (0.0, 3.0), theme)
        for fill, ink in colours.values():
            assert ink in (theme.fg, theme.bg)
            other = theme.bg if ink == theme.fg else theme.fg
            assert contrast(ink, fill) >= contrast(other, fill)
            assert contrast(ink, fill) >= 3.0                   # WCAG AA for bold box names; mid-viridis
            # teal allows only about 4:1 with either ink
        assert colours["low"][1] != colours["high"][1]          # viridis: light ink on dark purple, dark on yellow
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)


def test_every_gradient_op_makes_a_tensor_as_large_as_an_input_of_its_forward_op() -> None:
    """The overlay paragraph: why the backward pass produces more numbers than the forward one."""
    d = fig_cnn.GENERATOR.compute(MappingProxyType(dict(fig_cnn.GENERATOR.params)))
    g = d["analysis"].graph
    nodes = {n.name: n for n in g.nodes}
    grads = [n for n in g.nodes if n.name.startswith("gradients/")]
    assert len(grads) >= 8
    for n in grads:
        group, op = n.name[len("gradients/"):].rsplit("/", 1)    # gradients/conv1/conv2d_grad
        ops = [m for m in g.nodes if m.name.startswith(group + "/") and m.op != "Variable"]
        # "<op>_grad" mirrors the op "<group>/<op>"; the loss's gradient is plain "grad"
        forward = ops if op == "grad" else [m for m in ops if m.name == f"{group}/{op.removesuffix('_grad')}"]
        assert len(forward) == 1, n.name
        inputs = {tuple(nodes[e.src].shapes[0]) for f in forward for e in g.edges
                  if e.dst == f.name and e.kind == "data"}
        assert inputs & {tuple(s) for s in n.shapes}, (n.name, n.shapes, inputs)


def test_measured_time_is_an_extra_overlay() -> None:
    graph, _ = trace_mlp(MappingProxyType({**TRACE_PARAMS, "measure_time": True}))
    a = analyse(graph)
    assert a.values["time"]["gradients"] > 0 and a.values["time"]["dense1"] > 0
    assert "time" not in analyse(trace_mlp(MappingProxyType(dict(TRACE_PARAMS)))[0]).values

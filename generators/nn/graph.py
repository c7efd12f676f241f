"""A dataflow graph as plain data: ops (``Node``), tensors and dependencies (``Edge``).

``trace.py`` fills one in by running a training step; ``generators/dataflow_graphs``
clusters, bundles and draws it. Edge kinds follow TensorFlow: "data" (a tensor),
"reference" (a pointer to a variable, from the variable to an op that writes it),
"control" (no data: the source must finish before the target starts).

Deliberately left out: anything about layout or drawing.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

EDGE_KINDS = ("data", "reference", "control")


@dataclass(frozen=True)
class Node:
    name: str
    op: str
    shapes: tuple[tuple[int, ...], ...]     # one shape per output; () for a NoOp


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    kind: str                               # one of EDGE_KINDS
    shape: tuple[int, ...] | None           # the tensor carried; None on control edges


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    seconds: dict[str, float] = field(default_factory=dict)   # only with trace_step(timer=)

    def node(self, name: str) -> Node:
        return next(n for n in self.nodes if n.name == name)

    def to_dict(self) -> dict:
        """JSON-ready: {"nodes": [{name, op, shapes}], "edges": [{src, dst, kind, shape}]}
        with shapes as lists, so ``json.loads(json.dumps(d)) == d``."""
        return {"nodes": [{**asdict(n), "shapes": [list(s) for s in n.shapes]} for n in self.nodes],
                "edges": [{**asdict(e), "shape": None if e.shape is None else list(e.shape)}
                          for e in self.edges], "seconds": dict(self.seconds)}


class _Builder:
    def __init__(self, timer: Callable[[], float] | None) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        self.timer, self.seconds = timer, {}

    def timed(self, key: str, fn: Callable, *args):
        """``fn(*args)``, adding its wall time to ``seconds[key]`` when there is a timer."""
        if self.timer is None:
            return fn(*args)
        start = self.timer()
        out = fn(*args)
        self.seconds[key] = self.seconds.get(key, 0.0) + self.timer() - start
        return out

    def node(self, name: str, op: str, *shapes: tuple) -> str:
        if name in self.nodes:
            raise ValueError(f"trace: duplicate node name {name!r}")
        self.nodes[name] = Node(name, op, tuple(tuple(int(d) for d in s) for s in shapes))
        return name

    def edge(self, src: str, dst: str, kind: str, shape: tuple | None = None) -> None:
        self.edges.append(Edge(src, dst, kind, None if shape is None else tuple(shape)))

    def graph(self) -> Graph:
        return Graph(tuple(self.nodes.values()), tuple(self.edges), self.seconds)

"""Clustering by namespace and edge bundling: the first two simplifications of the graph.

``build_hierarchy(graph)`` turns the slash-separated op names of a traced ``Graph``
(``gradients/dense1/matmul_grad``) into a tree of groups (``gradients`` >
``gradients/dense1``) whose leaves are the ops. An *expansion state* is the set of
groups drawn open; every other group is drawn as one box. ``bundle(graph, h, expanded)``
maps each raw edge to the visible box of each endpoint and merges the edges between the
same two boxes into one ``MetaEdge`` (count, kinds, shapes, total tensor size); edges
inside a closed box disappear into it. Expanding a group therefore re-routes its
metaedges to the boxes inside it, and no raw edge is ever lost: each one is inside a
box or in exactly one metaedge.

Pure functions on plain data; drawing and layout live in ``render.py`` and the explorer.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from math import prod

from generators.nn import Graph

ROOT = ""


@dataclass(frozen=True)
class Hierarchy:
    """A tree of groups over the ops: ``parent[name]`` for every op and group
    (``ROOT`` for the top level) and ``children[group]`` in order of first appearance."""

    parent: dict[str, str]
    children: dict[str, tuple[str, ...]]
    labels: dict[str, str]                  # what a box shows: the last name component

    def is_group(self, name: str) -> bool:
        return name in self.children

    def groups(self) -> list[str]:
        """Every group except the root, parents before children."""
        out, todo = [], list(self.children[ROOT])
        while todo:
            name = todo.pop(0)
            if self.is_group(name):
                out.append(name)
                todo.extend(self.children[name])
        return out

    def path(self, name: str) -> list[str]:
        """The groups above ``name`` from the top level down, then ``name`` itself."""
        out = [name]
        while self.parent[out[0]] != ROOT:
            out.insert(0, self.parent[out[0]])
        return out

    def leaves(self, name: str) -> list[str]:
        """The ops inside ``name`` (``[name]`` for an op)."""
        if not self.is_group(name):
            return [name]
        return [op for child in self.children[name] for op in self.leaves(child)]


def build_hierarchy(graph: Graph) -> Hierarchy:
    """Group the ops of ``graph`` by the namespaces of their names."""
    ops = [n.name for n in graph.nodes]
    prefixes = {name.rsplit("/", k)[0] for name in ops for k in range(1, name.count("/") + 1)}
    clash = sorted(set(ops) & prefixes)
    if clash:
        raise ValueError(f"op names that are also namespaces: {clash}")
    parent: dict[str, str] = {}
    children: dict[str, list[str]] = {ROOT: [], **{g: [] for g in sorted(prefixes)}}
    for name in ops:
        parts = name.split("/")
        for depth in range(1, len(parts) + 1):
            node, up = "/".join(parts[:depth]), "/".join(parts[:depth - 1])
            if node not in parent:
                parent[node] = up
                children[up].append(node)
    labels = {name: name.rsplit("/", 1)[-1] for name in parent}
    return Hierarchy(parent, {k: tuple(v) for k, v in children.items()}, labels)


def all_groups(h: Hierarchy) -> frozenset[str]:
    """The expansion state with every group open: the fully expanded graph."""
    return frozenset(h.groups())


def visible(h: Hierarchy, expanded: Collection[str]) -> tuple[list[str], list[str]]:
    """(boxes drawn, open groups drawn as clusters) for an expansion state."""
    boxes, clusters = [], []

    def walk(group: str) -> None:
        for child in h.children[group]:
            if h.is_group(child) and child in expanded:
                clusters.append(child)
                walk(child)
            else:
                boxes.append(child)

    walk(ROOT)
    return boxes, clusters


def representative(h: Hierarchy, name: str, expanded: Collection[str]) -> str:
    """The box that shows op (or group) ``name``: its highest closed ancestor, or itself."""
    for node in h.path(name):
        if node not in expanded or not h.is_group(node):
            return node
    return name


def tensor_size(shape: Iterable[int] | None) -> int:
    """Number of numbers in a tensor of ``shape`` (0 for a control edge, 1 for a scalar)."""
    return 0 if shape is None else prod(shape)


@dataclass(frozen=True)
class MetaEdge:
    """All raw edges from one box to another, drawn as one edge."""

    src: str
    dst: str
    members: tuple[int, ...]                # indices into graph.edges
    kinds: tuple[tuple[str, int], ...]      # (kind, how many), e.g. (("data", 3),)
    shapes: tuple[tuple[int, ...], ...]     # distinct tensor shapes, in order of appearance
    size: int                               # numbers carried by all its tensors together

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def kind(self) -> str:
        """How it is drawn: "data" if any edge carries data, else "reference", else "control"."""
        present = dict(self.kinds)
        return next(k for k in ("data", "reference", "control") if k in present)


def bundle(graph: Graph, h: Hierarchy, expanded: Collection[str]) -> tuple[list[MetaEdge], list[int]]:
    """(metaedges between visible boxes, indices of raw edges hidden inside a box)."""
    buckets: dict[tuple[str, str], list[int]] = {}
    inside = []
    for i, e in enumerate(graph.edges):
        src, dst = representative(h, e.src, expanded), representative(h, e.dst, expanded)
        if src == dst:
            inside.append(i)
        else:
            buckets.setdefault((src, dst), []).append(i)
    metaedges = []
    for (src, dst), members in buckets.items():
        edges = [graph.edges[i] for i in members]
        shapes = tuple(dict.fromkeys(e.shape for e in edges if e.shape is not None))
        kinds = tuple(Counter(e.kind for e in edges).items())
        metaedges.append(MetaEdge(src, dst, tuple(members), kinds, shapes,
                                  sum(tensor_size(e.shape) for e in edges)))
    return metaedges, inside

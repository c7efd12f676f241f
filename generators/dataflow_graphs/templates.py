"""Repeated structure: groups built alike share a template (and a colour); numbered
siblings built alike (``dense1``, ``dense2``, ...) can collapse into one series node.

Two groups match when their insides are the same graph up to names: the same ops (by
op type) or sub-groups (by template) joined by the same kinds of edges. Shapes do not
count, so ``dense1`` (30 x 64 weights) and ``dense2`` (10 x 30) match. As in TensorBoard's
graph visualizer, a cheap *signature* (sorted child labels and edge triples) first sorts
candidates into buckets, and a *verified structural match* (a search for a one-to-one
map of the children that keeps every edge) then splits each bucket into templates.
Only templates with at least two members are kept: a colour says "built like another".
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from generators.dataflow_graphs.auxiliary import level_edges
from generators.dataflow_graphs.hierarchy import ROOT, Hierarchy
from generators.nn import Graph

SERIES_RE = re.compile(r"^(.*\D)_?(\d+)$")   # a name ending in a number: dense12, step_3


def _structure(graph: Graph, h: Hierarchy, group: str, labels: dict) -> tuple[dict, Counter]:
    """(label of each child, Counter of (src label, dst label, kind) edges between children)."""
    ops = {n.name: n.op for n in graph.nodes}
    kid_label = {k: labels[k] if h.is_group(k) else ("op", ops[k]) for k in h.children[group]}
    edges = Counter((m.src, m.dst, m.kind) for m in level_edges(graph, h, group))
    return kid_label, edges


def _signatures(graph: Graph, h: Hierarchy) -> dict[str, tuple]:
    """A structural signature for every group, children before parents."""
    sig: dict[str, tuple] = {}
    for group in reversed(h.groups()):
        kids, edges = _structure(graph, h, group, sig)
        sig[group] = ("group", tuple(sorted(map(repr, kids.values()))),
                      tuple(sorted(repr((kids[s], kids[d], k)) for (s, d, k) in edges.elements())))
    return sig


def same_structure(graph: Graph, h: Hierarchy, a: str, b: str, sig: Mapping | None = None) -> bool:
    """True if a one-to-one map of ``a``'s children onto ``b``'s keeps labels and edges."""
    sig = _signatures(graph, h) if sig is None else sig
    (ka, ea), (kb, eb) = _structure(graph, h, a, dict(sig)), _structure(graph, h, b, dict(sig))
    if sorted(map(repr, ka.values())) != sorted(map(repr, kb.values())) or len(ea) != len(eb):
        return False
    order = list(ka)
    mapping: dict[str, str] = {}

    def consistent() -> bool:
        return all(eb.get((mapping[s], mapping[d], k), 0) == n
                   for (s, d, k), n in ea.items() if s in mapping and d in mapping)

    def search(i: int) -> bool:
        if i == len(order):
            return True
        for cand in kb:
            if cand not in mapping.values() and kb[cand] == ka[order[i]]:
                mapping[order[i]] = cand
                if consistent() and search(i + 1):
                    return True
                del mapping[order[i]]
        return False

    return search(0)


def find_templates(graph: Graph, h: Hierarchy) -> dict[str, int]:
    """{group: template id} for groups that share their structure with another group."""
    sig = _signatures(graph, h)
    buckets: dict[tuple, list[str]] = {}
    for group in h.groups():
        buckets.setdefault(sig[group], []).append(group)
    classes: list[list[str]] = []
    for members in buckets.values():
        split: list[list[str]] = []
        for g in members:
            home = next((c for c in split if same_structure(graph, h, c[0], g, sig)), None)
            split.append([g]) if home is None else home.append(g)
        classes += [c for c in split if len(c) > 1]
    order = {g: i for i, g in enumerate(h.groups())}
    classes.sort(key=lambda c: order[c[0]])
    return {g: tid for tid, c in enumerate(classes) for g in c}


@dataclass(frozen=True)
class Series:
    """Siblings ``prefix<first>`` ... ``prefix<last>`` of one parent, built alike."""

    parent: str
    prefix: str
    first: int
    last: int
    members: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.prefix}[{self.first}\u2013{self.last}]"

    @property
    def name(self) -> str:
        return self.label if self.parent == ROOT else f"{self.parent}/{self.label}"


def find_series(graph: Graph, h: Hierarchy, templates: Mapping[str, int],
                min_size: int = 2) -> list[Series]:
    """Runs of consecutively numbered siblings with the same template (groups) or op type."""
    ops = {n.name: n.op for n in graph.nodes}
    found = []
    for group in [ROOT, *h.groups()]:
        runs: dict[tuple, list[tuple[int, str]]] = {}
        for kid in h.children[group]:
            match = SERIES_RE.match(h.labels[kid])
            key = templates.get(kid) if h.is_group(kid) else ops[kid]
            if match and key is not None:
                runs.setdefault((key, match[1]), []).append((int(match[2]), kid))
        for (_, prefix), numbered in runs.items():
            numbered.sort()
            start = 0
            for i in range(1, len(numbered) + 1):
                if i == len(numbered) or numbered[i][0] != numbered[i - 1][0] + 1:
                    run = numbered[start:i]
                    if len(run) >= min_size:
                        found.append(Series(group, prefix, run[0][0], run[-1][0],
                                            tuple(k for _, k in run)))
                    start = i
    return found


def with_series(h: Hierarchy, series: list[Series]) -> Hierarchy:
    """A hierarchy in which each series is a group holding its members."""
    parent, children, labels = dict(h.parent), {k: list(v) for k, v in h.children.items()}, dict(h.labels)
    for s in series:
        kids = children[s.parent]
        kids[kids.index(s.members[0])] = s.name
        children[s.parent] = [k for k in kids if k not in s.members]
        children[s.name] = list(s.members)
        parent[s.name], labels[s.name] = s.parent, s.label
        for m in s.members:
            parent[m] = s.name
    return Hierarchy(parent, {k: tuple(v) for k, v in children.items()}, labels)

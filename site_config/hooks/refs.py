"""Expand the course's references in a page's Markdown: figures, results, course facts.

Syntax (outside code blocks and inline code, which are left alone):

    {{ figure neurons/activations }}        the figure, light and dark variants, captioned
    {{ result neurons/test_accuracy .1% }}  a number the build computed, with a format spec
    {{ course title }}                      a key of site_config/course.yml
    {{ schedule }}                          the lessons table from site_config/course.yml
    {{ explorer dataflow dataflow/mlp }}    an in-page explorer (kind, then exported data)

Pure text in, text out: the index of figures and results and the course data are passed
in. Unknown names raise ``RefError`` naming the reference; the hook adds the page.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

REF_RE = re.compile(r"\{\{\s*(figure|result|course|schedule|explorer)\b([^{}]*)\}\}")
# Fenced code blocks (``` or ~~~, possibly indented) and inline code spans.
FENCE_RE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$", re.M | re.S)
INLINE_CODE_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


class RefError(ValueError):
    """A reference names something the build does not have."""


def split_code(markdown: str) -> list[tuple[bool, str]]:
    """Split into (is_code, text) chunks so references inside code are not expanded."""
    chunks: list[tuple[bool, str]] = []
    pos = 0
    for fence in FENCE_RE.finditer(markdown):
        chunks += _split_inline(markdown[pos:fence.start()])
        chunks.append((True, fence.group(0)))
        pos = fence.end()
    return chunks + _split_inline(markdown[pos:])


def _split_inline(text: str) -> list[tuple[bool, str]]:
    chunks, pos = [], 0
    for code in INLINE_CODE_RE.finditer(text):
        chunks += [(False, text[pos:code.start()]), (True, code.group(0))]
        pos = code.end()
    return chunks + [(False, text[pos:])]


def relative_url(target: str, page_url: str) -> str:
    """URL of site file ``target`` relative to the page served at ``page_url``."""
    base = posixpath.dirname(page_url) if page_url else ""
    return posixpath.relpath(target, base or ".")


def figure_html(fig_id: str, fig: Mapping[str, Any], page_url: str) -> str:
    """A captioned figure with a light and a dark image; the theme's CSS shows one."""
    anchor = "fig-" + re.sub(r"[^a-z0-9]+", "-", fig_id)
    imgs = []
    for theme, rel in fig["files"].items():
        src = html.escape(relative_url(f"generated/{rel}", page_url))
        alt = html.escape(fig["alt"])
        imgs.append(
            f'<a class="dlv-{theme}" href="{src}" title="Open the figure at full size">'
            f'<img src="{src}" alt="{alt}" width="{fig["width"]:g}" height="{fig["height"]:g}" '
            f'style="--dlv-w: {fig["width"]:g}px" loading="lazy"></a>'
        )
    # On a phone the figure keeps a legible minimum width and scrolls sideways (CSS).
    return (
        f'\n\n<figure class="dlv-figure" id="{anchor}" markdown="1">\n<div class="dlv-scroll">'
        + "".join(imgs)
        + f'</div>\n<figcaption markdown="span">{fig["caption"].strip()}</figcaption>\n</figure>\n\n'
    )


def format_result(value: float | int, spec: str) -> str:
    """Format a computed number: ``spec`` is a Python format spec (``.1%``, ``.3f``, ``,d``)."""
    if spec:
        return format(value, spec)
    return str(value) if isinstance(value, int) else format(value, ".4g")


def explorer_html(kind: str, export: Mapping[str, Any], page_url: str) -> str:
    """The element an explorer script fills in; hidden until its script has started it."""
    src = html.escape(relative_url(f"generated/{export['file']}", page_url))
    return (f'\n\n<div class="dlv-explorer dlv-explorer-{html.escape(kind)}" '
            f'data-explorer="{html.escape(kind)}" data-src="{src}" hidden></div>\n\n')


def expand(
    markdown: str,
    page_url: str,
    index: Mapping[str, Any],
    course: Mapping[str, Any],
    schedule: Callable[[str], str],
    explorers: Collection[str] = (),
) -> str:
    """Replace every reference in ``markdown``; raise ``RefError`` for unknown names.

    ``explorers``: the explorer kinds that have a script.
    """

    def replace(match: re.Match[str]) -> str:
        kind, arg = match.group(1), match.group(2).strip()
        name, _, spec = arg.partition(" ")
        if kind == "explorer":
            data = spec.strip()
            if name not in explorers:
                raise RefError(f"unknown explorer {name!r}; explorers with a script: "
                               f"{', '.join(sorted(explorers)) or '(none)'}")
            if data not in index.get("exports", {}):
                raise RefError(f"unknown explorer data {data!r}; exported data: "
                               f"{', '.join(sorted(index.get('exports', {}))) or '(none)'}")
            return explorer_html(name, index["exports"][data], page_url)
        if kind == "figure":
            if name not in index["figures"]:
                raise RefError(f"unknown figure {name!r}; declared figures: "
                               f"{', '.join(sorted(index['figures'])) or '(none)'}")
            return figure_html(name, index["figures"][name], page_url)
        if kind == "result":
            if name not in index["results"]:
                raise RefError(f"unknown result {name!r}; computed results: "
                               f"{', '.join(sorted(index['results'])) or '(none)'}")
            try:
                return format_result(index["results"][name], spec.strip())
            except ValueError as exc:
                raise RefError(f"result {name!r}: bad format {spec.strip()!r}: {exc}") from None
        if kind == "course":
            value = course.get(name)
            if not isinstance(value, (str, int, float)):
                raise RefError(f"unknown course key {name!r} (scalar keys of "
                               f"site_config/course.yml: {', '.join(k for k, v in course.items() if isinstance(v, (str, int, float)))})")
            return html.escape(str(value), quote=False)
        return schedule(page_url)

    return "".join(
        text if is_code else REF_RE.sub(replace, text) for is_code, text in split_code(markdown)
    )

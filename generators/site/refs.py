"""Expand the course's references in a page's Markdown: figures, results, course facts.

Syntax (outside code blocks and inline code, which are left alone):

    {{ figure neurons/activations }}        the figure, light and dark variants, captioned
    {{ result neurons/test_accuracy .1% }}  a number the build computed, with a format spec
    {{ course title }}                      a key of site_config/course.yml
    {{ schedule }}                          the lessons table from site_config/course.yml
    {{ explorer dataflow dataflow/mlp }}    an in-page explorer (kind, then exported data)

Pure text in, plain Markdown out, for any engine: a figure becomes Markdown images (with
``attr_list``), whose paths are relative to the page's source file, so the engine
rewrites them for the page's URL whatever sub-path the site is published under. Unknown
names raise ``RefError`` with the line and the closest valid names; the caller adds the page.
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: describe reads pages with this module alone
    from generators.site.explorer_assets import ExplorerAssets

REF_RE = re.compile(r"\{\{\s*(figure|result|course|schedule|explorer)\b([^{}]*)\}\}")
# Fenced code blocks (``` or ~~~, possibly indented) and inline code spans.
FENCE_RE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$", re.M | re.S)
LIST_HINT = "`make list-figures` lists them with their generators"
INLINE_CODE_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


class RefError(ValueError):
    """A reference names something the build does not have; ``line`` is 1-based, or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def split_code(markdown: str) -> list[tuple[bool, str]]:
    """Split into (is_code, text) chunks so references inside code are not expanded.

    The chunks joined give ``markdown`` back.
    """
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


def sub_outside_code(pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str],
                     markdown: str, errors: list[RefError] | None = None) -> str:
    """``pattern.sub(replace, ...)`` outside code; a ``RefError`` gets the match's source line.

    ``errors``: collect every ``RefError`` there (the match is dropped) instead of raising
    the first, so one run reports all of a page's mistakes.
    """
    out, line = [], 1
    for is_code, text in split_code(markdown):
        if is_code:
            out.append(text)
        else:
            def located(match: re.Match[str], text: str = text, first: int = line) -> str:
                try:
                    return replace(match)
                except RefError as exc:
                    if exc.line is None:
                        exc.line = first + text.count("\n", 0, match.start())
                    if errors is None:
                        raise
                    errors.append(exc)
                    return ""
            out.append(pattern.sub(located, text))
        line += text.count("\n")
    return "".join(out)


def line_of(markdown: str, snippet: str) -> int | None:
    """1-based line where ``snippet`` first occurs in ``markdown``, else None."""
    at = markdown.find(snippet)
    return None if at < 0 else markdown.count("\n", 0, at) + 1


def closest(name: str, valid: Iterable[str], what: str, hint: str = "") -> str:
    """"; did you mean ...?" with the closest few valid names, or the whole list if it is short.

    ``hint``: where to see them all, said when none is close and the list is long.
    """
    valid = sorted(valid)
    near = difflib.get_close_matches(name, valid, n=3, cutoff=0.6)
    if near:
        return f"; did you mean {' or '.join(repr(n) for n in near)}?"
    if len(valid) <= 8:
        return f"; {what}: {', '.join(valid) or '(none)'}"
    return f"; none of the {len(valid)} {what} is close" + (f" ({hint})" if hint else "")


def page_url(src_uri: str) -> str:
    """The URL (relative to the site root) a page source is served at, directory style."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def relative_url(target: str, page: str) -> str:
    """URL of site file ``target`` relative to the page served at URL ``page``."""
    base = posixpath.dirname(page) if page else ""
    return posixpath.relpath(target, base or ".")


def source_relative(target: str, src_uri: str) -> str:
    """Path of docs file ``target`` relative to the page source ``src_uri`` (for Markdown links)."""
    return posixpath.relpath(target, posixpath.dirname(src_uri) or ".")


def figure_markdown(fig_id: str, fig: Mapping[str, Any], site_path: str = "/") -> str:
    """A captioned figure with a light and a dark picture; the theme's CSS shows one.

    A figure drawn in a narrow layout too gets a ``<source>`` for screens narrower than
    its ``narrow_below`` px, so a phone downloads and shows the narrow picture. Each
    picture links to the wide one ("open full size"). Sizes are whole CSS pixels.
    ``<picture>`` exists only as raw HTML, whose relative URLs the engines treat
    differently (MkDocs leaves them, Zensical rewrites them as relative to the source
    file), so its URLs are absolute paths under ``site_path``, the path of the address
    the site is built for (``/`` or, e.g., ``/dlv/``).
    """
    anchor = "fig-" + re.sub(r"[^a-z0-9]+", "-", fig_id)
    alt = html.escape(" ".join(fig["alt"].split()))
    narrow = fig.get("narrow")
    pictures = []
    for theme, rel in fig["files"].items():
        src = html.escape(f"{site_path}generated/{rel}")
        source = ""
        if narrow:
            nsrc = html.escape(f"{site_path}generated/{narrow['files'][theme]}")
            source = (f'<source media="(max-width: {fig["narrow_below"] - 0.02:.2f}px)" '
                      f'srcset="{nsrc}" width="{round(narrow["width"])}" '
                      f'height="{round(narrow["height"])}">')
        pictures.append(
            f'<a class="dlv-{theme}" href="{src}" title="Open the figure at full size">'
            f'<picture>{source}<img src="{src}" alt="{alt}" width="{round(fig["width"])}" '
            f'height="{round(fig["height"])}" loading="lazy"></picture></a>')
    return (
        f'\n\n<figure class="dlv-figure" id="{anchor}" markdown="1">\n'
        f'<div class="dlv-pictures">{"".join(pictures)}</div>\n'
        f'<figcaption markdown="span">{fig["caption"].strip()}</figcaption>\n</figure>\n\n'
    )


# Powers of ten as the explorers write them (assets/js/*.js): 4.1×10⁻⁵, never 4.1e-05.
_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")
_EXPONENT_RE = re.compile(r"^(-?)([0-9.]+)[eE]([+-]?)0*([0-9]+)(%?)$")


def format_result(value: float | int, spec: str) -> str:
    """Format a computed number: ``spec`` is a Python format spec (``.1%``, ``.3f``, ``,d``).

    Where the spec writes a power of ten (``e``, and ``g`` for very small or large
    numbers) it is written as the explorers write it: ``4.1×10⁻⁵`` with a real minus
    sign, not ``4.1e-05``, so prose and explorers show one number one way.
    """
    text = format(value, spec) if spec else (
        str(value) if isinstance(value, int) else format(value, ".4g"))
    match = _EXPONENT_RE.match(text)
    if not match:
        return text
    sign, mantissa, exp_sign, exponent, percent = match.groups()
    power = ("-" if exp_sign == "-" else "") + exponent
    minus = "\u2212" if sign else ""
    return f"{minus}{mantissa}\u00d710{power.translate(_SUPERSCRIPT)}{percent}"


def explorer_html(kind: str, export: Mapping[str, Any], src_uri: str, assets: ExplorerAssets) -> str:
    """The element an explorer script fills in; hidden until its script has started it.

    ``data-src`` (its data), ``data-scripts`` (libraries first, then the explorer's script)
    and ``data-styles`` are what ``assets/js/explorers.js`` loads for it, relative to the
    page's URL (no engine rewrites them): only pages that show an explorer load its files.
    """
    def urls(paths: Iterable[str]) -> str:
        return html.escape(" ".join(relative_url(p, page_url(src_uri)) for p in paths))

    src = urls([f"generated/{export['file']}"])
    return (f'\n\n<div class="dlv-explorer dlv-explorer-{html.escape(kind)}" '
            f'data-explorer="{html.escape(kind)}" data-src="{src}" '
            f'data-scripts="{urls(assets.scripts)}" data-styles="{urls(assets.styles)}" hidden></div>\n\n')


def expand(
    markdown: str,
    src_uri: str,
    index: Mapping[str, Any],
    course: Mapping[str, Any],
    schedule: Callable[[str], str],
    explorers: Mapping[str, ExplorerAssets] | None = None,
    errors: list[RefError] | None = None,
    site_path: str = "/",
) -> str:
    """Replace every reference in page ``src_uri``; ``RefError`` (with its line) for unknown names.

    ``explorers``: the explorer kinds that have a script, and the files each loads. ``schedule(src_uri)`` gives the
    schedule table for that page. ``errors``: collect every error there (``sub_outside_code``).
    ``site_path``: the path of the address the site is built for (figures' URLs start with it).
    """

    def replace(match: re.Match[str]) -> str:
        kind, arg = match.group(1), match.group(2).strip()
        name, _, spec = arg.partition(" ")
        if kind == "explorer":
            data = spec.strip()
            explorers_ = explorers or {}
            if name not in explorers_:
                raise RefError(f"unknown explorer {name!r}" + closest(name, explorers_, "explorers with a script"))
            exports = index.get("exports", {})
            if data not in exports:
                raise RefError(f"unknown explorer data {data!r}" + closest(data, exports, "exported data", LIST_HINT))
            return explorer_html(name, exports[data], src_uri, explorers_[name])
        if kind == "figure":
            if name not in index["figures"]:
                raise RefError(f"unknown figure {name!r}" + closest(name, index["figures"], "declared figures", LIST_HINT))
            return figure_markdown(name, index["figures"][name], site_path)
        if kind == "result":
            if name not in index["results"]:
                raise RefError(f"unknown result {name!r}" + closest(name, index["results"], "computed results", LIST_HINT))
            try:
                return format_result(index["results"][name], spec.strip())
            except (ValueError, TypeError) as exc:
                raise RefError(f"result {name!r}: bad format {spec.strip()!r}: {exc}") from None
        if kind == "course":
            value = course.get(name)
            if not isinstance(value, (str, int, float)):
                scalars = [k for k, v in course.items() if isinstance(v, (str, int, float))]
                raise RefError(f"unknown course key {name!r}" + closest(
                    name, scalars, "scalar keys of site_config/course.yml"))
            return html.escape(str(value), quote=False)
        return schedule(src_uri)

    return sub_outside_code(REF_RE, replace, markdown, errors)

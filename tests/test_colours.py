"""One visual language: figure modules take every colour from ``generators/style.py``.

A figure module (``generators/<lesson>/*.py``) that writes a colour itself would draw
outside the course's convention (sign, classes, digits, magnitudes; see the Notation page)
and would not follow the light/dark theme. The scanner below reads each module's syntax
tree and reports ``file:line: literal`` for

- a hex colour (``"#1f77b4"``) in any string;
- a registered colormap name (``"gray"``, ``"viridis"``, ``"RdBu_r"``) or a colour's long
  name (``"white"``, ``"tab:blue"``) as a whole string anywhere outside a docstring;
- any colour matplotlib understands (``"k"``, ``"C0"``, ``"0.5"``) in a colour-ish place:
  a keyword such as ``color=``, ``cmap=``, ``mfc=``; a dict entry under such a key; an
  argument of ``set_color``, ``set_facecolor``...; an rc setting ending in ``color``; or a
  ``plot`` format string such as ``"k--"``.

``"none"`` and ``"transparent"`` are not colours (they draw nothing) and are allowed.
The colour-blind check at the end simulates deuteranopia on the theme's sign colours.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
GENERATORS = REPO / "generators"
NOT_LESSONS = {"nn", "build", "site", "__pycache__"}

HEX = re.compile(r"(?<![\w&])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})(?![\w-])")
NOT_A_COLOUR = {"none", "transparent", ""}
# keywords (matplotlib, pygraphviz) whose value is a colour, a list of them or a colormap
COLOURISH = re.compile(r"^(c|fc|ec|mfc|mec|mfcalt|cmap|colou?rs?|\w*colou?rs?|\w*_cmap)$", re.I)
COLOUR_SETTERS = re.compile(r"^(set_\w*colou?rs?|set_cmap|get_cmap|\w*_colou?rs?)$", re.I)
PLOT_CALLS = {"plot", "semilogy", "semilogx", "loglog", "step"}
# a plot format: markers and line styles around one colour letter or C<n>
FMT = re.compile(r"^[-.:,ov^<>1-4sp*hH+xXDd|_]*(?:[bgrcmykw]|C\d)[-.:,ov^<>1-4sp*hH+xXDd|_]*$")


@dataclass(frozen=True)
class Literal:
    """One literal colour found in a module."""

    path: str
    line: int
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r} ({self.why})"


def _names() -> tuple[set[str], set[str]]:
    """(colormap names, named colours of three letters or more), as matplotlib registers them."""
    import matplotlib
    from matplotlib.colors import get_named_colors_mapping

    cmaps = set(matplotlib.colormaps)
    colours = {n for n in get_named_colors_mapping() if len(n) >= 3}
    return cmaps, colours


def _is_colour(text: str) -> bool:
    from matplotlib.colors import is_color_like

    return text.strip().lower() not in NOT_A_COLOUR and (
        is_color_like(text) or text in _names()[0])


def _strings(node: ast.AST) -> list[ast.Constant]:
    """String constants a value expression can evaluate to (through tuples, lists, dicts, ifs)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [s for e in node.elts for s in _strings(e)]
    if isinstance(node, ast.Dict):
        return [s for v in node.values for s in _strings(v)]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [s for v in node.values for s in _strings(v)]
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        return _strings(node.elt)
    return []


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def scan(source: str, path: str = "<module>") -> list[Literal]:
    """Every literal colour in one module's source, in line order."""
    tree = ast.parse(source)
    cmaps, colours = _names()
    docs = _docstrings(tree)
    found: dict[tuple[int, int], Literal] = {}

    def hit(node: ast.Constant, why: str) -> None:
        found.setdefault((node.lineno, node.col_offset), Literal(path, node.lineno, node.value, why))

    def in_colour_place(value: ast.AST, where: str) -> None:
        for s in _strings(value):
            if _is_colour(s.value):
                hit(s, f"colour in {where}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            if HEX.search(node.value):
                hit(node, "hex colour")
            elif node.value in cmaps:
                hit(node, "colormap name")
            elif node.value.lower() in colours:
                hit(node, "colour name")
        elif isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg and COLOURISH.match(kw.arg):
                    in_colour_place(kw.value, f"{kw.arg}=")
            name = _callee(node)
            if COLOUR_SETTERS.match(name):
                for arg in node.args:
                    in_colour_place(arg, f"{name}()")
            if name in PLOT_CALLS:
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and FMT.match(arg.value):
                        hit(arg, "colour in a plot format")
        elif isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values):
                if isinstance(k, ast.Constant) and isinstance(k.value, str) and (
                        COLOURISH.match(k.value) or k.value.endswith(("color", "cmap"))):
                    in_colour_place(v, f"{k.value!r}:")
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if (isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant)
                        and isinstance(t.slice.value, str) and t.slice.value.endswith(("color", "cmap"))):
                    in_colour_place(node.value, f"[{t.slice.value!r}]")
    return sorted(found.values(), key=lambda lit: (lit.line, lit.text))


def figure_modules() -> list[Path]:
    """``generators/<lesson>/**/*.py``: the modules that draw the lessons' figures."""
    return sorted(p for d in GENERATORS.iterdir() if d.is_dir() and d.name not in NOT_LESSONS
                  for p in d.rglob("*.py"))


# --- the scanner itself: it finds planted literals and leaves look-alikes alone ---------

PLANTED = '''
import matplotlib.pyplot as plt

def draw(d, p, theme):
    fig, ax = plt.subplots()
    ax.plot(d["x"], d["y"], color="k")                  # 6: single-letter colour
    ax.imshow(d["img"], cmap="gray")                    # 7: colormap name
    ax.scatter(d["x"], d["y"], c="C0", edgecolors="white")   # 8: two
    ax.plot(d["x"], d["y"], "r--")                      # 9: plot format
    style = {"color": "0.5", "lw": 2}                   # 10: grey as a string
    panels = [("photo", d["photo"], "viridis")]         # 11: colormap flowing into cmap=
    ax.text(0, 0, "hi", bbox=dict(fc="#ffeeaa"))        # 12: hex (twice: hex and fc=)
    ax.spines["left"].set_color("tab:blue")             # 13: named colour
    plt.rcParams["axes.edgecolor"] = "k"                # 14: rc setting
    ax.plot(d["x"], d["y"], mfc="w" if d["hollow"] else "black")   # 15: both branches
    return fig
'''

CLEAN = '''
import matplotlib.pyplot as plt

def draw(d, p, theme):
    """A docstring may say #ffffff or "gray" in words."""
    fig, ax = plt.subplots()
    ax.plot(d["x"], d["y"], "o--", color=theme.fg, mfc=theme.bg)
    ax.imshow(d["img"], cmap=theme.digits)
    ax.bar(d["k"], d["v"], color=[theme.palette[0] if k else theme.muted for k in d["k"]])
    ax.add_patch(plt.Rectangle((0, 0), 1, 1, facecolor="none", edgecolor=theme.muted))
    dims = {"w": 1, "b": 2, "k": 3}
    ax.set_xlabel("w"); ax.set_title("C = 0.5"); ax.annotate("b", (0, 0))
    ax.legend(loc="best"); ax.set_ylabel("k"); ax.plot(d["x"], d["y"], "-")
    anchor = "see #section-1"; key = d["c"]
    return fig
'''


def test_the_scanner_finds_every_planted_literal_with_its_line() -> None:
    found = scan(PLANTED, "planted.py")
    lines = [lit.line for lit in found]
    assert lines == [6, 7, 8, 8, 9, 10, 11, 12, 13, 14, 15, 15], "\n".join(map(str, found))
    assert str(found[0]) == "planted.py:6: 'k' (colour in color=)"
    assert {lit.text for lit in found} >= {"k", "gray", "C0", "white", "r--", "0.5", "viridis",
                                           "#ffeeaa", "tab:blue", "w", "black"}


def test_the_scanner_leaves_theme_colours_and_look_alikes_alone() -> None:
    assert scan(CLEAN) == []


def test_figure_modules_are_the_lessons_only() -> None:
    mods = figure_modules()
    assert GENERATORS / "networks" / "drawing.py" in mods
    assert not any(p.parent.name in NOT_LESSONS for p in mods)
    assert GENERATORS / "style.py" not in mods


@pytest.mark.parametrize("path", figure_modules(), ids=lambda p: str(p.relative_to(GENERATORS)))
def test_figure_module_takes_its_colours_from_the_theme(path: Path) -> None:
    found = scan(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))
    assert not found, ("literal colours (take them from generators/style.py's Theme):\n"
                       + "\n".join(map(str, found)))


# --- colour-blind readers: the sign colours stay apart under deuteranopia ----------------

# Machado, Oliveira & Fernandes (2009), deuteranomaly at severity 1.0, on linear RGB.
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968],
                         [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])
# ... and protanopia, the other common red-green deficiency.
PROTANOPIA = np.array([[0.152286, 1.052583, -0.204868],
                       [0.114503, 0.786281, 0.099216],
                       [-0.003882, -0.048116, 1.051998]])


def _linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65) of linear sRGB."""
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = (m @ np.clip(linear_rgb, 0, 1)) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(colour: object, deficiency: np.ndarray | None = None) -> np.ndarray:
    """L*a*b* of a colour as a reader with the given deficiency (None: typical vision) sees it."""
    from matplotlib.colors import to_rgb

    lin = _linear(np.array(to_rgb(colour)))
    return _lab(lin if deficiency is None else deficiency @ lin)


def delta_e(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b))


def test_the_simulation_confuses_red_and_green_but_not_blue_and_orange() -> None:
    # the check can fail: pure red and green, far apart to typical vision, merge
    assert delta_e(seen("#d62728"), seen("#2ca02c")) > 60
    assert delta_e(seen("#d62728", DEUTERANOPIA), seen("#2ca02c", DEUTERANOPIA)) < 25


@pytest.mark.parametrize("deficiency", [None, DEUTERANOPIA, PROTANOPIA],
                         ids=["typical", "deuteranopia", "protanopia"])
def test_sign_and_class_colours_stay_apart_for_colour_blind_readers(deficiency) -> None:
    from generators.style import themes

    for theme in themes():
        neg, pos = theme.class_colors
        assert delta_e(seen(neg, deficiency), seen(pos, deficiency)) > 40, theme.name
        # the diverging map's ends are the sign colours, each far from the page at 0
        cmap = theme.diverging
        lo, mid, hi = (seen(cmap(x)[:3], deficiency) for x in (0.0, 0.5, 1.0))
        assert delta_e(lo, hi) > 40, theme.name
        page = seen(theme.bg, deficiency)
        assert delta_e(mid, page) < 1, theme.name
        assert min(delta_e(lo, page), delta_e(hi, page)) > 25, theme.name


def test_digits_and_photo_maps_run_from_the_page_or_black_to_the_ink_or_white() -> None:
    from matplotlib.colors import to_hex

    from generators.style import themes

    for theme in themes():
        assert to_hex(theme.digits(0.0)) == to_hex(theme.bg)
        assert to_hex(theme.digits(1.0)) == to_hex(theme.fg)
        # a photograph is a photograph in both themes: black is black, white is white
        assert (to_hex(theme.photo(0.0)), to_hex(theme.photo(1.0))) == ("#000000", "#ffffff")


# --- explorers: the same two class colours as the figures --------------------------------

CSS = REPO / "site_config" / "assets" / "css"


def _css_value(css: str, selector_part: str, prop: str) -> str:
    """The value of ``prop`` in the first rule whose selector contains ``selector_part``."""
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if selector_part in selector and (m := re.search(rf"(?:^|[;\s]){re.escape(prop)}\s*:\s*([^;]+);", body)):
            return m.group(1).strip().lower()
    raise AssertionError(f"no {prop} in a rule for {selector_part}")


@pytest.mark.parametrize("css_file, light_rule, dark_rule, neg, pos", [
    ("trainanim.css", ".dlv-explorer-trainanim {", '"slate"] .dlv-explorer-trainanim', "--dlv-c0", "--dlv-c1"),
    ("digits.css", ".dlv-explorer-digits {", '"slate"] .dlv-explorer-digits', "--dlv-dg-neg", "--dlv-dg-pos"),
])
def test_explorers_class_colours_are_the_figures(css_file, light_rule, dark_rule, neg, pos) -> None:
    from generators.style import themes

    light, dark = themes()
    css = (CSS / css_file).read_text(encoding="utf-8")
    rule = light_rule.rstrip(" {")
    assert _css_value(css, rule, neg) == light.negative.lower()
    assert _css_value(css, rule, pos) == light.positive.lower()
    assert _css_value(css, dark_rule, pos) == dark.positive.lower()
    assert dark.negative == light.negative      # so the dark rule need not repeat it


def test_playground_class_colours_are_the_figures() -> None:
    from generators.style import themes

    light, dark = themes()
    css = (CSS / "playground.css").read_text(encoding="utf-8")
    assert _css_value(css, ".dlv-pg-cneg", "fill") == light.negative.lower()
    assert _css_value(css, ".dlv-pg-cpos", "fill") == light.positive.lower()
    assert _css_value(css, '"slate"] .dlv-pg-cpos', "fill") == dark.positive.lower()

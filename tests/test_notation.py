"""One meaning per symbol: every symbol a lesson writes is on the Notation page, and the
symbols the course retired (alpha for the learning rate or the interpolation coefficient,
lambda for a curvature, sigma for a noise level, J for the cost, W_ij) appear nowhere.

The pages are read as Markdown: the maths is what stands between ``$`` or ``$$`` outside
code, with ``{{ ... }}`` references removed. Every failure names the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generators.site.refs import split_code

REPO = Path(__file__).resolve().parents[1]
NOTATION = REPO / "content/notation.md"
LESSONS = sorted([*REPO.glob("content/lessons/*.md"), *REPO.glob("content/visualization/*.md")])

MATH_RE = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)
REF_RE = re.compile(r"\{\{.*?\}\}", re.S)
# LaTeX commands that name a quantity (a Greek letter, an operator with a meaning of its
# own); formatting commands (\frac, \left, \quad, ...) and functions (\sin, \ln, ...) are
# not symbols to define.
SYMBOL_COMMANDS = {
    *(f"\\{g}" for g in (
        "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu "
        "xi pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma "
        "Phi Psi Omega").split()),
    "\\nabla", "\\odot", "\\otimes", "\\coloneqq", "\\top", "\\lVert", "\\operatorname",
}
# Symbols an exercise defines for itself (see the end of the Notation page), by page.
EXERCISE_LOCAL = {
    "visualization/playground.md": {"A", "c", "d"},  # an affine map A x + d, a line w^T x + c
    "visualization/feature-visualization.md": {"d"},  # d = x - x_bar in exercise 2
    "visualization/inner-workings.md": {"r"},  # a fixed input length in exercise 1
}
# Letters that are not symbols: the e of e^x, operator names after a removed command.
NOT_SYMBOLS = {"e"}

# (pattern, what is wrong): looked for in every line of lesson maths.
FORBIDDEN = [
    (re.compile(r"\\alpha(?![a-zA-Z])"),
     "alpha: the learning rate is eta, the interpolation coefficient is t"),
    (re.compile(r"\\lambda_\{?(?:max|min|1|2|\\max|\\min)"),
     "lambda with a subscript reads as an eigenvalue (a curvature): curvatures are k, k_1, k_2"),
    (re.compile(r"\d\s*/\s*\\lambda(?![a-zA-Z])"),
     "2 / lambda is a step-size limit from a curvature: curvatures are k"),
    (re.compile(r"\\frac\{\\lambda\}\{2\}\s*(?:w|\\theta)\^2"),
     "a quadratic cost lambda/2 w^2: its curvature is k (lambda is weight decay only)"),
    (re.compile(r"\\sigma\s*\\(?:var)?epsilon|x\s*\+\s*\\sigma(?![a-zA-Z'_])"),
     "sigma as a noise level: the noise level is s (sigma is the sigmoid)"),
    (re.compile(r"W\^\{\(l\)\}_\{ij\}|W\^\{\(l\)\}_\{?ij(?![a-z])"),
     "W^(l)_ij: a weight is W^(l)_ji (to unit j from unit i)"),
    (re.compile(r"(?<![A-Za-z\\{_])J(?![A-Za-z])"),
     "J for the cost: the cost is C on every page"),
]
# Words on a line that make a lambda a curvature, whatever the formula.
CURVATURE_WORDS = re.compile(r"curvature|curves|eigenvalue|Hessian", re.I)


def maths(markdown: str) -> list[tuple[int, str]]:
    """(line, LaTeX) of every formula outside code, references removed; a display formula
    gives one entry per line."""
    found: list[tuple[int, str]] = []
    offset = 0
    for is_code, chunk in split_code(markdown):
        if not is_code:
            for match in MATH_RE.finditer(chunk):
                first = markdown[:offset + match.start()].count("\n") + 1
                for k, text in enumerate((match.group(1) or match.group(2)).split("\n")):
                    found.append((first + k, REF_RE.sub("", text)))
        offset += len(chunk)
    return found


def symbols(latex: str) -> set[str]:
    """The symbols a piece of LaTeX writes: symbol commands and standalone Latin letters."""
    found = set(re.findall(r"\\[A-Za-z]+", latex)) & SYMBOL_COMMANDS
    bare = re.sub(r"\\(?:text|mathrm|operatorname)\{[^}]*\}", " ", latex)
    bare = re.sub(r"\\[A-Za-z]+", " ", bare)
    found |= set(re.findall(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])", bare)) - NOT_SYMBOLS
    return found


def test_the_helpers_find_symbols_in_maths_only() -> None:
    page = "Text $x + \\alpha$ and `$y$` code.\n\n$$\nW^{(l)}_{ji} \\odot \\sigma(z)\n$$\n"
    assert maths(page) == [(1, "x + \\alpha"), (3, ""), (4, "W^{(l)}_{ji} \\odot \\sigma(z)"), (5, "")]
    # a two-letter subscript (ji) is a pair of indices, not a symbol
    assert symbols("W^{(l)}_{ji} \\odot \\sigma(z) + \\frac{1}{2} e^{x}") == {
        "W", "l", "\\odot", "\\sigma", "z", "x"}


def test_every_symbol_a_lesson_uses_is_on_the_notation_page() -> None:
    defined = set().union(*(symbols(text) for _, text in maths(NOTATION.read_text(encoding="utf-8"))))
    missing: dict[str, str] = {}
    for page in LESSONS:
        rel = page.relative_to(REPO / "content").as_posix()
        local = EXERCISE_LOCAL.get(rel, set())
        for line, text in maths(page.read_text(encoding="utf-8")):
            for symbol in sorted(symbols(text) - defined - local):
                missing.setdefault(symbol, f"content/{rel}:{line}")
    assert not missing, "symbols used but not on the Notation page (content/notation.md): " + ", ".join(
        f"{symbol} (first at {where})" for symbol, where in sorted(missing.items()))


@pytest.mark.parametrize("page", LESSONS, ids=lambda p: p.name)
def test_no_page_uses_a_retired_symbol(page: Path) -> None:
    rel = page.relative_to(REPO).as_posix()
    markdown = page.read_text(encoding="utf-8")
    lines = markdown.split("\n")
    found = []
    for line, text in maths(markdown):
        for pattern, why in FORBIDDEN:
            if pattern.search(text):
                found.append(f"{rel}:{line}: {why}: {text.strip()}")
        if "\\lambda" in text and CURVATURE_WORDS.search(lines[line - 1]):
            found.append(f"{rel}:{line}: lambda next to 'curvature': curvatures are k: {lines[line - 1].strip()}")
    assert not found, "\n".join(found)


def test_the_forbidden_patterns_catch_what_they_are_for() -> None:
    bad = {
        "x_{t+1} = x_t - \\alpha g": "alpha",
        "\\eta < 2 / \\lambda": "2 / lambda",
        "C(w) = \\frac{\\lambda}{2} w^2": "lambda/2 w^2",
        "x + \\sigma \\varepsilon": "noise level",
        "W^{(l)}_{ij} \\coloneqq W^{(l)}_{ij}": "W^(l)_ij",
        "\\partial J / \\partial W": "J for the cost",
        "1 - \\eta \\lambda_{\\max}": "eigenvalue",
    }
    for latex, what in bad.items():
        assert any(p.search(latex) for p, _ in FORBIDDEN), (latex, what)
    good = ["W^{(l)} \\coloneqq (1 - \\eta\\lambda) W^{(l)}", "\\frac{\\lambda}{2} \\sum_l (W^{(l)}_{ji})^2",
            "\\sigma(z) = 1/(1 + e^{-z})", "\\sigma'(z)", "\\sqrt{\\sigma_B^2 + \\epsilon}",
            "x + s \\varepsilon", "\\theta(t) = (1 - t)\\theta_0 + t \\theta^*", "Q_1", "S_c(x)"]
    for latex in good:
        assert not any(p.search(latex) for p, _ in FORBIDDEN), latex

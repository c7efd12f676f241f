"""The hook's text transforms: references in Markdown, LaTeX to MathML."""

from __future__ import annotations

import pytest

from mathml import MathError, latex_to_mathml, render_math
from refs import RefError, expand, relative_url

INDEX = {
    "figures": {"neurons/act": {"files": {"light": "neurons/act.svg", "dark": "neurons/act.dark.svg"},
                                "caption": "Curves of $f$.", "alt": 'A "quoted" <alt>',
                                "width": 600.0, "height": 200.0}},
    "results": {"neurons/acc": 0.9537, "neurons/epochs": 150},
    "exports": {"dataflow/mlp": {"file": "dataflow/mlp.json", "bytes": 10}},
}
COURSE = {"title": "DL & Vis", "code": "CS 1", "instructors": [{"name": "A"}]}


def run(md: str, url: str = "lessons/neurons/") -> str:
    return expand(md, url, INDEX, COURSE, lambda _url: "SCHEDULE", explorers=("dataflow",))


def test_explorer_reference_becomes_a_hidden_element_with_its_data_url() -> None:
    out = run("{{ explorer dataflow dataflow/mlp }}", "visualization/dataflow-graphs/")
    assert ('<div class="dlv-explorer dlv-explorer-dataflow" data-explorer="dataflow" '
            'data-src="../../generated/dataflow/mlp.json" hidden></div>') in out
    with pytest.raises(RefError, match="unknown explorer 'playground'; explorers with a script: dataflow"):
        run("{{ explorer playground dataflow/mlp }}")
    with pytest.raises(RefError, match="unknown explorer data 'dataflow/cnn'"):
        run("{{ explorer dataflow dataflow/cnn }}")


def test_figure_reference_becomes_a_captioned_light_and_dark_figure() -> None:
    out = run("Before\n\n{{ figure neurons/act }}\n\nAfter")
    assert 'src="../../generated/neurons/act.svg"' in out
    assert 'src="../../generated/neurons/act.dark.svg"' in out
    assert 'alt="A &quot;quoted&quot; &lt;alt&gt;"' in out
    assert '<figcaption markdown="span">Curves of $f$.</figcaption>' in out
    assert 'id="fig-neurons-act"' in out


def test_results_are_formatted_with_the_given_spec() -> None:
    assert run("{{ result neurons/acc .1% }}") == "95.4%"
    assert run("{{ result neurons/acc }}") == "0.9537"
    assert run("{{ result neurons/epochs }}") == "150"
    with pytest.raises(RefError, match="bad format"):
        run("{{ result neurons/epochs .1q }}")


def test_course_values_are_escaped_and_schedule_is_delegated() -> None:
    assert run("{{ course title }} / {{ schedule }}") == "DL &amp; Vis / SCHEDULE"
    with pytest.raises(RefError, match="unknown course key 'instructors'"):
        run("{{ course instructors }}")


def test_references_inside_code_are_left_alone() -> None:
    md = "Use `{{ figure nope }}` inline.\n\n```md\n{{ result nope }}\n```\n\n~~~\n{{ figure x }}\n~~~\n"
    assert run(md) == md


def test_unknown_names_list_what_exists() -> None:
    with pytest.raises(RefError, match=r"unknown figure 'neurons/actt'; declared figures: neurons/act"):
        run("{{ figure neurons/actt }}")
    with pytest.raises(RefError, match=r"unknown result 'neurons/ac'; computed results: neurons/acc, neurons/epochs"):
        run("{{ result neurons/ac }}")


@pytest.mark.parametrize("page, expected", [("", "generated/a.svg"),
                                            ("lessons/neurons/", "../../generated/a.svg"),
                                            ("lessons/neurons.html", "../generated/a.svg")])
def test_relative_urls(page: str, expected: str) -> None:
    assert relative_url("generated/a.svg", page) == expected


def test_inline_and_block_maths_become_mathml() -> None:
    html = ('<p>See <span class="arithmatex">\\(a &lt; b\\)</span>.</p>'
            '<div class="arithmatex">\\[\\frac{1}{2n}\\sum_x \\lVert y - a \\rVert^2\\]</div>')
    out = render_math(html)
    assert '<span class="dlv-math"><math display="inline">' in out and "<mo>&#x0003C;</mo>" in out
    assert '<div class="dlv-math dlv-math-block"><math display="block">' in out
    assert "<mfrac>" in out and "arithmatex" not in out
    assert '<mo stretchy="false">&#x02016;</mo>' in out  # bars do not grow with the formula


@pytest.mark.parametrize("latex", [r"\foo x", r"\begin{aligned} a &= b \end{aligned}"])
def test_unsupported_latex_fails_loudly(latex: str) -> None:
    with pytest.raises(MathError, match="cannot render"):
        latex_to_mathml(latex, display=False)


def test_operator_names_are_set_upright_without_operator_spacing() -> None:
    assert "<mi>ReLU</mi>" in latex_to_mathml(r"\operatorname{ReLU}(z)", display=False)

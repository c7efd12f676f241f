"""The expand step's text transforms (references in Markdown) and LaTeX to MathML."""

from __future__ import annotations

import pytest

from generators.site.explorer_assets import ExplorerAssets
from generators.site.markdown_math import render_math
from generators.site.maths import MathCache, MathError, latex_to_mathml
from generators.site.refs import RefError, expand, page_url, relative_url

INDEX = {
    "figures": {"neurons/act": {"files": {"light": "neurons/act.svg", "dark": "neurons/act.dark.svg"},
                                "caption": "Curves of $f$.", "alt": 'A "quoted" <alt>',
                                "width": 600.0, "height": 200.0}},
    "results": {"neurons/acc": 0.9537, "neurons/epochs": 150},
    "exports": {"dataflow/mlp": {"file": "dataflow/mlp.json", "bytes": 10}},
}
COURSE = {"title": "DL & Vis", "code": "CS 1", "instructors": [{"name": "A"}]}
EXPLORERS = {"dataflow": ExplorerAssets(("assets/js/vendor/dagre.min.js", "assets/js/dataflow.js"),
                                        ("assets/css/dataflow.css",))}


def run(md: str, src: str = "lessons/neurons.md") -> str:
    return expand(md, src, INDEX, COURSE, lambda _src: "SCHEDULE", explorers=EXPLORERS)


def test_explorer_reference_becomes_a_hidden_element_with_its_data_and_files() -> None:
    out = run("{{ explorer dataflow dataflow/mlp }}", "visualization/dataflow-graphs.md")
    # Its data, its scripts (the library first) and styles, relative to the page's URL.
    assert ('<div class="dlv-explorer dlv-explorer-dataflow" data-explorer="dataflow" '
            'data-src="../../generated/dataflow/mlp.json" '
            'data-scripts="../../assets/js/vendor/dagre.min.js ../../assets/js/dataflow.js" '
            'data-styles="../../assets/css/dataflow.css" hidden></div>') in out
    with pytest.raises(RefError, match="unknown explorer 'playground'; explorers with a script: dataflow"):
        run("{{ explorer playground dataflow/mlp }}")
    with pytest.raises(RefError, match="unknown explorer data 'dataflow/cnn'"):
        run("{{ explorer dataflow dataflow/cnn }}")


def test_figure_reference_becomes_a_captioned_light_and_dark_figure() -> None:
    out = run("Before\n\n{{ figure neurons/act }}\n\nAfter")
    # Raw HTML (a <picture> has no Markdown form), so absolute paths under the site's path:
    # relative URLs in raw HTML are left as they are by MkDocs, rewritten by Zensical.
    assert ('<a class="dlv-light" href="/generated/neurons/act.svg" title="Open the figure at full size">'
            '<picture><img src="/generated/neurons/act.svg" alt="A &quot;quoted&quot; &lt;alt&gt;" '
            'width="600" height="200" loading="lazy"></picture></a>') in out
    assert 'href="/generated/neurons/act.dark.svg"' in out
    assert '<figcaption markdown="span">Curves of $f$.</figcaption>' in out
    assert 'id="fig-neurons-act"' in out


def test_figure_sizes_are_whole_pixels_and_alt_text_cannot_break_the_html() -> None:
    index = {**INDEX, "figures": {"neurons/act": {**INDEX["figures"]["neurons/act"],
                                                  "width": 692.8, "alt": 'a [bracket] \\ "here" >'}}}
    out = expand("{{ figure neurons/act }}", "lessons/neurons.md", index, COURSE, str, site_path="/dlv/")
    assert 'width="693"' in out and 'src="/dlv/generated/neurons/act.svg"' in out
    assert 'alt="a [bracket] \\ &quot;here&quot; &gt;"' in out


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


def test_unknown_names_suggest_the_closest_and_give_the_line() -> None:
    with pytest.raises(RefError, match=r"unknown figure 'neurons/actt'; did you mean 'neurons/act'\?") as err:
        run("# Title\n\nText `{{ code }}`\n\n```\nx\n```\n{{ figure neurons/actt }}")
    assert err.value.line == 8
    with pytest.raises(RefError, match=r"unknown result 'zz'; computed results: neurons/acc, neurons/epochs"):
        run("{{ result zz }}")


@pytest.mark.parametrize("page, expected", [("", "generated/a.svg"),
                                            ("lessons/neurons/", "../../generated/a.svg"),
                                            ("lessons/neurons.html", "../generated/a.svg")])
def test_relative_urls(page: str, expected: str) -> None:
    assert relative_url("generated/a.svg", page) == expected


@pytest.mark.parametrize("src, url", [("index.md", ""), ("lessons/neurons.md", "lessons/neurons/"),
                                      ("lessons/index.md", "lessons/")])
def test_page_urls_are_directory_urls(src: str, url: str) -> None:
    assert page_url(src) == url


def test_inline_and_block_maths_become_mathml() -> None:
    html = ('<p>See <span class="arithmatex">\\(a &lt; b\\)</span>.</p>'
            '<div class="arithmatex">\\[\\frac{1}{2n}\\sum_x \\lVert y - a \\rVert^2\\]</div>')
    out = render_math(html, MathCache(None))
    assert '<span class="dlv-math"><math display="inline">' in out and "<mo>&#x0003C;</mo>" in out
    assert '<div class="dlv-math dlv-math-block"><math display="block">' in out
    assert "<mfrac>" in out and "arithmatex" not in out
    assert '<mo stretchy="false">&#x02016;</mo>' in out  # bars do not grow with the formula


@pytest.mark.parametrize("latex", [r"\foo x", r"a = b \\ c"])
def test_unsupported_latex_fails_loudly(latex: str) -> None:
    with pytest.raises(MathError, match="cannot render"):
        latex_to_mathml(latex, display=False)


def test_operator_names_are_set_upright_without_operator_spacing() -> None:
    assert "<mi>ReLU</mi>" in latex_to_mathml(r"\operatorname{ReLU}(z)", display=False)


def test_the_formula_cache_converts_each_formula_once(tmp_path, monkeypatch) -> None:
    import generators.site.maths as maths

    cache = MathCache(tmp_path / "mathml.json")
    first = cache.mathml("a^2", display=False)
    cache.save()
    calls = []
    monkeypatch.setattr(maths, "latex_to_mathml", lambda *a: calls.append(a) or "x")
    again = MathCache(tmp_path / "mathml.json")
    assert again.mathml("a^2", display=False) == first and not calls
    assert again.mathml("a^2", display=True) == "x" and calls == [("a^2", True)]

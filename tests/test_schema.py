"""Every file an instructor edits has a schema: each mistake is named with its file, line
and key, every one at once, with the closest valid names, and nothing published changes.

figures.yml runs the real pipeline on a fake repository (fast generators); course.yml
and front matter run the expand step on a copy of the course with its published figures
(no figure is rebuilt), and one test runs the whole build command as `make` does.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
import yaml

from fakerepo import FakeRepo
from generators.figure import OverrideError, Param, effective_params
from generators.site.expand import DOCS, ENGINE_CONFIG, ExpandError, expand_site
from sitekit import REPO, copy_repository

# A generator whose parameters declare what they mean and which values they take.
TUNED = '''"""A fake generator with declared parameters.

Its second paragraph says more.
"""
import sys

from generators.figure import Figure, Generator, Param

print("importing alpha/tuned", file=sys.stderr)


def compute(p):
    return {"tuned_value": float(p["epochs"]) * p["eta"]}


def draw(data, p, theme):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, data["tuned_value"]])
    return fig


GENERATOR = Generator(
    compute=compute,
    params={"epochs": Param(10, "passes over the training data", min=1),
            "eta": Param(0.5, "the learning rate", min=0.0),
            "rate": 0.1,
            "act": Param("relu", "the activation function", choices=("relu", "sigmoid")),
            "sizes": (4, 3)},
    results=("tuned_value",),
    figures=(Figure("tuned-plot", draw, caption="A line.", alt="A rising line."),),
    timeout=120,
)
'''


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- site_config/figures.yml ---------------------------------------------------------

@pytest.fixture
def repo(tmp_path: Path) -> FakeRepo:
    r = FakeRepo(tmp_path / "repo")
    r.add("alpha", "one")
    r.write("generators/alpha/fig_tuned.py", TUNED)
    return r


BAD_FIGURES_YML = """\
alpha/onee:
  scale: 2
alpha/one:
  scael: 2
  label: 3
alpha/tuned:
  epochs: -5
  eta: 1e6
  rate: .nan
  act: rleu
  sizes: [4, 2.5]
"""


def test_every_figures_yml_error_is_reported_at_once_before_any_job_runs(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    published = repo.generated()
    repo.write("site_config/figures.yml", BAD_FIGURES_YML)
    run = repo.run()
    assert run.code == 2, run.out
    f = "error: site_config/figures.yml"
    for message in (
        f"{f}:1: alpha/onee: unknown generator; did you mean 'alpha/one'",
        f"{f}:4: alpha/one.scael: unknown parameter; did you mean 'scale'",
        f"{f}:5: alpha/one.label: expected text like the default 'x', got 3",
        f"{f}:7: alpha/tuned.epochs: must be >= 1, got -5",
        f"{f}:8: alpha/tuned.eta: expected a number like the default 0.5, got '1e6' "
        "(text, not a number: YAML reads 1e6 as text; write 1.0e+6)",
        f"{f}:9: alpha/tuned.rate: must be finite, got nan",
        f"{f}:10: alpha/tuned.act: must be one of 'relu', 'sigmoid', got 'rleu'; did you mean 'relu'?",
        f"{f}:11: alpha/tuned.sizes: expected a list of whole numbers like the default [4, 3], "
        "got [4, 2.5]",
    ):
        assert message in run.out, run.out
    assert "Traceback" not in run.out and "running" not in run.out  # no job started
    assert repo.generated() == published


def test_the_suggested_spelling_of_a_number_is_one(repo: FakeRepo) -> None:
    assert isinstance(yaml.safe_load("eta: 1e6")["eta"], str)  # why the message exists
    repo.write("site_config/figures.yml", "alpha/tuned:\n  eta: 1.0e+6\n  epochs: 3\n")
    run = repo.run()
    assert run.code == 0, run.out
    assert '"alpha/tuned_value":3000000.0' in repo.generated()["_index.json"].decode().replace(" ", "")


def test_a_malformed_figures_yml_names_every_section(repo: FakeRepo) -> None:
    repo.write("site_config/figures.yml", "alpha/one: 5\nalpha/tuned:\n  epochs: 2\n  epochs: 3\n"
               "alpha/nope: [1]\n")
    run = repo.run()
    assert run.code == 2
    assert ("site_config/figures.yml:1: alpha/one: expected a mapping of parameter names to values "
            "(eta: 1.0), got 5") in run.out
    assert "site_config/figures.yml:4: alpha/tuned.epochs: given twice (lines 3 and 4)" in run.out
    assert "site_config/figures.yml:5: alpha/nope: expected a mapping" in run.out


def test_an_up_to_date_build_imports_no_generator_to_check_its_overrides(repo: FakeRepo) -> None:
    repo.write("site_config/figures.yml", "alpha/tuned:\n  epochs: 3\n")
    first = repo.run()
    assert first.code == 0 and "importing alpha/tuned" in first.out
    again = repo.run()
    assert again.code == 0 and "  built" not in again.out
    assert "importing alpha/tuned" not in again.out  # the parent did not import it


def test_the_check_reads_an_edited_generator_afresh_in_a_long_running_process(repo: FakeRepo) -> None:
    """``make serve`` runs the pipeline in one process: an edited declaration must count."""
    script = (
        "from pathlib import Path\n"
        "from generators.build.overrides import declared_params\n"
        "m = 'generators.alpha.fig_tuned'\n"
        "print(declared_params(m)['epochs'].min)\n"
        "p = Path('generators/alpha/fig_tuned.py')\n"
        "p.write_text(p.read_text().replace('min=1)', 'min=2)'))\n"
        "print(declared_params(m)['epochs'].min)\n"
        "import sys; print(m in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=repo.root, capture_output=True,
                          text=True, env={"PYTHONPATH": str(repo.root), "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.stdout.split() == ["1", "2", "False"], done.stdout + done.stderr


SPECS = {"epochs": Param(10, min=1), "eta": Param(0.5, min=0.0, max=10.0), "rate": 0.1,
         "sizes": (4, 3), "act": Param("relu", choices=("relu", "sigmoid")), "flag": True}


@pytest.mark.parametrize("overrides, expected", [
    ({"rate": 2}, {"rate": 2.0}),  # an int for a float
    ({"sizes": [5, 6, 7]}, {"sizes": (5, 6, 7)}),  # a list for a tuple
    ({"eta": 10, "epochs": 1, "act": "sigmoid"}, {"eta": 10.0, "epochs": 1, "act": "sigmoid"}),
])
def test_effective_params_accepts_what_the_declaration_allows(overrides, expected) -> None:
    params = effective_params(SPECS, overrides, "g/x")
    assert {k: params[k] for k in expected} == expected
    assert {type(params[k]) for k in expected} == {type(v) for v in expected.values()}


@pytest.mark.parametrize("overrides, message", [
    ({"epochs": -5}, "g/x.epochs: must be >= 1, got -5"),
    ({"eta": 11}, "g/x.eta: must be <= 10.0, got 11.0"),
    ({"eta": math.inf}, "g/x.eta: must be finite, got inf"),
    ({"epochs": math.nan}, "g/x.epochs: must be finite, got nan"),  # not a type complaint
    ({"epochs": "2e3"}, "write 2000)"),
    ({"rate": "0.5"}, "got '0.5' (a number in quotes is text: remove the quotes)"),
    ({"epochs": 2.5}, "g/x.epochs: expected a whole number like the default 10, got 2.5"),
    ({"flag": 1}, "g/x.flag: expected true or false like the default True, got 1"),
    ({"epochs": True}, "g/x.epochs: expected a whole number"),
    ({"act": "tanh"}, "g/x.act: must be one of 'relu', 'sigmoid', got 'tanh'"),
    ({"rat": 1}, "g/x.rat: unknown parameter; did you mean 'rate'"),
])
def test_effective_params_refuses_what_the_declaration_does_not(overrides, message) -> None:
    with pytest.raises(OverrideError) as err:
        effective_params(SPECS, overrides, "g/x")
    assert message in str(err.value)


def test_plain_defaults_still_work_as_declarations() -> None:
    params = effective_params({"eta": 3.0, "n": 5}, {"eta": 1}, "g/x")
    assert dict(params) == {"eta": 1.0, "n": 5}


def test_a_param_default_outside_its_range_is_refused_where_it_is_declared() -> None:
    with pytest.raises(ValueError, match="outside"):
        Param(0, min=1)


# --- notebook metadata -----------------------------------------------------------------

def test_a_notebook_cells_alt_must_be_text(repo: FakeRepo) -> None:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Explore"),
        nbformat.v4.new_code_cell("print(1)", metadata={"alt": 3}),
        nbformat.v4.new_code_cell("print(2)", metadata={"alt_text": "A line.", "tags": []}),
    ])
    (repo.root / "content/notebooks").mkdir()
    nbformat.write(nb, repo.root / "content/notebooks/explore.ipynb")
    run = repo.run()
    assert run.code == 1, run.out
    assert ("content/notebooks/explore.ipynb: cell 2: metadata.alt: expected text (the alt text "
            "of the cell's image), got 3") in run.out
    assert "content/notebooks/explore.ipynb: cell 3: metadata.alt_text: unknown key; did you mean 'alt'?" in run.out
    assert "alpha/one-plot.svg" in repo.generated()  # the other jobs are published
    assert not any(name.startswith("pages/") for name in repo.generated())


# --- site_config/course.yml and front matter ----------------------------------------

@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the course with its published figures, expanded once; files restored after each test."""
    root = copy_repository(tmp_path_factory.mktemp("course") / "repo")
    if not (REPO / "content/generated/_index.json").is_file():
        pytest.skip("the course's figures are not built: run `make figures` first")
    shutil.copytree(REPO / "content/generated", root / "content/generated")
    expand_site(root)
    yield root


@pytest.fixture
def edit(course: Path) -> Iterator:
    """``edit(path, old, new)`` in the course copy (the line of ``old`` returned); undone after."""
    saved: dict[Path, bytes] = {}

    def change(rel: str, old: str, new: str) -> int:
        path = course / rel
        saved.setdefault(path, path.read_bytes())
        text = path.read_text(encoding="utf-8")
        assert old in text, f"test is stale: {old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return text[:text.index(old)].count("\n") + 1

    yield change
    for path, blob in saved.items():
        path.write_bytes(blob)


def expand_errors(root: Path) -> list[str]:
    """The expand step's errors; it must fail and leave build/docs/ and content/generated/ as they were."""
    before = tree(root / DOCS), (root / ENGINE_CONFIG).read_bytes(), tree(root / "content/generated")
    with pytest.raises(ExpandError) as err:
        expand_site(root)
    assert (tree(root / DOCS), (root / ENGINE_CONFIG).read_bytes(),
            tree(root / "content/generated")) == before
    return err.value.errors


C = "site_config/course.yml"


@pytest.mark.parametrize("old, new, message", [
    ("colors:", "colours:", "{line}: colours: unknown key; did you mean 'colors'?"),
    ("colors:\n  primary: indigo\n  accent: deep orange", "colors: teal",
     "{line}: colors: expected a mapping with primary and accent, got 'teal'"),
    ("url: http://127.0.0.1:8000/", "url: 42",
     "{line}: url: expected an http(s) address such as https://USER.github.io/REPO/, got 42"),
    ("page: lessons/neurons.md", "page: 7",
     "{line}: schedule[0].page: expected a file under content/ (text), got 7"),
    ("title: Deep Learning & Visualization", "title: [a, b]",
     "{line}: title: expected text (the course's name), got ['a', 'b']"),
    ("primary: indigo", "primary: indgo",
     "{line}: colors.primary: 'indgo' is not one of Material's colour names; did you mean 'indigo'?"),
    ("page: lessons/networks.md", "page: lessons/network.md",
     "{line}: schedule[1].page: content/lessons/network.md does not exist; did you mean "
     "'lessons/networks.md'"),
    ("Notation: notation.md", "Notation: notations.md",
     "{line}: navigation[2].Notation: content/notations.md does not exist; did you mean 'notation.md'?"),
    ("logo: material/brain", "logo: material/brian",
     "{line}: logo: Material for MkDocs has no icon 'material/brian'; did you mean 'material/brain'"),
    ("url: http", "site_url: x\nurl: http",
     "{line}: site_url: unknown key; did you mean 'url'? (this file is not mkdocs.yml)"),
    ("instructors: []", "instructors:\n  - nmae: A. Lecturer",
     "{next}: instructors[0].nmae: unknown key; did you mean 'name'?"),
    ("term: Fall 2026", "term: [Fall 2026",
     "{next}:12: malformed YAML: expected ',' or ']', but got ':'"),
], ids=["colours", "colors-teal", "url-42", "page-7", "title-list", "colour-name", "missing-page",
        "missing-nav-page", "logo-icon", "mkdocs-key", "instructor-key", "yaml-syntax"])
def test_a_course_file_mistake_is_named_with_its_line_and_key(course, edit, old, new, message) -> None:
    line = edit(C, old, new)
    errors = expand_errors(course)
    expected = f"{C}:" + message.format(line=line, next=line + 1)
    assert any(expected in e for e in errors), errors
    assert not any("Traceback" in e for e in errors)


def test_every_course_file_mistake_is_reported_at_once(course, edit) -> None:
    edit(C, "colors:", "colours:")
    edit(C, "url: http://127.0.0.1:8000/", "url: 42")
    edit(C, "page: lessons/neurons.md", "page: 7")
    errors = expand_errors(course)
    assert [e.split(": ")[1] for e in errors] == ["url", "colours", "schedule[0].page"], errors


def test_an_own_course_fact_is_allowed_for_course_references(course, edit) -> None:
    edit(C, "term: Fall 2026", "term: Fall 2026\noffice_hours: Tuesdays 2-4 pm")
    edit("content/notation.md", "\n", "\n\nOffice hours: {{ course office_hours }}.\n")
    expand_site(course)
    assert "Office hours: Tuesdays 2-4 pm." in (course / DOCS / "notation.md").read_text()


def test_front_matter_mistakes_are_reported_with_the_other_page_errors(course, edit) -> None:
    edit("content/notation.md", "# ", "---\ntitel: Notation\nhide: [nav, toc]\n"
                                      "search: {exclude: maybe}\nicon: material/brian\n---\n\n# ")
    edit("content/lessons/sgd.md", "{{ further_reading }}", "{{ figure sgd/nope }}\n\n{{ further_reading }}")
    errors = expand_errors(course)
    page = "content/notation.md"
    for message in (f"{page}:2: front matter: titel: unknown key; did you mean 'title' or 'subtitle'?",
                    f"{page}:3: front matter: hide[0]: 'nav' is not a part of the page the theme "
                    "can hide; valid: feedback, footer, navigation, path, tags, toc",
                    f"{page}:4: front matter: search.exclude: expected true or false, got 'maybe'",
                    f"{page}:5: front matter: icon: Material for MkDocs has no icon 'material/brian'"):
        assert any(e.startswith(message) for e in errors), errors
    assert any(e.startswith("content/lessons/sgd.md:") and "unknown figure 'sgd/nope'" in e
               for e in errors), errors


def test_malformed_front_matter_gives_its_line(course, edit) -> None:
    edit("content/notation.md", "# ", "---\ntitle: [Notation\n---\n\n# ")
    errors = expand_errors(course)
    assert any(e.startswith("content/notation.md:3:1: front matter: malformed YAML") for e in errors), errors


def test_valid_front_matter_passes(course, edit) -> None:
    edit("content/notation.md", "# ", "---\ntitle: Symbols\ndescription: The notation.\n"
                                      "hide:\n  - toc\nsearch:\n  boost: 2\nicon: material/brain\n"
                                      "status: new\ntags: [maths]\n---\n\n# ")
    expand_site(course)


def test_the_build_command_reports_course_errors_and_keeps_the_published_site(course, edit,
                                                                            tmp_path) -> None:
    """What `make` runs: exit status 2, every error on stderr, site/ untouched."""
    site = tmp_path / "site"
    (site / "lessons").mkdir(parents=True)
    (site / "index.html").write_text("<p>the last good site</p>")
    (site / "lessons/page.html").write_text("<p>a page</p>")
    before, generated = tree(site), tree(course / "content/generated")
    edit(C, "colors:", "colours:")
    edit(C, "url: http://127.0.0.1:8000/", "url: 42")
    done = subprocess.run([sys.executable, "-m", "generators.site", "build", "--no-figures", "-q",
                           "--site-dir", str(site)], cwd=course, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"error: {C}:13: url: expected an http(s) address" in done.stderr
    assert f"error: {C}:18: colours: unknown key; did you mean 'colors'?" in done.stderr
    assert "Traceback" not in done.stderr
    assert tree(site) == before and tree(course / "content/generated") == generated

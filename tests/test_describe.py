"""`make describe [ID=...]` and `make list-figures`: what each generator takes, makes, and where."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fakerepo import REPO, FakeRepo
from generators.build.describe import describe, listing
from generators.build.yamlfile import ConfigError
from test_schema import TUNED


@pytest.fixture
def repo(tmp_path: Path) -> FakeRepo:
    r = FakeRepo(tmp_path / "repo")
    (r.root / "generators/site").mkdir()
    for name in ("__init__.py", "refs.py"):  # describe reads pages with the expand step's patterns
        shutil.copy(REPO / "generators/site" / name, r.root / "generators/site" / name)
    r.add("alpha", "one")
    r.write("generators/alpha/fig_tuned.py", TUNED)
    r.write("content/lessons/alpha.md", "# Alpha\n\n{{ figure alpha/tuned-plot }}\n\n"
            "It reached {{ result alpha/tuned_value .2f }}, and {{ result alpha/tuned_value }}.\n\n"
            "```\n{{ figure alpha/one-plot }} in code is not a use\n```\n")
    r.write("site_config/figures.yml", "alpha/tuned:\n  epochs: 3\n")
    return r


def run(repo: FakeRepo, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generators", *args], cwd=repo.root,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(repo.root), "PYTHONDONTWRITEBYTECODE": "1"})


def test_describe_shows_parameters_outputs_limits_and_pages(repo: FakeRepo) -> None:
    done = run(repo, "--describe", "alpha/tuned")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("alpha/tuned\n===========\nA fake generator with declared parameters.\n")
    assert "Its second paragraph" not in out  # the docstring's first paragraph only
    assert "module:     generators/alpha/fig_tuned.py" in out
    assert "time limit: 120 s" in out
    assert "  epochs = 3 (figures.yml; default 10)  (whole number, >= 1)\n" \
           "      passes over the training data\n" in out
    assert "  eta = 0.5  (number, >= 0)\n      the learning rate\n" in out
    assert "  rate = 0.1  (number)\n" in out
    assert "  act = 'relu'  (text, one of 'relu', 'sigmoid')\n" in out
    assert "  sizes = [4, 3]  (list of whole numbers)\n" in out
    assert "figures:    alpha/tuned-plot\nresults:    alpha/tuned_value\n" in out
    assert "  content/lessons/alpha.md: figure tuned-plot, result tuned_value (x2)\n" in out
    assert "alpha/one" not in out  # only the generator asked for
    assert all(len(line) <= 80 for line in out.splitlines())


def test_describe_without_an_id_shows_every_generator(repo: FakeRepo) -> None:
    out = run(repo, "--describe").stdout
    assert "alpha/one\n=========" in out and "alpha/tuned\n===========" in out
    assert "used on:    no page" in out.split("alpha/tuned\n")[0]  # in a code block only


def test_an_output_id_describes_its_generator(repo: FakeRepo) -> None:
    out = run(repo, "--describe", "alpha/tuned_value").stdout
    assert out.startswith("alpha/tuned_value is a result of generator alpha/tuned:\n\nalpha/tuned\n")


def test_an_unknown_id_gets_the_closest_names(repo: FakeRepo) -> None:
    done = run(repo, "--describe", "alpha/tund")
    assert done.returncode == 2
    assert "error: unknown generator 'alpha/tund'; did you mean 'alpha/tuned'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_generator_that_cannot_be_imported_is_named_and_the_others_still_shown(repo: FakeRepo) -> None:
    repo.write("generators/alpha/fig_broken.py", "import nothing_by_this_name\n")
    out = run(repo, "--describe").stdout
    assert "alpha/broken\n============\ncannot be imported: ModuleNotFoundError" in out
    assert "alpha/tuned\n===========" in out


def test_list_figures_gives_two_lines_per_generator(repo: FakeRepo) -> None:
    lines = run(repo, "--list").stdout.splitlines()
    assert lines[0].split() == ["alpha/one", "1", "figure,", "1", "result;", "used", "on", "no", "page"]
    assert lines[1] == "    Fake generator one."
    assert lines[2].split() == ["alpha/tuned", "1", "figure,", "1", "result"]
    assert all(len(line) <= 80 for line in lines)


def test_the_course_generators_are_all_described_within_80_columns() -> None:
    """In this process: the course's own generators (``describe`` imports from ``generators``)."""
    out = describe(REPO, "neurons/training")
    assert "module:     generators/neurons/fig_training.py" in out
    assert "figures:    neurons/neuron-boundary" in out and "content/lessons/neurons.md: " in out
    assert all(len(line) <= 80 for line in describe(REPO).splitlines())
    assert all(len(line) <= 80 for line in listing(REPO).splitlines())
    with pytest.raises(ConfigError, match=r"unknown generator 'neurons/trainin'; did you mean 'neurons/training'"):
        describe(REPO, "neurons/trainin")

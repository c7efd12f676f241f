"""The expand step: incremental, all or nothing, engine-free, every error at once."""

from __future__ import annotations

import json
import re

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generators.site.expand import (DOCS, ENGINE_CONFIG, ExpandError, display_maths_on_own_lines,
                                   expand_site)
from generators.site.refs import RefError


@pytest.fixture
def expanded(repo_copy) -> Path:
    """A copy of the repository with its figures published and expanded once."""
    root = repo_copy()
    done = subprocess.run([sys.executable, "-m", "generators"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    expand_site(root)
    return root


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_expand_writes_only_what_changed_and_removes_what_is_gone(expanded: Path) -> None:
    root = expanded
    assert expand_site(root).written == []
    page = root / "content/notation.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert expand_site(root).written == ["notation.md"]
    assert "One more line." in (root / DOCS / "notation.md").read_text(encoding="utf-8")
    extra = root / "content/extra/page.md"
    extra.parent.mkdir()
    extra.write_text("# Extra\n\nNot in the navigation, linked from the notation.\n", encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the extra page](extra/page.md).\n",
                    encoding="utf-8")
    assert sorted(expand_site(root).written) == ["extra/page.md", "notation.md"]
    extra.unlink()
    page.write_text(page.read_text(encoding="utf-8").replace("See [the extra page](extra/page.md).\n", ""),
                    encoding="utf-8")
    report = expand_site(root)
    assert report.removed == ["extra/page.md"] and not (root / DOCS / "extra").exists()


def test_a_course_file_change_reaches_the_engine_settings_and_the_pages(expanded: Path) -> None:
    root = expanded
    course = root / "site_config/course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "term: Fall 2026", "term: Spring 2031"), encoding="utf-8")
    report = expand_site(root)
    assert "index.md" in report.written and "Spring 2031" in (root / DOCS / "index.md").read_text()
    assert "Spring 2031" in (root / ENGINE_CONFIG).read_text()  # the footer's copyright


def test_a_hand_edited_page_in_the_docs_folder_is_put_back(expanded: Path) -> None:
    root = expanded
    target = root / DOCS / "lessons/neurons.md"
    good = target.read_bytes()
    target.write_text("scribbled", encoding="utf-8")
    assert expand_site(root).written == ["lessons/neurons.md"]
    assert target.read_bytes() == good


def test_errors_in_several_pages_are_all_reported_and_nothing_is_written(expanded: Path) -> None:
    root = expanded
    before = _tree(root / DOCS), (root / ENGINE_CONFIG).read_bytes()
    (root / "content/notation.md").write_text("# N\n\n{{ result nope }}\n", encoding="utf-8")
    (root / "content/lessons/sgd.md").write_bytes(b"# SGD\n\ncaf\xe9\n")  # Latin-1, not UTF-8
    (root / "content/index.md").write_text("# Home\n\n$\\frac{1}{$\n", encoding="utf-8")
    with pytest.raises(ExpandError) as err:
        expand_site(root)
    text = "\n".join(err.value.errors)
    assert len(err.value.errors) == 3, text
    assert "content/notation.md:3: unknown result 'nope'" in text
    assert "content/lessons/sgd.md:3: not UTF-8 text (invalid continuation byte: byte 0xe9)" in text
    assert "content/index.md:3: cannot render" in text
    assert (_tree(root / DOCS), (root / ENGINE_CONFIG).read_bytes()) == before


def test_the_expanded_markdown_is_plain(expanded: Path) -> None:
    """No directive or citation key is left for an engine to know about.

    Markdown links are relative to the source file (the engine rewrites them). The raw
    HTML of figures (<picture>) has absolute paths under the site's path: MkDocs leaves
    relative URLs in raw HTML as they are, Zensical rewrites them as source-relative.
    """
    lesson = (expanded / DOCS / "lessons/neurons.md").read_text(encoding="utf-8")
    assert "{{" not in lesson and "[@" not in lesson
    assert 'href="/generated/neurons/activations.svg"' in lesson  # built for http://127.0.0.1:8000/
    assert 'srcset="/generated/neurons/activations.narrow.svg"' in lesson
    assert "](../reading-list.md#ref-nielsen2015)" in lesson
    nav = (expanded / ENGINE_CONFIG).read_text(encoding="utf-8")
    assert "lessons/neurons.md" in nav and "Deep Learning & Visualization" in nav


def test_figures_point_under_the_path_the_site_is_built_for(expanded: Path) -> None:
    expand_site(expanded, "https://someone.github.io/dlv/")
    lesson = (expanded / DOCS / "lessons/neurons.md").read_text(encoding="utf-8")
    assert 'href="/dlv/generated/neurons/activations.svg"' in lesson
    assert 'srcset="/dlv/generated/neurons/activations.narrow.svg"' in lesson


def _course_edit(root: Path, old: str, new: str) -> None:
    course = root / "site_config/course.yml"
    text = course.read_text(encoding="utf-8")
    assert old in text, f"test is stale: {old!r} not in course.yml"
    course.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_page_out_of_the_course_file_is_not_published_and_named(expanded: Path) -> None:
    """Removing a lesson from the schedule removes it: not built, not in the reading list's
    "cited in", its generators named as unused; a page only linked to (notation) stays."""
    root = expanded
    assert "lessons/sgd.md" in (root / DOCS / "reading-list.md").read_text(encoding="utf-8")
    _course_edit(root, "    page: lessons/sgd.md\n", "    page: lessons/cnns.md\n")
    _course_edit(root, "  - Notation: notation.md\n", "")
    for page in root.glob("content/**/*.md"):  # no other page links to it either
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"\[([^\]]*)\]\((\.\./)*lessons/sgd\.md[^)]*\)", r"\1", text), encoding="utf-8")
    report = expand_site(root)
    assert "lessons/sgd.md" in report.removed and not (root / DOCS / "lessons/sgd.md").exists()
    assert report.warnings[0] == (
        "content/lessons/sgd.md is in neither the schedule nor the navigation of "
        "site_config/course.yml, and no published page links to it: not published")
    assert report.warnings[1].startswith("generator(s) whose figures, results and exports no "
                                         "published page uses")
    assert report.warnings[1].endswith(": sgd/compare, sgd/linear, sgd/momentum")
    assert len(report.warnings) == 2
    assert (root / DOCS / "notation.md").is_file()  # linked from the lessons
    assert "lessons/sgd.md" not in (root / DOCS / "reading-list.md").read_text(encoding="utf-8")


def test_a_deleted_generators_cached_manifest_is_not_named_unused(expanded: Path) -> None:
    """The cache keeps manifests of generators since deleted; they publish nothing, so no warning."""
    from generators.build.publish import manifest_path
    stale = manifest_path(expanded, "playground/circle")
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text(json.dumps({"index": {"results": {"circle_runs": {"value": 72}}}}), encoding="utf-8")
    assert not expand_site(expanded).warnings


def test_a_notebook_page_can_be_placed_in_the_schedule(expanded: Path) -> None:
    root = expanded
    _course_edit(root, "  - Notebook example: notebooks/learning-rates.md\n", "")
    _course_edit(root, '  - week: "1"\n', '  - week: "0"\n    page: notebooks/learning-rates.ipynb\n'
                                           '    summary: A notebook first.\n  - week: "1"\n')
    report = expand_site(root)
    assert not report.warnings
    nav = yaml.safe_load((root / ENGINE_CONFIG).read_text(encoding="utf-8"))["nav"]
    lessons = next(item["Lessons"] for item in nav if "Lessons" in item)
    assert lessons[0] == {"A notebook page: one neuron, many learning rates": "notebooks/learning-rates.md"}
    home = (root / DOCS / "index.md").read_text(encoding="utf-8")
    assert "| 0 | [A notebook page: one neuron, many learning rates](notebooks/learning-rates.md) |" in home


def test_every_error_of_a_page_is_reported_with_its_line(expanded: Path) -> None:
    root = expanded
    page = root / "content/notation.md"
    page.write_text("# N\n\n{{ figure neurons/activatons }} [@nope]\n\n$\\foo$ {{ bogus }}\n"
                    "{{ result zzzz_unknown }}\n", encoding="utf-8")
    results = len(json.loads((root / "content/generated/_index.json").read_text())["results"])
    keys = len(re.findall(r"^@\w+\{", (root / "site_config/references.bib").read_text(), re.M))
    with pytest.raises(ExpandError) as err:
        expand_site(root)
    assert err.value.errors == [
        "content/notation.md:3: unknown citation key 'nope' (not in site_config/references.bib); "
        f"none of the {keys} keys is close (see site_config/references.bib)",
        "content/notation.md:3: unknown figure 'neurons/activatons'; did you mean "
        "'neurons/activations' or 'inner_workings/activations'?",
        "content/notation.md:5: unknown directive '{{ bogus }}': use figure, result, explorer, "
        "course, schedule, further_reading or reading_list",
        "content/notation.md:5: cannot render $\\foo$: '\\\\foo' is not supported",
        f"content/notation.md:6: unknown result 'zzzz_unknown'; none of the {results} computed results is "
        "close (`make list-figures` lists them with their generators)",
    ]


def test_course_file_settings_the_engine_would_trip_over_are_named(expanded: Path) -> None:
    root = expanded
    _course_edit(root, "logo: material/brain", "logo: material/brian")
    _course_edit(root, "url: http://127.0.0.1:8000/", "url: github.io/dlv")
    with pytest.raises(ExpandError) as err:
        expand_site(root)
    lines = (root / "site_config/course.yml").read_text(encoding="utf-8").splitlines()
    logo, url = lines.index("logo: material/brian") + 1, lines.index("url: github.io/dlv") + 1
    assert err.value.errors == [
        f"site_config/course.yml:{url}: url: expected an http(s) address such as "
        "https://USER.github.io/REPO/, got 'github.io/dlv'",
        f"site_config/course.yml:{logo}: logo: Material for MkDocs has no icon 'material/brian'; "
        "did you mean 'material/brain' or 'material/debian' or 'material/ring'?",
    ]


def test_reference_file_errors_are_all_named_at_their_entries(expanded: Path) -> None:
    root = expanded
    bib = root / "site_config/references.bib"
    text = bib.read_text(encoding="utf-8")
    lines = text.splitlines()
    first, second = lines.index("@book{nielsen2015,") + 1, lines.index("@misc{ufldl,") + 1
    bib.write_text(text.replace("tier       = {essential}", "tier       = {vital}", 2)
                   .replace("  url        = ", "  link       = ", 1), encoding="utf-8")
    with pytest.raises(ExpandError) as err:
        expand_site(root)
    assert err.value.errors == [
        f"site_config/references.bib:{first}: entry 'nielsen2015' lacks field(s) url",
        f"site_config/references.bib:{first}: entry 'nielsen2015': tier 'vital' must be one of "
        "essential, further",
        f"site_config/references.bib:{second}: entry 'ufldl': tier 'vital' must be one of essential, further",
    ]
    bib.write_text(text.replace("@misc{ufldl,\n", "@misc{ufldl,\n  note = {unclosed,\n", 1), encoding="utf-8")
    with pytest.raises(ExpandError) as err:
        expand_site(root)
    assert err.value.errors == [f"site_config/references.bib:{second}: malformed BibTeX: entry 'ufldl' "
                                "has unbalanced braces (1 unclosed '{' before the next entry)"]


@pytest.mark.parametrize("source, expanded_text", [
    ("Text $$a+b$$ more.", "Text\n\n$$\na+b\n$$\n\nmore."),
    ("Text\n$$a+b$$\nmore.", "Text\n\n$$\na+b\n$$\n\nmore."),
    ("Text\n\n$$\na+b\n$$\n\nmore.", "Text\n\n$$\na+b\n$$\n\nmore."),  # a block already
    ("- item $$a+b$$ x\n- next", "- item\n\n    $$\n    a+b\n    $$\n\n    x\n\n- next"),
    ("!!! note\n\n    In $$a$$ it.", "!!! note\n\n    In\n\n    $$\n    a\n    $$\n\n    it."),
    ("Code `$$x$$` stays.", "Code `$$x$$` stays."),
])
def test_display_maths_in_a_paragraph_gets_lines_of_its_own(source: str, expanded_text: str) -> None:
    assert display_maths_on_own_lines(source, source) == expanded_text


def test_display_maths_in_a_table_row_is_an_error() -> None:
    source = "| a | $$x$$ |\n|---|---|\n"
    with pytest.raises(RefError) as err:
        display_maths_on_own_lines(source, source)
    assert err.value.line == 1 and "use $...$ there" in str(err.value)


def test_a_course_without_instructors_shows_no_placeholder_and_no_empty_credit(expanded: Path) -> None:
    """A fork that has not set instructors shows none: no "Your Name", no dangling separator."""
    root = expanded
    course = yaml.safe_load((root / "site_config/course.yml").read_text(encoding="utf-8"))
    assert not course.get("instructors"), "the shipped course file names no instructor"
    course_file = root / "site_config/course.yml"
    course_file.write_text(course_file.read_text(encoding="utf-8").replace("instructors: []\n", ""),
                           encoding="utf-8")
    expand_site(root)  # the key may be left out altogether
    placeholders = ("Your Name", "you@example", "Instructor Name", "TODO", "TBD", "Lorem")
    pages = {p.relative_to(root / DOCS).as_posix(): p.read_text(encoding="utf-8")
             for p in (root / DOCS).rglob("*.md")}
    pages[ENGINE_CONFIG.as_posix()] = (root / ENGINE_CONFIG).read_text(encoding="utf-8")
    found = [(name, word) for name, text in pages.items() for word in placeholders if word in text]
    assert not found, found
    copyright = yaml.safe_load(pages[ENGINE_CONFIG.as_posix()])["copyright"]
    assert copyright == "CS 6965 · Fall 2026", copyright
    empty_headings = [(name, line) for name, text in pages.items()
                      for line in text.splitlines() if line.startswith("#") and not line.lstrip("#").strip()]
    assert not empty_headings, empty_headings


def test_instructors_named_in_the_course_file_reach_the_footer(expanded: Path) -> None:
    root = expanded
    course_file = root / "site_config/course.yml"
    course_file.write_text(course_file.read_text(encoding="utf-8").replace(
        "instructors: []\n", "instructors:\n  - name: Ada Lovelace\n    email: ada@example.edu\n"),
        encoding="utf-8")
    expand_site(root)
    copyright = yaml.safe_load((root / ENGINE_CONFIG).read_text(encoding="utf-8"))["copyright"]
    assert copyright == "CS 6965 · Fall 2026 · Ada Lovelace", copyright

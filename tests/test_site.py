"""The built site: strict build, self-contained, maths rendered, alt text, errors."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitekit import ENGINES, REPO, build_site

ASSET_ATTRS = {"script": ("src",), "link": ("href",), "img": ("src", "srcset"),
               "iframe": ("src",), "source": ("src", "srcset"), "video": ("src", "poster"),
               "audio": ("src",), "embed": ("src",), "object": ("data",)}
LOADED_RELS = {"stylesheet", "icon", "preload", "prefetch", "preconnect", "modulepreload",
               "manifest", "apple-touch-icon", "dns-prefetch"}
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.I)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""", re.I)


class Assets(HTMLParser):
    """Collects asset URLs (not plain <a> links), inline CSS, images and figures."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.css: list[str] = []
        self.imgs: list[dict[str, str | None]] = []
        self.figures = 0
        self.figcaptions = 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and not LOADED_RELS & set((a.get("rel") or "").lower().split()):
            return  # rel="canonical" and the like are addresses, not loaded assets
        for name in ASSET_ATTRS.get(tag, ()):
            if a.get(name):
                self.urls += [part.split()[0] for part in a[name].split(",") if part.strip()]
        if a.get("style"):
            self.css.append(a["style"])
        if tag == "img":
            self.imgs.append(a)
        self.figures += tag == "figure"
        self.figcaptions += tag == "figcaption"
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def parse(path: Path) -> Assets:
    p = Assets()
    p.feed(path.read_text(encoding="utf-8"))
    return p


LESSONS = ("neurons", "networks", "gradient-descent", "backpropagation", "convolution", "cnns", "sgd")
VISUALIZATION = ("playground", "inner-workings", "feature-visualization", "attribution",
                 "loss-landscapes", "training-dynamics", "dataflow-graphs")


def test_every_page_of_the_url_map_so_far_is_built(site: Path) -> None:
    pages = ["index.html", "404.html", "reading-list/index.html", "instructors/index.html",
             "notation/index.html", *(f"lessons/{name}/index.html" for name in LESSONS),
             *(f"visualization/{name}/index.html" for name in VISUALIZATION)]
    for url in pages:
        assert (site / url).is_file(), url


def test_lessons_are_in_the_navigation_in_teaching_order(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('md-nav--primary'):]
    positions = [nav.index(f'href="lessons/{name}/"') for name in LESSONS]
    positions += [nav.index(f'href="visualization/{name}/"') for name in VISUALIZATION]
    assert positions == sorted(positions)


def test_no_external_asset_urls(site: Path) -> None:
    bad = []
    for page in pages(site):
        p = parse(page)
        bad += [(page.name, u) for u in p.urls if EXTERNAL.match(u)]
        for css in p.css:
            bad += [(page.name, m) for m in CSS_URL.findall(css) if any(EXTERNAL.match(x) for x in m if x)]
    for css_file in site.rglob("*.css"):
        for m in CSS_URL.findall(css_file.read_text(encoding="utf-8", errors="replace")):
            bad += [(css_file.name, x) for x in m if x and EXTERNAL.match(x)]
    assert not bad, f"third-party assets would be requested at page load: {bad[:10]}"


def test_no_google_fonts_or_cdn_anywhere_in_html(site: Path) -> None:
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        for host in ("fonts.googleapis", "fonts.gstatic", "cdn.jsdelivr", "unpkg.com", "cdnjs"):
            assert host not in text, f"{page}: {host}"


def _prose(html: str) -> str:
    """Page text outside <pre>/<code>/<script>, where LaTeX may legitimately appear."""
    return re.sub(r"<(pre|code|script)\b.*?</\1>", "", html, flags=re.S)


RAW_TEX = re.compile(r"\$[^$<>\s][^$<>]*\$|\\[a-zA-Z]+|\\[()\[\]]")


def test_maths_is_rendered_to_mathml(site: Path) -> None:
    lesson = (site / "lessons/neurons/index.html").read_text(encoding="utf-8")
    assert lesson.count("<math") > 20
    assert 'display="block"' in lesson
    for page in pages(site):
        prose = _prose(page.read_text(encoding="utf-8"))
        text = re.sub(r"<[^>]+>", " ", prose)  # text nodes only: no attributes, no tags
        assert "arithmatex" not in prose, page
        raw = RAW_TEX.findall(text)
        assert not raw, f"{page.relative_to(site)}: raw LaTeX in built HTML: {raw[:5]}"


def test_math_font_is_self_hosted(site: Path) -> None:
    css = (site / "assets/course.css").read_text(encoding="utf-8")  # site_config/assets/
    assert 'url("fonts/STIXTwoMath.woff2")' in css
    assert 10_000 < (site / "assets/fonts/STIXTwoMath.woff2").stat().st_size < 200_000  # a subset


def test_every_figure_has_alt_text_and_a_caption(site: Path) -> None:
    lesson = parse(site / "lessons/neurons/index.html")
    assert lesson.figures >= 3 and lesson.figcaptions == lesson.figures
    for page in pages(site):
        for img in parse(page).imgs:
            assert (img.get("alt") or "").strip(), f"{page.relative_to(site)}: <img {img}> has no alt"
    figure_imgs = [i for i in lesson.imgs if "generated/" in (i.get("src") or "")]
    assert {i["src"].endswith(".dark.svg") for i in figure_imgs} == {True, False}
    for img in figure_imgs:  # absolute paths under the path the site is built for (here /)
        src = img["src"]
        target = site / src.lstrip("/") if src.startswith("/") else site / "lessons/neurons" / src
        assert target.resolve().is_file(), src


def test_numbers_in_the_lesson_come_from_the_build(site: Path) -> None:
    import json

    index = json.loads((REPO / "content/generated/_index.json").read_text())
    lesson = (site / "lessons/neurons/index.html").read_text(encoding="utf-8")
    assert f"{index['results']['neurons/test_accuracy']:.1%}" in lesson
    assert "{{" not in _prose(lesson)


def test_reading_list_links_back_to_the_citing_lessons(site: Path) -> None:
    page = (site / "reading-list/index.html").read_text(encoding="utf-8")
    entry = page[page.index('id="ref-nielsen2015"'):]
    entry = entry[:entry.index("</div>")]
    assert 'href="../lessons/neurons/"' in entry
    lesson = (site / "lessons/neurons/index.html").read_text(encoding="utf-8")
    assert 'href="../../reading-list/#ref-nielsen2015"' in lesson
    assert 'class="dlv-further-reading"' in lesson


def test_every_lesson_offers_its_executed_notebook(site: Path) -> None:
    import json

    index = json.loads((REPO / "content/generated/_index.json").read_text())
    lessons = sorted(p.stem for p in (REPO / "content/lessons").glob("*.md"))
    assert lessons
    for lesson in lessons:
        rel = index["notebooks"][lesson.replace("-", "_")]
        page = (site / "lessons" / lesson / "index.html").read_text(encoding="utf-8")
        assert f'href="../../generated/{rel}"' in page, lesson
        nb = json.loads((site / "generated" / rel).read_text())
        assert any(o.get("output_type") == "display_data" for c in nb["cells"]
                   for o in c.get("outputs", [])), f"{rel} was not executed"


def test_notebook_page_is_part_of_the_site(site: Path) -> None:
    page = (site / "notebooks/learning-rates/index.html").read_text(encoding="utf-8")
    assert "<math" in page and "generated/pages/notebooks/learning-rates_files/" in page
    assert (site / "notebooks/learning-rates.ipynb").is_file()  # downloadable as written


def test_no_generated_file_is_tracked() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.splitlines()
    generated = [f for f in tracked if re.match(
        r"^(site/|build/|content/generated/|\.cache/|\.venv/|screenshots/)|__pycache__|\.pyc$", f)]
    assert not generated


@pytest.mark.slow  # two cold builds: every network trained twice
def test_two_cold_builds_are_byte_identical(repo_copy, tmp_path: Path) -> None:
    root = repo_copy(with_cache=False)
    outputs = []
    for i in range(2):
        for d in ("build", ".cache", "content/generated"):
            subprocess.run(["rm", "-rf", str(root / d)], check=True)
        done = build_site(root, tmp_path / f"site{i}")
        assert done.returncode == 0, done.stdout + done.stderr
        outputs.append({p.relative_to(tmp_path / f"site{i}").as_posix(): p.read_bytes()
                        for p in sorted((tmp_path / f"site{i}").rglob("*")) if p.is_file()})
    assert outputs[0].keys() == outputs[1].keys()
    differ = [k for k in outputs[0] if outputs[0][k] != outputs[1][k]]
    assert not differ, f"files differ between two cold builds: {differ[:10]}"


PAGE_ERROR = "content/lessons/neurons.md:{line}: "


@pytest.mark.parametrize(
    "edit, message",
    [
        (("content/lessons/neurons.md", "{{ figure neurons/activations }}", "{{ figure neurons/activatons }}"),
         PAGE_ERROR + "unknown figure 'neurons/activatons'; did you mean 'neurons/activations'"),
        (("content/lessons/neurons.md", "{{ result neurons/eta }}", "{{ result neurons/etta }}"),
         PAGE_ERROR + "unknown result 'neurons/etta'; did you mean 'neurons/eta'"),
        (("content/lessons/neurons.md", "$z = W^\\top x + b$", "$z = \\foo x$"),
         PAGE_ERROR + "cannot render $z = \\foo x$"),
        (("site_config/course.yml", "term: Fall 2026", "term: [Fall 2026"),
         "site_config/course.yml:6:12: malformed YAML: expected ',' or ']', but got ':' "
         "(while parsing a flow sequence at line 5)"),
        (("site_config/figures.yml", "# Unknown generators", "neurons/training:\n  etta: 2\n#"),
         "neurons/training.etta: unknown parameter; did you mean 'eta'"),
        (("content/lessons/neurons.md", "[@ufldl]", "[@ufldll]"),
         PAGE_ERROR + "unknown citation key 'ufldll' (not in site_config/references.bib); did you mean 'ufldl'?"),
        (("content/lessons/neurons.md", "{{ further_reading }}", "{{ further_readin }}"),
         PAGE_ERROR + "unknown directive '{{ further_readin }}"),
    ],
    ids=["unknown-figure", "unknown-result", "bad-latex", "malformed-yaml", "unknown-param",
         "unknown-citation", "unknown-directive"],
)
def test_bad_input_fails_the_build_with_a_clear_message(repo_copy, tmp_path, edit, message) -> None:
    root = repo_copy()
    path, old, new = edit
    text = (root / path).read_text(encoding="utf-8")
    assert old in text, f"test is stale: {old!r} not in {path}"
    message = message.replace("{line}", str(text[:text.index(old)].count("\n") + 1))
    (root / path).write_text(text.replace(old, new, 1), encoding="utf-8")
    done = build_site(root, tmp_path / "out")
    assert done.returncode != 0
    assert message in done.stdout + done.stderr, done.stdout + done.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_failed_build_reports_every_page_error_and_changes_nothing(repo_copy, tmp_path, engine) -> None:
    root = repo_copy()
    site = tmp_path / "out"
    assert build_site(root, site, engine=engine).returncode == 0
    before = _tree(site), _tree(root / "build/docs"), (root / "build/engine.yml").read_bytes()
    for page, old, new in (("content/lessons/neurons.md", "{{ figure neurons/activations }}",
                            "{{ figure neurons/nope }}"),
                           ("content/lessons/sgd.md", "# ", "# Edited title\n\n$\\foo$\n\n# ")):
        text = (root / page).read_text(encoding="utf-8")
        (root / page).write_text(text.replace(old, new, 1), encoding="utf-8")
    done = build_site(root, site, engine=engine)
    assert done.returncode == 2
    assert "content/lessons/neurons.md:" in done.stderr and "unknown figure 'neurons/nope'" in done.stderr
    assert "content/lessons/sgd.md:3: cannot render $\\foo$" in done.stderr
    assert "2 error(s); build/docs/ and the site are unchanged" in done.stderr
    assert (_tree(site), _tree(root / "build/docs"), (root / "build/engine.yml").read_bytes()) == before


def test_one_course_file_customises_the_site(repo_copy, tmp_path: Path) -> None:
    root = repo_copy()
    course = root / "site_config/course.yml"
    text = course.read_text(encoding="utf-8")
    for old, new in (("title: Deep Learning & Visualization", "title: Neural Nets & Vision"),
                     ("    page: lessons/neurons.md", "    page: lessons/networks.md"),
                     ("    page: lessons/networks.md\n    summary: Layers",
                      "    page: lessons/neurons.md\n    summary: Layers"),
                     ("term: Fall 2026", "term: Spring 2027"),
                     ("  primary: indigo", "  primary: teal"),
                     ("# repository:\n#   url: https://github.com/USER/REPO",
                      "repository:\n  url: https://github.com/someone/dl-course")):
        assert old in text, old
        text = text.replace(old, new)
    course.write_text(text, encoding="utf-8")
    done = build_site(root, tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    home = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    lesson = (tmp_path / "out/lessons/neurons/index.html").read_text(encoding="utf-8")
    assert "<title>Neural Nets & Vision</title>" in home
    assert "Spring 2027" in home and 'data-md-color-primary="teal"' in home
    assert 'href="https://github.com/someone/dl-course"' in lesson
    assert "github.com/someone/dl-course/edit/main/content/lessons/neurons.md" in lesson
    assert 'data-md-component="source"' not in lesson  # no call to GitHub's API at page load
    nav = home[home.index("md-nav--primary"):]
    assert nav.index('href="lessons/networks/"') < nav.index('href="lessons/neurons/"')


def test_bad_course_colour_is_named(repo_copy, tmp_path: Path) -> None:
    root = repo_copy()
    course = root / "site_config/course.yml"
    course.write_text(course.read_text().replace("primary: indigo", "primary: mauve"))
    done = build_site(root, tmp_path / "out")
    assert done.returncode != 0
    assert ("site_config/course.yml:19: colors.primary: 'mauve' is not one of Material's colour "
            "names") in done.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_an_engine_failure_leaves_the_last_good_site(repo_copy, tmp_path, engine) -> None:
    """A page the expand step accepts but the engine rejects (a link to a missing page, in
    strict mode): the engine's message, and the published site is untouched."""
    root = repo_copy()
    site = tmp_path / "out"
    assert build_site(root, site, engine=engine).returncode == 0
    before = _tree(site)
    page = root / "content/notation.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the missing page](missing.md).\n",
                    encoding="utf-8")
    done = build_site(root, site, engine=engine)
    assert done.returncode == 1
    assert f"error: {engine} build failed" in done.stderr and "is unchanged" in done.stderr
    assert _tree(site) == before
    assert not list((root / "build").glob("site.new-*"))  # no staging folder left behind

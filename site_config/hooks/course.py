"""The thin MkDocs hook: run the figure pipeline, then small text transforms on pages.

- ``on_config``: copy the course identity from ``site_config/course.yml`` into the config.
- ``on_pre_build``: run ``python -m generators`` (incremental; skipped when
  ``DLV_SKIP_GENERATORS=1``, which the build benchmark uses for its bare build).
- ``on_files``: add the pages made from instructors' notebooks, find which pages cite
  which works, and serve the math font that the ``ziamath`` package ships.
- ``on_page_markdown``: expand ``{{ figure }}``, ``{{ result }}``, ``{{ course }}``,
  ``{{ schedule }}`` (``refs.py``), citations (``citations.py``), and offer the
  lesson's notebook for download.
- ``on_page_content``: LaTeX to MathML (``mathml.py``).

Everything that computes lives in ``generators/``; nothing here trains or plots.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from citations import (READING_LIST_PAGE, CitationError, cited_keys, expand_citations,
                       load_references)
from course_config import (add_notebook_link, apply_course, load_course, schedule_table,
                           title_of)
from mathml import MathError, render_math
from refs import RefError, expand, split_code

ROOT = Path(__file__).resolve().parents[2]
JS_DIR = ROOT / "site_config" / "overrides" / "assets" / "js"
CSS_DIR = ROOT / "site_config" / "overrides" / "assets" / "css"  # explorers' styles
_state: dict[str, Any] = {}


def on_config(config: Any) -> Any:
    try:
        course = load_course(ROOT)
        _state["refs"] = load_references(ROOT)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    _state["course"] = course
    apply_course(config, course)
    # Explorer scripts: every assets/js/*.js of the theme overrides, the starter last.
    scripts = sorted(p.name for p in JS_DIR.glob("*.js") if p.name != "explorers.js")
    _state["explorers"] = [name.removesuffix(".js") for name in scripts]
    config.extra_javascript.extend(f"assets/js/{name}" for name in [*scripts, "explorers.js"])
    config.extra_css.extend(f"assets/css/{p.name}" for p in sorted(CSS_DIR.glob("*.css")))
    if not config.site_url:  # `mkdocs serve` sets its own; keep it
        config.site_url = os.environ.get("DLV_SITE_URL") or course.get("url")
    return config


def on_pre_build(config: Any) -> None:
    if os.environ.get("DLV_SKIP_GENERATORS") != "1":
        done = subprocess.run([sys.executable, "-m", "generators", "--root", str(ROOT)], cwd=ROOT)
        if done.returncode != 0:
            raise PluginError("the figure generators failed (see the messages above)")
    index_path = Path(config.docs_dir) / "generated" / "_index.json"
    if not index_path.is_file():
        raise PluginError(f"{index_path} is missing: run `make figures` (python -m generators)")
    _state["index"] = json.loads(index_path.read_text(encoding="utf-8"))


def on_files(files: Any, config: Any) -> Any:
    # Instructors' notebooks become pages: the pipeline executed and converted them.
    for src_uri, page in _state["index"].get("pages", {}).items():
        text = (Path(config.docs_dir) / "generated" / page["markdown"]).read_text(encoding="utf-8")
        files.append(File.generated(config, src_uri, content=text))
    # Which pages cite which works, for the reading list's backlinks (read up front,
    # since the reading list may be rendered before the lessons that cite).
    cited_by: dict[str, list[tuple[str, str]]] = {}
    for f in files.documentation_pages():
        if f.src_uri == READING_LIST_PAGE:
            continue
        text = f.content_string
        for key in cited_keys(text):
            cited_by.setdefault(key, []).append((f.src_uri, title_of(text, f.src_uri)))
    order = {entry["page"]: i for i, entry in enumerate(_state["course"]["schedule"])}
    for pages in cited_by.values():  # lessons in teaching order, then other pages
        pages.sort(key=lambda page: (order.get(page[0], len(order)), page[0]))
    _state["cited_by"] = cited_by

    import ziamath

    font = Path(ziamath.__file__).parent / "fonts" / "STIXTwoMath-Regular.ttf"
    files.append(File.generated(config, "assets/fonts/STIXTwoMath-Regular.ttf", abs_src_path=str(font)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    src, refs = page.file.src_uri, _state["refs"]
    try:
        markdown = expand(markdown, page.url, _state["index"], _state["course"],
                          lambda _url: schedule_table(ROOT, _state["course"], src),
                          _state["explorers"])
        markdown = expand_citations(markdown, src, refs, _state["cited_by"])
        markdown = add_notebook_link(markdown, src, _state["index"].get("notebooks", {}))
        leftover = [t for is_code, t in split_code(markdown) if not is_code and "{{" in t]
        if leftover:
            bad = leftover[0][leftover[0].index("{{"):][:40]
            raise RefError(f"unknown directive {bad!r}: use figure, result, explorer, course, "
                           "schedule, further_reading or reading_list")
        return markdown
    except (RefError, CitationError, ValueError) as exc:
        raise PluginError(f"page {src}: {exc}") from None


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    try:
        out = render_math(html)
    except MathError as exc:
        raise PluginError(f"page {page.file.src_uri}: {exc}") from None
    if 'class="arithmatex"' in out:
        raise PluginError(f"page {page.file.src_uri}: maths left unrendered (malformed $...$?)")
    return out

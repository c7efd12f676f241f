"""What ``site_config/course.yml`` may hold: its schema, and the checks a schema cannot make.

Every key the course reads is here (``course.py``'s engine settings, navigation and
schedule; ``{{ course KEY }}`` in pages; the theme's templates read only what
``engine_config`` passes on). ``course_errors`` returns every problem of the file at
once, one line each, naming the file, the line and the key path:

    site_config/course.yml:17: colors: expected a mapping with primary and accent, got 'teal'
    site_config/course.yml:40: schedule[0].page: content/lessons/neuron.md does not exist; did you mean ...?

A top-level key the course does not know is allowed when its value is text or a number:
it is the instructor's own fact for ``{{ course KEY }}`` (``office_hours: Tue 2-4 pm``).
One that looks like a misspelt known key (``colours``, ``titel``) or an MkDocs setting
(``site_url``, ``nav``) is an error with the key meant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generators.build.schema import Problem, key_path, problem, schema_errors
from generators.build.suggest import did_you_mean
from generators.build.yamlfile import Located
from generators.site.icons import icon_folders, icon_problem

# Material for MkDocs' named colours (its "primary" and "accent" palette settings).
COLORS = ("red", "pink", "purple", "deep purple", "indigo", "blue", "light blue", "cyan",
          "teal", "green", "light green", "lime", "yellow", "amber", "orange", "deep orange",
          "brown", "grey", "blue grey", "black", "white")
REQUIRED = ("title", "code", "term", "schedule")
HTTP = "^https?://[^\\s/]+"
TEXT = {"type": "string", "minLength": 1, "x-expected": "text"}
TEXT_OR_NUMBER = {"type": ["string", "number"], "x-expected": "text or a number"}
COLOR = {"enum": list(COLORS), "x-expected": "one of Material's colour names",
         "x-hint": "Material's colours include indigo, teal and deep orange "
                   "(content/instructors.md lists all 21)"}
PAGE = "a file under content/ (text)"
# MkDocs settings an instructor may write here by habit -> the course file's key.
MKDOCS_NAMES = {"site_name": "title", "site_description": "description", "site_url": "url",
                "site_author": "instructors", "repo_url": "repository", "repo_name": "repository",
                "edit_uri": "repository", "nav": "navigation", "theme": "colors", "palette": "colors",
                "copyright": "instructors"}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "x-expected": "a mapping of keys such as " + ", ".join(REQUIRED),
    "required": list(REQUIRED),
    "properties": {
        "title": {**TEXT, "x-expected": "text (the course's name)"},
        "code": TEXT_OR_NUMBER,
        "term": TEXT_OR_NUMBER,
        "description": TEXT,
        "url": {"type": "string", "pattern": HTTP,
                "x-expected": "an http(s) address such as https://USER.github.io/REPO/"},
        "instructors": {
            "type": "array", "x-expected": "a list of instructors, each with a name (and email)",
            "items": {"type": "object", "required": ["name"], "additionalProperties": False,
                      "x-expected": "a mapping with name (and email)",
                      "properties": {"name": TEXT, "email": TEXT}},
        },
        "colors": {"type": "object", "additionalProperties": False,
                   "x-expected": "a mapping with primary and accent",
                   "properties": {"primary": COLOR, "accent": COLOR}},
        "logo": {"type": "string", "minLength": 1,
                 "x-expected": "a Material icon such as material/brain, or an image file under content/"},
        "repository": {
            "type": "object", "required": ["url"], "additionalProperties": False,
            "x-expected": "a mapping with url (and branch, name)",
            "properties": {"url": {"type": "string", "pattern": HTTP,
                                   "x-expected": "an http(s) address such as https://github.com/USER/REPO"},
                           "branch": TEXT, "name": TEXT},
        },
        "navigation": {
            "type": "array", "x-expected": "a list of 'Title: page.md' entries and 'schedule'",
            "items": {"anyOf": [{"const": "schedule"},
                                {"type": "object", "minProperties": 1, "maxProperties": 1,
                                 "additionalProperties": {"type": "string"}}],
                      "x-expected": "'Title: page.md' or schedule"},
        },
        "schedule": {
            "type": "array", "x-expected": "a list of lessons, each with a page (and week, summary, section)",
            "items": {"type": "object", "required": ["page"], "additionalProperties": False,
                      "x-expected": "a mapping with page (and week, summary, section)",
                      "properties": {"page": {"type": "string", "minLength": 1, "x-expected": PAGE},
                                     "week": TEXT_OR_NUMBER, "summary": TEXT, "section": TEXT}},
        },
    },
    # The instructor's own facts for {{ course KEY }}.
    "additionalProperties": {"type": ["string", "number", "boolean"],
                             "x-expected": "text or a number (a key of your own, for {{ course KEY }})"},
}


def course_errors(root: Path, data: Any, located: Located, shown: str) -> list[str]:
    """Every problem of the course file: misspelt keys, the schema, files that do not exist."""
    known = SCHEMA["properties"]
    misspelt = []
    for key in data if isinstance(data, dict) else ():
        meant = MKDOCS_NAMES.get(str(key))
        near = (f"; did you mean {meant!r}? (this file is not mkdocs.yml)" if meant
                else did_you_mean(key, known) if key not in known else "")
        if near.startswith("; did you mean"):
            misspelt.append(problem(located, shown, [key], "unknown key" + near, key=True))
    for i, item in enumerate(data.get("navigation") or [] if isinstance(data, dict) else []):
        if isinstance(item, str) and item != "schedule":
            misspelt.append(problem(located, shown, ["navigation", i],
                                    f"expected 'Title: page.md' or schedule, got {item!r}"
                                    + did_you_mean(item, ["schedule"])))
    found = schema_errors(data, SCHEMA, located, shown, misspelt)
    if isinstance(data, dict):
        found += _file_problems(root, data, located, shown, {p.path for p in found})
    return [p.message for p in sorted(found, key=lambda p: p.line)]


def _file_problems(root: Path, data: dict[str, Any], located: Located, shown: str,
                   bad: set[str]) -> list[Problem]:
    """Pages and the logo the course file names that do not exist (where the schema passed)."""
    found = []
    pages = _pages(root)
    named = [(entry["page"], ["schedule", i, "page"])
             for i, entry in enumerate(data.get("schedule") or [])
             if isinstance(entry, dict) and isinstance(entry.get("page"), str)]
    named += [(page, ["navigation", i, title]) for i, item in enumerate(data.get("navigation") or [])
              if isinstance(item, dict) and len(item) == 1
              for title, page in item.items() if isinstance(page, str)
              and not page.startswith(("http://", "https://"))]
    for page, path in named:
        if page not in pages and key_path(path) not in bad:
            found.append(problem(located, shown, path, f"content/{page} does not exist" + did_you_mean(
                page, pages, hint="give a file under content/ (x.md for content/x.md or x.ipynb)")))
    logo = data.get("logo")
    if isinstance(logo, str) and "logo" not in bad:
        if logo.split("/")[0] in _icon_sets():
            text = icon_problem(logo)
        elif not (root / "content" / logo).is_file():
            text = (f"content/{logo} does not exist (give a file under content/, or a "
                    "Material icon such as material/brain)")
        else:
            text = None
        if text:
            found.append(problem(located, shown, ["logo"], text))
    return found


def _pages(root: Path) -> set[str]:
    """Every page a course-file entry may name: ``x.md`` for ``content/x.md``, and
    ``x.ipynb`` or ``x.md`` for a notebook ``content/x.ipynb``."""
    content = root / "content"
    found = set()
    for pattern in ("*.md", "*.ipynb"):
        for path in content.rglob(pattern):
            rel = path.relative_to(content).as_posix()
            if not rel.startswith("generated/") and "/." not in f"/{rel}":
                found.add(rel)
                if rel.endswith(".ipynb"):
                    found.add(rel.removesuffix(".ipynb") + ".md")
    return found


def _icon_sets() -> set[str]:
    """The icon families of the installed engines (material, fontawesome, ...), else material."""
    sets = {p.name for icons in icon_folders().values() for p in icons.iterdir() if p.is_dir()}
    return sets or {"material"}

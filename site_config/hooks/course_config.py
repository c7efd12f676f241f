"""The course file ``site_config/course.yml``: read, check, and render its schedule."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from generators.yamlfile import ConfigError, load_yaml

COURSE_FILE = Path("site_config") / "course.yml"
REQUIRED = ("title", "code", "term", "instructors", "schedule")


def load_course(root: Path) -> dict[str, Any]:
    """The course data; ``ConfigError`` naming the file (and line, or key) if malformed."""
    path = root / COURSE_FILE
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys such as {', '.join(REQUIRED)}")
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise ConfigError(f"{path}: missing key(s) {', '.join(missing)}")
    for i, person in enumerate(data["instructors"] or []):
        if not isinstance(person, dict) or "name" not in person:
            raise ConfigError(f"{path}: instructors[{i}] needs a 'name'")
    for i, entry in enumerate(data["schedule"] or []):
        if not isinstance(entry, dict) or "page" not in entry:
            raise ConfigError(f"{path}: schedule[{i}] needs a 'page' (a file under content/)")
        if not (root / "content" / entry["page"]).is_file():
            raise ConfigError(f"{path}: schedule[{i}].page: content/{entry['page']} does not exist")
    return data


def page_title(root: Path, page: str) -> str:
    """A page's first level-one heading (what MkDocs uses as its title)."""
    text = (root / "content" / page).read_text(encoding="utf-8")
    match = re.search(r"^# (.+)$", text, re.M)
    return match.group(1).strip() if match else Path(page).stem.replace("-", " ").capitalize()


def schedule_table(root: Path, course: dict[str, Any], src_uri: str) -> str:
    """The schedule as a Markdown table, with links relative to page ``src_uri``."""
    rows = ["| Week | Lesson | What you will learn |", "|---|---|---|"]
    here = posixpath.dirname(src_uri) or "."
    for entry in course["schedule"]:
        link = posixpath.relpath(entry["page"], here)
        title = page_title(root, entry["page"]).replace("|", "\\|")
        summary = str(entry.get("summary", "")).replace("|", "\\|")
        rows.append(f"| {entry.get('week', '')} | [{title}]({link}) | {summary} |")
    return "\n\n" + "\n".join(rows) + "\n\n"

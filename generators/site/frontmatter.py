"""Front matter: the YAML block between ``---`` lines at the top of a page, checked.

MkDocs, Material for MkDocs and Zensical read these keys of a page's front matter
(Material's and Zensical's "front matter" and "search" documentation, and the templates
of the installed Material):

    title, description, author, subtitle   text
    icon                                   an icon name such as material/brain
    status                                 new or deprecated
    template                               an HTML template (site_config/overrides/...)
    hide                                   a list of navigation, toc, footer, path, tags, feedback
    search                                 exclude: true/false, boost: a number
    tags                                   a list of texts

Engines ignore a front matter they cannot parse, or keys they do not know, silently;
here each is an error ``content/x.md:LINE: front matter: <key>: <problem>``, with
"did you mean" for a misspelt key or value.
"""

from __future__ import annotations

import re
from typing import Any

from generators.build.schema import problem, schema_errors
from generators.build.yamlfile import ConfigError, parse_located
from generators.site.icons import icon_problem

# The block MkDocs itself recognises (mkdocs.utils.meta.YAML_RE); Zensical reads the same.
FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
TEXT = {"type": "string", "minLength": 1, "x-expected": "text"}
HIDE = ("navigation", "toc", "footer", "path", "tags", "feedback")

SCHEMA: dict[str, Any] = {
    "type": "object",
    "x-expected": "a mapping of keys such as title, description, hide",
    "additionalProperties": False,
    "properties": {
        "title": TEXT, "description": TEXT, "author": TEXT, "subtitle": TEXT,
        "icon": {"type": "string", "minLength": 1, "x-expected": "an icon name such as material/brain"},
        "status": {"enum": ["new", "deprecated"], "x-expected": "a status the theme draws"},
        "template": {"type": "string", "pattern": "\\.html$",
                     "x-expected": "an HTML template name such as main.html"},
        "hide": {"type": "array", "x-expected": "a list such as [navigation, toc]",
                 "items": {"enum": list(HIDE),
                           "x-expected": "a part of the page the theme can hide"}},
        "search": {"type": "object", "additionalProperties": False,
                   "x-expected": "a mapping with exclude (true/false) or boost (a number)",
                   "properties": {"exclude": {"type": "boolean", "x-expected": "true or false"},
                                  "boost": {"type": "number", "x-expected": "a number such as 2"}}},
        "tags": {"type": "array", "x-expected": "a list of texts",
                 "items": {"type": ["string", "number"], "x-expected": "text"}},
    },
}


def front_matter_errors(markdown: str, shown: str) -> list[str]:
    """Every problem of page ``shown``'s front matter (none if it has none), one line each."""
    match = FRONT_MATTER_RE.match(markdown)
    if match is None:
        return []
    try:  # the block's first line is the page's second
        data, located = parse_located(match.group(1), shown, offset=1)
    except ConfigError as exc:
        return [_labelled(error, shown) for error in exc.errors]
    if data is None:
        return []
    found = []
    if isinstance(data, dict) and isinstance(data.get("icon"), str):
        text = icon_problem(data["icon"])
        if text:
            found.append(problem(located, shown, ["icon"], text))
    found = schema_errors(data, SCHEMA, located, shown, found)
    return [_labelled(p.message, shown) for p in found]


def _labelled(message: str, shown: str) -> str:
    """``content/x.md:3: hide: ...`` -> ``content/x.md:3: front matter: hide: ...``."""
    where, _, rest = message.partition(": ")
    return f"{where}: front matter: {rest}"

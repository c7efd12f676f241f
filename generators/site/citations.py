"""Citations: ``[@key]`` in lessons, "Further reading" per page, the reading list.

The works live in ``site_config/references.bib`` (parsed by pybtex, formatted by its
"plain" style, every field HTML-escaped). In Markdown, outside code:

    ... as Nielsen shows [@nielsen2015].        -> (Nielsen, 2015), linked to the reading list
    ... [@yosinski2015; @nguyen2016]            -> (Yosinski et al., 2015; Nguyen et al., 2016)
    ... [@nielsen2015, ch. 4]                   -> (Nielsen, 2015, ch. 4)
    {{ further_reading }}                       -> the works this page cites, with notes
    {{ reading_list }}                          -> every work, by topic, with backlinks

Pure text transforms; unknown keys raise ``CitationError`` naming the key.
"""

from __future__ import annotations

import html
import re
import hashlib
import json
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from generators.site.refs import RefError, closest, source_relative, split_code, sub_outside_code

REFERENCES_FILE = Path("site_config") / "references.bib"
READING_LIST_PAGE = "reading-list.md"
# [@key], [@key, ch. 4], [@key1; @key2, p. 7]: keys with optional locators, pandoc style.
_ONE = r"@[\w:.-]+(?:,[^;\[\]@]+)?"
CITE_RE = re.compile(rf"\[({_ONE}(?:\s*;\s*{_ONE})*)\]")
KEY_RE = re.compile(r"@([\w:.-]+)")
PART_RE = re.compile(r"@([\w:.-]+)(?:,([^;\[\]@]+))?")
DIRECTIVE_RE = re.compile(r"\{\{\s*(further_reading|reading_list)\s*\}\}")
TIERS = ("essential", "further")
REQUIRED = ("url", "topic", "tier", "annotation", "title", "year")


class CitationError(RefError):
    """An unknown citation key or a malformed reference entry; ``line`` as in ``RefError``.

    ``errors``: one message per problem found (each names the file and line).
    """

    def __init__(self, message: str, line: int | None = None, errors: list[str] | None = None) -> None:
        super().__init__(message, line)
        self.errors = errors or [message]


ENTRY_RE = re.compile(r"^[ \t]*@(\w+)[ \t]*[{(][ \t]*([^,\s]*)", re.M)


def entry_line(bibtex: str, key: str) -> int | str:
    """The line where entry ``key`` starts in ``bibtex`` ("?" if not found)."""
    for match in ENTRY_RE.finditer(bibtex):
        if match.group(2) == key:
            return bibtex.count("\n", 0, match.start()) + 1
    return "?"


def unbalanced_entry(bibtex: str, name: str) -> str | None:
    """A message naming the first entry whose braces do not balance, or None.

    Each entry runs from its ``@type{`` to the next one; a ``{`` that is never closed
    swallows the rest of the file, so pybtex can only say "premature end of file".
    """
    starts = [m for m in ENTRY_RE.finditer(bibtex) if m.group(1).lower() not in ("comment", "preamble")]
    for i, match in enumerate(starts):
        body = bibtex[match.start():starts[i + 1].start() if i + 1 < len(starts) else len(bibtex)]
        body = re.sub(r"\\[{}]", "", body)
        depth = body.count("{") - body.count("}")
        if depth:
            line = bibtex.count("\n", 0, match.start()) + 1
            what = f"{depth} unclosed '{{'" if depth > 0 else f"{-depth} '}}' too many"
            return (f"{name}:{line}: malformed BibTeX: entry {match.group(2) or match.group(1)!r} "
                    f"has unbalanced braces ({what} before the next entry)")
    return None


@dataclass(frozen=True)
class Reference:
    key: str
    short: str  # "Nielsen, 2015"
    html: str  # the full citation, formatted and escaped
    url: str
    topic: str
    tier: str
    annotation: str


def load_references(root: Path, cache: Path | None = None) -> dict[str, Reference]:
    """Every entry of ``references.bib``, in file order; errors name the file and entry.

    ``cache``: a JSON file keeping the formatted entries by the content of the
    bibliography, pybtex's version and this module, so an unchanged reading list is
    not formatted again (pybtex takes a quarter of a second for it).
    """
    path = root / REFERENCES_FILE
    key = hashlib.sha256(path.read_bytes() + metadata.version("pybtex").encode()
                         + Path(__file__).read_bytes()).hexdigest() if path.is_file() else None
    if cache is not None and key is not None:
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data["key"] == key:  # a list: the file's order is the reading list's
                return {r["key"]: Reference(**r) for r in data["references"]}
        except (OSError, ValueError, KeyError, TypeError):
            pass
    refs = _parse_references(path)
    if cache is not None and key is not None:
        from generators.build.cache import write_json

        write_json(cache, {"key": key, "references": [asdict(r) for r in refs.values()]})
    return refs


def _parse_references(path: Path) -> dict[str, Reference]:
    # Plugins passed as classes: pybtex's lookup by name scans every installed package's
    # entry points, once per entry (0.8 s for this reading list).
    from pybtex.backends.html import Backend as HTML
    from pybtex.database.input.bibtex import Parser
    from pybtex.scanner import PybtexSyntaxError
    from pybtex.style.formatting.plain import Style
    from pybtex.style.labels.number import LabelStyle
    from pybtex.style.names.plain import NameStyle
    from pybtex.style.sorting.none import SortingStyle

    name = REFERENCES_FILE.as_posix()
    text = path.read_bytes().decode("utf-8", errors="replace") if path.is_file() else ""
    try:
        db = Parser().parse_file(str(path))
    except PybtexSyntaxError as exc:
        # pybtex reports an unclosed brace at the end of the file: name the entry instead.
        raise CitationError(unbalanced_entry(text, name) or f"{name}:{exc.lineno}: malformed BibTeX: "
                            f"{str(exc).removeprefix(f'syntax error in line {exc.lineno}: ')}") from None
    except OSError as exc:
        raise CitationError(f"{name}: cannot read it ({exc.strerror})") from None
    except Exception as exc:  # pybtex reports duplicates and the like as plain errors
        raise CitationError(f"{name}: {exc}") from None
    errors = []
    for key, entry in db.entries.items():
        where = f"{name}:{entry_line(text, key)}: entry {key!r}"
        missing = [f for f in REQUIRED if f not in entry.fields]
        if missing:
            errors.append(f"{where} lacks field(s) {', '.join(missing)}")
        if "tier" in entry.fields and entry.fields["tier"] not in TIERS:
            errors.append(f"{where}: tier {entry.fields['tier']!r} must be one of {', '.join(TIERS)}")
    if errors:
        raise CitationError("\n".join(errors), errors=errors)
    style = Style(label_style=LabelStyle, name_style=NameStyle, sorting_style=SortingStyle)
    formatted = {e.key: e.text.render_as(HTML) for e in style.format_entries(db.entries.values())}
    refs = {}
    for key, entry in db.entries.items():
        authors = entry.persons.get("author", [])
        names = [" ".join(p.last_names) for p in authors]
        who = names[0] if len(names) == 1 else f"{names[0]} and {names[1]}" if len(names) == 2 \
            else f"{names[0]} et al."
        who = re.sub(r"[{}]", "", who) or key
        f = entry.fields
        refs[key] = Reference(key, f"{who}, {f['year']}", formatted[key], f["url"], f["topic"],
                              f["tier"], f["annotation"])
    return refs


def cited_keys(markdown: str) -> list[str]:
    """Citation keys in ``markdown`` (outside code), in order of first use."""
    keys: list[str] = []
    for is_code, text in split_code(markdown):
        if not is_code:
            for group in CITE_RE.findall(text):
                keys += [k for k in KEY_RE.findall(group) if k not in keys]
    return keys


def _md_text(text: str) -> str:
    """Escape text for use inside a Markdown link label (and as HTML)."""
    return re.sub(r"([\\\[\]*_`])", r"\\\1", html.escape(text, quote=False))


def expand_citations(markdown: str, page_src: str, refs: dict[str, Reference],
                     cited_by: dict[str, list[tuple[str, str]]]) -> str:
    """Expand ``[@key]`` citations, then ``{{ further_reading }}`` and ``{{ reading_list }}``."""
    keys = cited_keys(markdown)
    return expand_reading(cite(markdown, page_src, refs), page_src, refs, cited_by, keys)


def cite(markdown: str, page_src: str, refs: dict[str, Reference],
         errors: list[RefError] | None = None) -> str:
    """Each ``[@key]`` as a link to the reading list; adds no line, so errors keep theirs.

    ``errors``: collect every unknown key there instead of raising the first.
    """

    def replace(match: re.Match[str]) -> str:
        parts = []
        for key, locator in PART_RE.findall(match.group(1)):
            if key not in refs:
                raise CitationError(f"unknown citation key {key!r} (not in {REFERENCES_FILE})"
                                    + closest(key, refs, "keys", f"see {REFERENCES_FILE}"))
            target = f"{source_relative(READING_LIST_PAGE, page_src)}#ref-{key}"
            label = refs[key].short + (f", {locator.strip()}" if locator.strip() else "")
            parts.append(f"[{_md_text(label)}]({target}){{ .dlv-cite }}")
        return "(" + "; ".join(parts) + ")"

    return sub_outside_code(CITE_RE, replace, markdown, errors)


def expand_reading(markdown: str, page_src: str, refs: dict[str, Reference],
                   cited_by: dict[str, list[tuple[str, str]]], keys: list[str],
                   errors: list[RefError] | None = None) -> str:
    """``{{ further_reading }}`` (the works in ``keys``) and ``{{ reading_list }}``.

    Keys not in ``refs`` are left out (``cite`` reports them).
    """

    def directive(match: re.Match[str]) -> str:
        if match.group(1) == "further_reading":
            known = [k for k in keys if k in refs]  # an unknown key: cite() reported it
            return further_reading(known, refs) if known or not keys else ""
        return reading_list(refs, cited_by, page_src)

    return sub_outside_code(DIRECTIVE_RE, directive, markdown, errors)


def further_reading(keys: list[str], refs: dict[str, Reference]) -> str:
    """The works a page cites, as an HTML list: citation, then why to read it."""
    if not keys:
        raise CitationError("{{ further_reading }} on a page that cites nothing")
    items = [f'<li><span class="dlv-ref">{refs[k].html}</span> <span class="dlv-ref-note">'
             f"{html.escape(refs[k].annotation)}</span></li>" for k in keys]
    return '\n\n<ul class="dlv-further-reading">\n' + "\n".join(items) + "\n</ul>\n\n"


def reading_list(refs: dict[str, Reference], cited_by: dict[str, list[tuple[str, str]]],
                 page_src: str) -> str:
    """Every work by topic (file order), tiers marked, with links to the pages citing it."""
    out = []
    for topic in dict.fromkeys(r.topic for r in refs.values()):
        out.append(f"\n## {_md_text(topic)}\n")
        for ref in (r for r in refs.values() if r.topic == topic):
            back = ", ".join(f"[{_md_text(title)}]({source_relative(src, page_src)})"
                             for src, title in cited_by.get(ref.key, []))
            out.append(
                f'<div class="dlv-reading" id="ref-{html.escape(ref.key)}" markdown="1">\n'
                f'<p><span class="dlv-tier dlv-tier-{ref.tier}">{ref.tier}</span> '
                f'<span class="dlv-ref">{ref.html}</span></p>\n\n'
                f"{_md_text(ref.annotation)} [Read it]({ref.url}).\n\n"
                + (f"Cited in: {back}.\n\n" if back else "")
                + "</div>\n")
    return "\n".join(out) + "\n"

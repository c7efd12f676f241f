"""``make describe [ID=...]`` and ``make list-figures``: what each generator makes and takes.

``describe(root, id)`` shows, for every figure generator (or the one named: a generator
id, or the id of one of its figures, results or exports), its module, what it does
(its docstring's first line), its parameters (default, type, range or choices, meaning,
and the value ``site_config/figures.yml`` gives it), its figures, results and exports,
its time limit, and the pages that use them. ``listing(root)`` is one line per generator.
Plain text for an 80-column terminal. Unlike the build, this imports every generator.
"""

from __future__ import annotations

import importlib
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generators.build.jobs import discover
from generators.build.overrides import load_overrides
from generators.build.suggest import did_you_mean
from generators.build.yamlfile import ConfigError
from generators.figure import PLURALS, TYPE_NAMES, Generator, Param

WIDTH = 80
NBSP = "\u00a0"  # keeps "figure x" on one line when wrapping


@dataclass
class Entry:
    """One generator as ``describe`` shows it."""

    id: str
    path: str
    summary: str
    gen: Generator | None
    error: str = ""  # why the module could not be imported
    uses: dict[str, list[str]] = field(default_factory=dict)  # page -> what it uses

    def names(self) -> dict[str, str]:
        """Every figure, result and export id this generator publishes -> its kind."""
        lesson = self.id.split("/")[0]
        if self.gen is None:
            return {}
        return {**{f"{lesson}/{f.name}": "figure" for f in self.gen.figures},
                **{f"{lesson}/{r}": "result" for r in self.gen.results},
                **{f"{lesson}/{e.name}": "export" for e in self.gen.exports}}


def entries(root: Path) -> list[Entry]:
    """Every figure generator, imported, with the pages that use what it makes."""
    found = []
    for job in discover(root).values():
        if job.kind != "figures":
            continue
        path = job.entries[0].relative_to(root).as_posix()
        try:
            module = importlib.import_module(job.target)
            gen = getattr(module, "GENERATOR", None)
            doc = (module.__doc__ or "").strip()
            entry = Entry(job.id, path, doc.split("\n\n")[0].replace("\n", " "), gen
                          if isinstance(gen, Generator) else None)
            if entry.gen is None:
                entry.error = "its GENERATOR is not a generators.figure.Generator"
        except Exception as exc:  # describe the others; say why this one cannot be
            entry = Entry(job.id, path, "", None, f"cannot be imported: {type(exc).__name__}: {exc}")
        found.append(entry)
    uses = page_uses(root)
    for entry in found:
        for name, kind in entry.names().items():
            for page, used in uses.get(name, {}).items():
                entry.uses.setdefault(page, []).extend(f"{kind} {name.split('/', 1)[1]}" for _ in used)
    return found


def page_uses(root: Path) -> dict[str, dict[str, list[int]]]:
    """Figure, result or export id -> page -> lines that use it (``{{ figure ... }}`` etc.)."""
    from generators.site.refs import REF_RE, split_code

    uses: dict[str, dict[str, list[int]]] = {}
    content = root / "content"
    for path in sorted(content.rglob("*.md")):
        rel = path.relative_to(content).as_posix()
        if rel.startswith("generated/"):
            continue
        text, line = path.read_text(encoding="utf-8", errors="replace"), 1
        for is_code, chunk in split_code(text):
            if not is_code:
                for match in REF_RE.finditer(chunk):
                    words = match.group(2).split()
                    kind = match.group(1)
                    name = words[1] if kind == "explorer" and len(words) > 1 else words[0] if words else ""
                    if kind in ("figure", "result", "explorer") and name:
                        at = line + chunk.count("\n", 0, match.start())
                        uses.setdefault(name, {}).setdefault(f"content/{rel}", []).append(at)
            line += chunk.count("\n")
    return uses


def describe(root: Path, wanted: str | None = None) -> str:
    """The description of every generator, or of the one ``wanted`` names."""
    root = root.resolve()
    found = entries(root)
    try:
        overrides = load_overrides(root)
        note = ""
    except ConfigError as exc:
        overrides, note = {}, f"(site_config/figures.yml is not read: {exc.errors[0]})\n\n"
    if wanted:
        by_name = {name: e for e in found for name in [e.id, *e.names()]}
        if wanted not in by_name:
            raise ConfigError(f"unknown generator {wanted!r}" + did_you_mean(
                wanted, by_name, hint="`make list-figures` lists the generators"))
        entry = by_name[wanted]
        if wanted != entry.id:
            note += f"{wanted} is {'an' if entry.names()[wanted] == 'export' else 'a'} " \
                    f"{entry.names()[wanted]} of generator {entry.id}:\n\n"
        found = [entry]
    return note + "\n\n".join(_describe(e, overrides.get(e.id, {})) for e in found) + "\n"


def listing(root: Path) -> str:
    """Two lines per generator: its id and what it makes, then its summary."""
    root = root.resolve()
    lines = []
    for e in entries(root):
        if e.gen is None:
            lines += [e.id, _clip(f"    {e.error}", WIDTH)]
            continue
        made = ", ".join(f"{n} {what}{'s' if n != 1 else ''}" for n, what in (
            (len(e.gen.figures), "figure"), (len(e.gen.results), "result"),
            (len(e.gen.exports), "export")) if n)
        lines += [f"{e.id:<30} {made}" + ("" if e.uses else "; used on no page"),
                  _clip(f"    {e.summary}", WIDTH)]
    return "\n".join(lines) + "\n\n`make describe ID=<id>` shows a generator's parameters and pages.\n"


def _describe(e: Entry, overridden: dict[str, Any]) -> str:
    out = [e.id, "=" * len(e.id)]
    out += textwrap.wrap(e.summary or e.error, WIDTH)
    out.append(f"module:     {e.path}")
    if e.gen is None:
        return "\n".join(out)
    lesson = e.id.split("/")[0]
    if e.gen.timeout is not None:
        out.append(f"time limit: {e.gen.timeout:g} s")
    if not e.gen.notebook:
        out.append("notebook:   left out of the lesson's notebook")
    out.append("parameters: (set them in site_config/figures.yml under this id)"
               if e.gen.param_specs else "parameters: none")
    for name, spec in e.gen.param_specs.items():
        shown = _value(spec.default)
        if name in overridden:
            shown = f"{_value(overridden[name])} (figures.yml; default {shown})"
        line = f"  {name} = {shown}  ({_kind(spec)})"
        out += [line] if len(line) <= WIDTH else [_clip(f"  {name} = {shown}", WIDTH),
                                                   _clip(f"      ({_kind(spec)})", WIDTH)]
        if spec.help:
            out += textwrap.wrap(spec.help, WIDTH, initial_indent="      ", subsequent_indent="      ")
    for label, names in (("figures", [f.name for f in e.gen.figures]), ("results", list(e.gen.results)),
                         ("exports", [x.name for x in e.gen.exports])):
        if names:
            out += textwrap.wrap(", ".join(f"{lesson}/{n}" for n in names), WIDTH,
                                 initial_indent=f"{label + ':':<12}", subsequent_indent=" " * 12)
    if e.uses:
        out.append("used on:")
        for page, used in sorted(e.uses.items()):
            counted = sorted({u: used.count(u) for u in used}.items())
            text = ", ".join(u.replace(" ", NBSP) + (f" (x{n})" if n > 1 else "") for u, n in counted)
            out += [w.replace(NBSP, " ") for w in textwrap.wrap(
                text, WIDTH, initial_indent=f"  {page}: ", subsequent_indent="      ")]
    else:
        out.append("used on:    no page")
    return "\n".join(out)


def _kind(spec: Param) -> str:
    """"whole number, >= 1" / "text, one of 'a', 'b'" / "list of numbers"."""
    d = spec.default
    kind = (f"list of {PLURALS.get(type(d[0]), 'values')}" if isinstance(d, tuple) and d
            else TYPE_NAMES.get(type(d), type(d).__name__).removeprefix("a "))
    if spec.choices is not None:
        kind += ", one of " + ", ".join(_value(c) for c in spec.choices)
    if spec.min is not None and spec.max is not None:
        kind += f", from {spec.min:g} to {spec.max:g}"
    elif spec.min is not None:
        kind += f", >= {spec.min:g}"
    elif spec.max is not None:
        kind += f", <= {spec.max:g}"
    return kind


def _value(value: Any) -> str:
    """A value as it would be written in figures.yml."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 3] + "..."

"""Explorer-size benchmark: what each in-page explorer adds to its page's download.

    make bench-explorers     (python -m benchmarks.bench_explorers [--site DIR] [--markdown])

Builds nothing: it reads the site already in ``site/`` (or ``--site``). For every explorer
element on every page (``<div class="dlv-explorer" data-src=... data-scripts=...
data-styles=...>``, written by the expand step) it sums the files the page's loader
fetches for it: its scripts (the course's libraries first), its stylesheet and its data,
each raw and gzipped (level 6, what a web server typically sends). Prints one row per
explorer, largest file first within its row's breakdown. These are the files an explorer
adds; the theme, fonts and figures every page loads are measured by ``make bench-weight``.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

from benchmarks.bench_weight import kb, pages_of


@dataclass(frozen=True)
class ExplorerFiles:
    """One explorer on one page: its kind and its files as site-relative paths."""

    page: str
    kind: str
    files: tuple[str, ...]


class _Explorers(HTMLParser):
    """Collects the explorer elements of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "dlv-explorer" in a.get("class", "").split() and "data-explorer" in a:
            self.found.append(a)


def explorers_of(site: Path, page: str) -> list[ExplorerFiles]:
    """The explorers on ``page`` (a URL relative to the site root, "" for the home page)."""
    parser = _Explorers()
    parser.feed((site / page / "index.html").read_text(encoding="utf-8"))
    base = "http://site/" + page
    out = []
    for a in parser.found:
        urls = [*a.get("data-scripts", "").split(), *a.get("data-styles", "").split(), a["data-src"]]
        files = tuple(urlparse(urljoin(base, u)).path.lstrip("/") for u in urls if u)
        out.append(ExplorerFiles(page, a["data-explorer"], files))
    return out


def sizes(site: Path, path: str) -> tuple[int, int]:
    """(raw, gzipped) bytes of the site file ``path``; ``FileNotFoundError`` names it."""
    file = site / path
    if not file.is_file():
        raise FileNotFoundError(f"{file}: an explorer loads it, but the site has no such file")
    raw = file.read_bytes()
    return len(raw), len(gzip.compress(raw, compresslevel=6, mtime=0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site/)")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table, in KB")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: {args.site}/ holds no built site: run `make` first", file=sys.stderr)
        return 1
    rows = []
    for page in pages_of(args.site):
        for ex in explorers_of(args.site, page):
            each = {f: sizes(args.site, f) for f in ex.files}
            raw, gz = sum(r for r, _ in each.values()), sum(g for _, g in each.values())
            parts = ", ".join(f"{Path(f).name} {kb(g)}" for f, (_, g) in
                              sorted(each.items(), key=lambda item: -item[1][1]))
            rows.append((ex.kind, page, raw, gz, parts))
    if args.markdown:
        print("| explorer | page | raw KB | gzipped KB | gzipped KB per file |")
        print("|---|---|---:|---:|---|")
        for kind, page, raw, gz, parts in rows:
            print(f"| {kind} | /{page} | {kb(raw)} | {kb(gz)} | {parts} |")
    else:
        print(f"{args.site}: the files each explorer loads (scripts, stylesheet, data), in KB")
        print(f"{'explorer':14s}{'page':36s}{'raw':>9s}{'gzipped':>9s}  gzipped per file")
        for kind, page, raw, gz, parts in rows:
            print(f"{kind:14s}{'/' + page:36s}{kb(raw):>9s}{kb(gz):>9s}  {parts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

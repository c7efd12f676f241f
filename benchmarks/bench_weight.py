"""Page-weight benchmark: what each page of the built site downloads, by kind of file.

    make bench-weight        (python -m benchmarks.bench_weight [--site DIR] [--markdown])

Builds nothing: it measures the site already in ``site/`` (or ``--site``, e.g. a site
built from an older commit, to compare). Every page is loaded once into an empty cache
in headless Chromium at phone size (390 x 844) from a plain static server (no
compression, so a body's size is its file's size), and every response body received
until the page's explorers have started and the network is idle is counted
(``tools/page_weight.py``): the theme's files, the maths font, the search index when the
page fetches it, explorer scripts and data, and the figure images the first screen shows
(the rest are lazy and load as the reader scrolls). Prints one row per page, in bytes:
HTML, CSS, JS, fonts, data (JSON), figures, other (favicon, sitemap, other images),
total, the theme's share, and the total without figures (what the budget counts:
350 KB for a lesson page, 1 MB for the playground with its first problem's data).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.page_weight import PageWeight, measure

COLUMNS = ("html", "css", "js", "fonts", "data", "figures", "other")


def pages_of(site: Path) -> list[str]:
    """Every page of ``site`` (URLs relative to its root), the 404 page left out."""
    return sorted(("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/")
                  for p in site.rglob("index.html"))


def row(weight: PageWeight) -> list[int]:
    kinds = weight.by_kind()
    kinds["other"] += kinds.pop("images")
    return [kinds[c] for c in COLUMNS] + [weight.total, weight.theme, weight.weight(figures=False)]


def kb(n: int) -> str:
    return f"{n / 1000:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site/)")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table, in KB")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: {args.site}/ holds no built site: run `make` first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    from tools.screenshots import CHROMIUM_ARGS, chromium_path
    from tools.serve_static import serve

    exe = chromium_path()
    if exe is None:
        print("error: no Chromium found; install Debian's package: apt-get install chromium", file=sys.stderr)
        return 1
    header = ["page", *COLUMNS, "total", "theme", "w/o figures"]
    rows = []
    with serve(args.site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        for page in pages_of(args.site):
            rows.append([page or "(home)", *row(measure(browser, base, page))])
        browser.close()
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|---" + "|---:" * (len(header) - 1) + "|")
        for r in rows:
            print("| " + " | ".join([r[0], *(kb(n) for n in r[1:])]) + " |")
    else:
        print(f"{args.site}: bytes per page, loaded into an empty cache at 390 x 844, uncompressed")
        print(f"{header[0]:40s}" + "".join(f"{h:>12s}" for h in header[1:]))
        for r in rows:
            print(f"{r[0]:40s}" + "".join(f"{n:>12,}" for n in r[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

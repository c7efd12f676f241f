"""Screenshot built pages in light and dark theme, at desktop and phone width.

    python -m tools.screenshots [PAGE ...]      e.g. lessons/neurons/ (default: every page)

Writes ``screenshots/<page>--<theme>-<viewport>.png`` (gitignored) from the built
``site/`` served on localhost, in Debian's Chromium, with every non-local request
blocked. Look at them: overlapping labels or unreadable text are bugs.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

from tools.serve_static import serve

VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """The system Chromium (Debian package ``chromium``), never a downloaded browser."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def block_outside(route) -> None:
    """Playwright route handler: allow localhost, abort everything else."""
    url = route.request.url
    if re.match(r"^(https?://(127\.0\.0\.1|localhost)(:\d+)?/|data:|blob:)", url):
        route.continue_()
    else:
        route.abort()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", help="page URLs relative to the site root")
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--full-page", action="store_true", help="capture the whole page")
    args = parser.parse_args(argv)
    exe = chromium_path()
    if exe is None:
        print("error: no Chromium found; install Debian's package: apt-get install chromium")
        return 1
    pages = args.pages or sorted(
        str(p.parent.relative_to(args.site)) + "/" for p in args.site.rglob("index.html"))
    pages = ["" if p in (".", "./", "/") else p.strip("/") + "/" for p in pages]
    from playwright.sync_api import sync_playwright

    args.out.mkdir(exist_ok=True)
    with serve(args.site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        for scheme, theme in (("light", "default"), ("dark", "slate")):
            for vp_name, (w, h) in VIEWPORTS.items():
                ctx = browser.new_context(viewport={"width": w, "height": h},
                                          color_scheme=scheme, device_scale_factor=1)
                ctx.route("**/*", block_outside)
                page = ctx.new_page()
                for url in pages:
                    page.goto(base + url, wait_until="networkidle")
                    page.evaluate("document.querySelectorAll('img[loading=lazy]')"
                                  ".forEach(img => { img.loading = 'eager'; })")
                    page.wait_for_function("[...document.images].every(i => i.complete)")
                    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == theme
                    name = (url.strip("/").replace("/", "_") or "home")
                    path = args.out / f"{name}--{scheme}-{vp_name}.png"
                    page.screenshot(path=str(path), full_page=args.full_page)
                    print(path)
                ctx.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

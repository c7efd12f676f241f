"""``python -m generators.site``: expand the course into plain Markdown, and build or serve it.

Usage:
    python -m generators.site expand                  build/docs/ and build/engine.yml
    python -m generators.site build [--engine E]      figures, expand, render, publish site/
    python -m generators.site serve [--engine E]      live preview that rebuilds what changed

E is mkdocs (the default) or zensical. Exit status: 0 all good, 1 a generator or the
engine failed, 2 a configuration or page error (named with its file and line).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from generators.site.engine import ENGINES, EngineError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generators.site",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("expand", "build", "serve"))
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root (default: .)")
    parser.add_argument("--engine", choices=ENGINES, default=os.environ.get("ENGINE") or "mkdocs")
    parser.add_argument("--site-dir", type=Path, default=None, help="where to publish (default: site/)")
    parser.add_argument("--site-url", default=os.environ.get("DLV_SITE_URL") or None,
                        help="the address the site is built for (default: course.yml's url)")
    parser.add_argument("--no-figures", action="store_true", help="skip the figure generators")
    parser.add_argument("--dev-addr", default="127.0.0.1:8000", help="serve: host:port")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    echo = (lambda line: None) if args.quiet else print

    if args.command == "serve":
        from generators.site.serve import serve

        return serve(root, args.engine, args.dev_addr)
    if args.command == "build" and not args.no_figures:
        from generators.build.pipeline import run
        from generators.build.progress import say
        from generators.build.runner import Interrupted
        from generators.build.yamlfile import ConfigError

        try:  # say: each line flushed at once (a CI log shows jobs as they finish)
            summary = run(root, echo=echo if args.quiet else say)
        except ConfigError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except Interrupted as exc:  # Ctrl-C: one line, nothing left running
            print(exc, file=sys.stderr)
            return exc.status
        if not summary.ok:
            if args.quiet:  # otherwise the pipeline has printed them
                for message in summary.failed.values():
                    print(f"error: {message}", file=sys.stderr)
            print("figures failed: build/docs/ and the site are unchanged", file=sys.stderr)
            return 1
    from generators.site import engine
    from generators.site.expand import main as expand

    with engine.locked(root):
        status = expand(root, args.site_url, echo=lambda line: print(line, file=sys.stderr) if line.startswith(
            ("error", "warning")) or "error(s)" in line else echo(line))
        if status or args.command == "expand":
            return status
        start = time.perf_counter()
        try:
            engine.build(root, args.engine, args.site_dir or root / "site", quiet=args.quiet)
        except EngineError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    echo(f"site: rendered with {args.engine} into {args.site_dir or 'site'}/ "
         f"in {time.perf_counter() - start:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

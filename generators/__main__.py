"""``python -m generators``: bring every figure and result up to date.

Usage: python -m generators [--jobs N] [--force [ID ...]] [--timeout S] [--memory MB]
                            [--list] [--describe [ID]]
Exit status: 0 all good, 1 a generator failed (or timed out), 2 a configuration error,
130 (143) stopped by Ctrl-C (SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generators.build.pipeline import run
from generators.build.runner import Interrupted
from generators.build.yamlfile import ConfigError


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generators", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root (default: .)")
    parser.add_argument("-j", "--jobs", type=int, default=int(os.environ.get("DLV_JOBS", "0")) or None,
                        help="worker processes (default: $DLV_JOBS or the CPU count)")
    parser.add_argument("--force", nargs="*", metavar="ID",
                        help="rerun these generators (all if none given) even if cached")
    parser.add_argument("--timeout", type=_positive, default=None, metavar="SECONDS",
                        help="time limit of a job whose generator declares none "
                             "(default: $DLV_TIMEOUT or 1800)")
    parser.add_argument("--memory", type=_positive, default=None, metavar="MB",
                        help="memory limit of each job (default: $DLV_MEMORY or none)")
    parser.add_argument("--list", action="store_true", help="list the generators and exit")
    parser.add_argument("--describe", nargs="?", const="", metavar="ID",
                        help="show every generator's (or ID's) parameters, outputs and pages, and exit")
    args = parser.parse_args(argv)
    if args.list or args.describe is not None:
        from generators.build.describe import describe, listing

        try:
            print(listing(args.root) if args.list else describe(args.root, args.describe), end="")
            sys.stdout.flush()
        except BrokenPipeError:  # `make describe | head`: the reader has seen enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except ConfigError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return 0
    try:
        summary = run(args.root, jobs=args.jobs, force=args.force, timeout=args.timeout,
                      memory_mb=args.memory and int(args.memory))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Interrupted as exc:
        print(exc, file=sys.stderr)
        return exc.status
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""``python -m tools.deploy_check [--force]``: may this checkout be published? (``make deploy``)

Refuses, with the reason, when

- course.yml's ``url`` is still a local address (``http://127.0.0.1:8000/``): the site
  would be built for an address no reader can reach, and its instant navigation breaks;
- the git tree has uncommitted changes (tracked or new files): the published site would
  come from sources no commit holds. ``--force`` (``make deploy FORCE=1``) publishes anyway.

It pushes nothing and builds nothing; ``make deploy`` builds after it, and pushes only
a build that succeeded.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from generators.build.yamlfile import ConfigError, load_yaml
from generators.site.course import COURSE_FILE

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")
SHOWN = 5  # changed files named in the message


def problems(root: Path, force: bool = False) -> list[str]:
    """Why ``root`` must not be published now (empty: it may be)."""
    found = []
    try:
        course = load_yaml(root / COURSE_FILE)
    except ConfigError as exc:
        return [str(exc)]
    url = course.get("url") if isinstance(course, dict) else None
    if not url or urlsplit(str(url)).hostname in LOCAL_HOSTS:
        found.append(f"{_where(root)}: url is {'missing' if not url else f'still the local address {url}'}: "
                     "set it to the address the site is published at, such as "
                     "https://USER.github.io/REPO/ (GitHub Pages), and commit it")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=normal"],
                            cwd=root, capture_output=True, text=True)
    if status.returncode != 0:
        found.append(f"{root} is not a git checkout ({status.stderr.strip()}); "
                     "`make deploy` pushes to its gh-pages branch")
    elif status.stdout.strip() and not force:
        changed = [line[3:] for line in status.stdout.splitlines()]
        more = f" and {len(changed) - SHOWN} more" if len(changed) > SHOWN else ""
        found.append(f"uncommitted changes ({', '.join(changed[:SHOWN])}{more}): commit them so "
                     "the published site matches a commit, or publish anyway with "
                     "`make deploy FORCE=1`")
    return found


def _where(root: Path) -> str:
    """``site_config/course.yml:LINE`` of its ``url`` key."""
    for number, line in enumerate((root / COURSE_FILE).read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("url:"):
            return f"{COURSE_FILE.as_posix()}:{number}"
    return COURSE_FILE.as_posix()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.deploy_check",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--force", action="store_true", help="publish uncommitted changes too")
    args = parser.parse_args(argv)
    found = problems(args.root.resolve(), args.force)
    for reason in found:
        print(f"error: not deploying: {reason}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

"""Publishing: a failed build never loses the published site; preview and deploy behave
as GitHub Pages does and refuse what would publish something wrong."""

from __future__ import annotations

import hashlib
import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sitekit import ENGINES, REPO, build_site
from tools.deploy_check import problems
from tools.serve_static import preview_address, serve


def tree_hash(folder: Path) -> str:
    """One hash of every file's path and bytes under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _edit(root: Path, rel: str, old: bytes, new: bytes) -> bytes:
    """Replace ``old`` by ``new`` once in ``rel``; return the file's bytes before."""
    before = (root / rel).read_bytes()
    assert old in before, f"test is stale: {old!r} not in {rel}"
    (root / rel).write_bytes(before.replace(old, new, 1))
    return before


# (file, old, new, what the error must say). Each is a mistake the expand step must catch
# before the engine runs: none may touch the published site.
BAD_INPUTS = {
    "logo-icon": ("site_config/course.yml", b"logo: material/brain", b"logo: material/brian",
                  "site_config/course.yml:{line}: logo: Material for MkDocs has no icon 'material/brian'"),
    "url": ("site_config/course.yml", b"url: http://127.0.0.1:8000/", b"url: not a url",
            "site_config/course.yml:{line}: url: expected an http(s) address such as "
            "https://USER.github.io/REPO/, got 'not a url'"),
    "non-utf8": ("content/lessons/neurons.md", b"# ", "# Caf\xe9 ".encode("latin-1"),
                 "content/lessons/neurons.md:{line}: not UTF-8 text"),
    "unknown-citation": ("content/lessons/neurons.md", b"[@ufldl]", b"[@ufldll]",
                         "content/lessons/neurons.md:{line}: unknown citation key 'ufldll'"),
    "unclosed-bibtex": ("site_config/references.bib", b"  title      = {Neural Networks and Deep Learning},",
                        b"  title      = {Neural Networks and Deep Learning,",
                        "site_config/references.bib:{entry}: malformed BibTeX: entry 'nielsen2015' "
                        "has unbalanced braces"),
}


def _expected(root: Path, rel: str, old: bytes, message: str) -> str:
    text = (root / rel).read_bytes()
    line = text[:text.index(old)].count(b"\n") + 1
    entry = text[:text.index(b"@book{nielsen2015")].count(b"\n") + 1 if rel.endswith(".bib") else 0
    return message.format(line=line, entry=entry)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_no_page_error_loses_the_published_site(repo_copy, tmp_path: Path, engine: str) -> None:
    root = repo_copy()
    site = tmp_path / "site"
    assert build_site(root, site, engine=engine).returncode == 0
    published = tree_hash(site)
    for name, (rel, old, new, message) in BAD_INPUTS.items():
        expected = _expected(root, rel, old, message)
        before = _edit(root, rel, old, new)
        done = build_site(root, site, engine=engine)
        (root / rel).write_bytes(before)
        assert done.returncode == 2, f"{name}: {done.stdout}{done.stderr}"
        assert expected in done.stderr, f"{name}: {done.stderr}"
        assert "Traceback" not in done.stdout + done.stderr, name
        assert tree_hash(site) == published, f"{name}: the published site changed"
    assert not list((root / "build").glob("site.new-*"))

    # $$...$$ inside a paragraph, as notebooks write it: display maths, no stray $.
    _edit(root, "content/notation.md", b"\n## ", b"\nA sum $$\\sum_i x_i$$ inside a sentence.\n\n## ")
    done = build_site(root, site, engine=engine)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (site / "notation/index.html").read_text(encoding="utf-8")
    paragraph = page[page.index("A sum"):page.index("inside a sentence")]
    assert 'class="dlv-math dlv-math-block"' in paragraph and "$" not in paragraph


def _get(url: str) -> tuple[int, str | None, bytes]:
    """(status, Location, body) without following redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object) -> None:
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=30) as response:
            return response.status, response.headers.get("Location"), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location"), exc.read()


def test_preview_serves_at_the_course_path_and_404s_with_the_sites_page(tmp_path: Path) -> None:
    (tmp_path / "lessons/neurons").mkdir(parents=True)
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "lessons/neurons/index.html").write_text("neurons")
    (tmp_path / "404.html").write_text("our own not-found page")
    port, base = preview_address("https://someone.github.io/dlv/")
    assert (port, base) == (8000, "/dlv/")
    with serve(tmp_path, 0, base) as address:
        root = address.removesuffix("dlv/")
        assert address.endswith("/dlv/")
        assert _get(address) == (200, None, b"home")
        assert _get(address + "lessons/neurons/") == (200, None, b"neurons")
        assert _get(address + "lessons/nope/") == (404, None, b"our own not-found page")
        assert _get(root)[:2] == (302, "/dlv/")
        assert _get(root + "lessons/neurons/")[0] == 404  # not under the course's path
    assert preview_address("http://127.0.0.1:8123/") == (8123, "/")
    assert preview_address(None) == (8000, "/")


def _git_repo(tmp_path: Path, url: str) -> Path:
    root = tmp_path / "course"
    (root / "site_config").mkdir(parents=True)
    (root / "site_config/course.yml").write_text(f"title: T\n# the address\nurl: {url}\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "start"]):
        subprocess.run(cmd, cwd=root, check=True, env=env, capture_output=True)
    return root


def test_deploy_refuses_a_local_url_and_uncommitted_changes(tmp_path: Path) -> None:
    root = _git_repo(tmp_path, "http://127.0.0.1:8000/")
    assert problems(root) == ["site_config/course.yml:3: url is still the local address "
                              "http://127.0.0.1:8000/: set it to the address the site is published "
                              "at, such as https://USER.github.io/REPO/ (GitHub Pages), and commit it"]
    (root / "site_config/course.yml").write_text("title: T\nurl: https://someone.github.io/dlv/\n")
    (root / "notes.md").write_text("new")
    found = problems(root)
    assert len(found) == 1 and found[0].startswith("uncommitted changes (site_config/course.yml, notes.md)")
    assert "make deploy FORCE=1" in found[0]
    assert problems(root, force=True) == []


def test_make_deploy_stops_at_the_check_and_pushes_nothing(tmp_path: Path) -> None:
    """The Makefile's own deploy recipe, in a throwaway repository: the check runs first,
    so a refused deploy neither builds nor pushes (no gh-pages branch appears)."""
    root = _git_repo(tmp_path, "http://localhost:8000/")
    done = subprocess.run(
        ["make", "-f", str(REPO / "Makefile"), "deploy", f"PY={REPO / '.venv/bin/python'}",
         "STAMP=", "ENGINE_STAMP="],
        cwd=root, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode != 0
    assert "error: not deploying: site_config/course.yml:3: url is still the local address" in done.stderr
    assert not (root / "site").exists() and not (root / "build").exists()  # never built
    branches = subprocess.run(["git", "branch", "--list", "gh-pages"], cwd=root,
                              capture_output=True, text=True).stdout
    assert branches == ""
    forced = subprocess.run(
        ["make", "-f", str(REPO / "Makefile"), "deploy-check", "FORCE=1",
         f"PY={REPO / '.venv/bin/python'}", "STAMP="],
        cwd=root, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    assert forced.returncode != 0 and "url is still the local address" in forced.stderr  # FORCE
    # overrides the uncommitted-changes check only: a site built for localhost is never right

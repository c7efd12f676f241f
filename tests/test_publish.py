"""Publishing: `make deploy` pushes a working site; the GitHub Actions workflow is sound."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

from sitekit import REPO


def test_workflow_tests_then_builds_with_make_then_deploys_pages() -> None:
    wf = yaml.safe_load((REPO / ".github/workflows/deploy.yml").read_text())
    assert wf[True]["push"]["branches"] == ["main"]  # YAML reads the key `on` as True
    jobs = wf["jobs"]
    assert wf["permissions"] == {"contents": "read"}  # Pages rights: the deploy job's alone
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert all("permissions" not in job for name, job in jobs.items() if name != "deploy")
    assert jobs["build"]["needs"] == "test" and jobs["deploy"]["needs"] == "build"
    assert all(0 < job["timeout-minutes"] <= 90 for job in jobs.values())
    uses = [s["uses"] for job in jobs.values() for s in job["steps"] if "uses" in s]
    assert all(re.fullmatch(r"actions/[a-z-]+@v\d+\.\d+\.\d+", u) for u in uses), uses  # exact pins
    assert {"actions/checkout", "actions/setup-python", "actions/cache", "actions/upload-pages-artifact",
            "actions/deploy-pages"} == {u.split("@")[0] for u in uses}
    assert [s["run"] for s in jobs["test"]["steps"] if "run" in s][-1] == ".ci/run"
    steps = jobs["build"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == ["make deploy-check", "make"]  # the README's build command, after the checks
    readme = (REPO / "README.md").read_text()
    assert "make        # set up .venv" in readme
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == "build/cache"
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"


def test_make_deploy_pushes_the_site_to_gh_pages(repo_copy, tmp_path: Path) -> None:
    root = repo_copy()
    os.symlink(REPO / ".venv", root / ".venv")
    bare = tmp_path / "remote.git"
    git = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    env = {**os.environ, **git, "NO_MKDOCS_2_WARNING": "1"}
    for cmd in (["git", "init", "-q", "--bare", str(bare)],):
        subprocess.run(cmd, check=True)
    course = root / "site_config/course.yml"  # `make deploy` refuses the local address
    course.write_text(course.read_text(encoding="utf-8").replace(
        "url: http://127.0.0.1:8000/", "url: https://example.org/course/"), encoding="utf-8")
    for cmd in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"],
                ["git", "commit", "-q", "-m", "course"], ["git", "remote", "add", "origin", str(bare)]):
        subprocess.run(cmd, cwd=root, check=True, env=env, capture_output=True)
    done = subprocess.run(["make", "deploy"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    files = subprocess.run(["git", "ls-tree", "-r", "--name-only", "gh-pages"], cwd=bare,
                           capture_output=True, text=True, check=True).stdout.split()
    assert "index.html" in files and "lessons/neurons/index.html" in files
    assert ".nojekyll" in files  # GitHub Pages serves the assets folder as it is

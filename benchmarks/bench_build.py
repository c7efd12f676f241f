"""Build benchmark: cold build, no-op rebuild, one changed generator, against the bare engines.

    make bench-build        (python -m benchmarks.bench_build [--repeat N] [--engines ...])

Works on a copy of the repository in a temporary folder, so your cache and site are
untouched (it shares your ``.venv``). Every timing is ``make`` itself (``make
ENGINE=...``: figures, expand, render, publish) except the floor: the bare engine's own command
(``mkdocs build`` or ``zensical build``) on the same expanded pages with no project code
at all: no figure step, no expand step, no MathML extension, only the standard Markdown
extensions of ``mkdocs.yml``. Runs are interleaved and medians compared, because this
machine is shared and noisy. Goals: no-op <= 1.3 x floor for each engine; cold build
within the 90-s budget and <= 15 x the bare engine (floor) of the same pages.

It also reports the cold build's jobs, from their manifests: their total worker time, the
lesson notebooks' share of it, and the critical path the figure step printed (the longest
chain of job times through the notebook -> generator dependencies).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENGINES = ("mkdocs", "zensical")
FLOOR_CONFIG = "floor.yml"  # beside mkdocs.yml: the same project folder for the engine


def copy_repo(dest: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout
    for rel in filter(None, listed.split("\0")):
        if (REPO / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, dest / rel)


def write_floor_config(root: Path) -> None:
    """``mkdocs.yml`` without the project's extension, building into its own folder."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"^\s*- generators\.site\.markdown_math.*\n", "", text, flags=re.M)
    text = re.sub(r"^site_dir: .*$", "site_dir: floor-site", text, flags=re.M)
    code = [ln for ln in text.splitlines() if "generators." in ln.split("#")[0]]
    assert not code, f"the floor must run no project code: {code}"
    (root / FLOOR_CONFIG).write_text(text, encoding="utf-8")


def run(cmd: list[str], root: Path, output: list[str] | None = None) -> float:
    """Seconds ``cmd`` took in ``root``; its stdout is appended to ``output`` if given."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    if output is not None:
        output.append(done.stdout)
    return seconds


def ours(root: Path, engine: str, output: list[str] | None = None) -> float:
    return run(["make", "-s", f"ENGINE={engine}"], root, output)


CRITICAL_RE = re.compile(r"critical path [^\n]*")


def critical_path(output: str, jobs: dict[str, float]) -> str:
    """The figure step's own ``critical path ...`` line, else (a pipeline that does not
    report one) the longest single job, which is what bounds it there."""
    found = CRITICAL_RE.search(output)
    if found:
        return found.group(0)
    longest = max(jobs, key=jobs.get, default="-")
    return f"not reported; longest job {jobs.get(longest, 0.0):.1f} s ({longest})"


def floor(root: Path, engine: str) -> float:
    strict = ["--strict"] if engine == "zensical" else ["--strict", "-q"]
    return run([sys.executable, "-m", engine, "build", *strict, "-f", FLOOR_CONFIG], root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per warm measurement")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dlv-bench-") as tmp:
        root = Path(tmp)
        copy_repo(root)
        (root / ".venv").symlink_to(REPO / ".venv")
        cold_out: list[str] = []
        cold = ours(root, args.engines[0], cold_out)
        jobs = {}
        for manifest in sorted((root / "build/cache/figures/manifests").glob("*.json")):
            data = json.loads(manifest.read_text())
            jobs[data["job"]] = data["seconds"]
        write_floor_config(root)
        times: dict[tuple[str, str], list[float]] = {}
        for i in range(args.repeat):
            for engine in args.engines:
                times.setdefault((engine, "noop"), []).append(ours(root, engine))
                times.setdefault((engine, "floor"), []).append(floor(root, engine))
            target = root / "generators/neurons/fig_activations.py"
            target.write_text(target.read_text() + f"\n# benchmark edit {i}\n")
            times.setdefault((args.engines[0], "changed"), []).append(ours(root, args.engines[0]))
    med = {key: statistics.median(v) for key, v in times.items()}
    print(f"machine: {os.cpu_count()} CPUs; medians of {args.repeat} interleaved runs (cold: 1 run)")
    print(f"cold build (no cache, {args.engines[0]})      {cold:7.2f} s   (budget 90 s)")
    print(f"one generator changed ({args.engines[0]})     {med[args.engines[0], 'changed']:7.2f} s   "
          "(neurons/activations and its lesson notebook)")
    print(f"{'engine':10s} {'no-op':>8s} {'floor':>8s} {'no-op/floor':>12s}")
    for engine in args.engines:
        noop, bare = med[engine, "noop"], med[engine, "floor"]
        print(f"{engine:10s} {noop:7.2f}s {bare:7.2f}s {noop / bare:11.2f}   (goal <= 1.3)")
    bare = med[args.engines[0], "floor"]
    print(f"cold build / bare engine ({args.engines[0]}) {cold / bare:7.1f} x   (goal <= 15)")
    worker = sum(jobs.values())
    notebooks = sum(s for j, s in jobs.items() if j.startswith("notebook:"))
    print(f"cold build's jobs: worker time {worker:.1f} s on {os.cpu_count()} CPUs; lesson notebooks "
          f"{notebooks:.1f} s ({notebooks / worker if worker else 0:.0%}); "
          f"{critical_path(''.join(cold_out), jobs)}")
    print(f"job times in the cold build (in worker processes; sum {worker:.1f} s):")
    for job, seconds in sorted(jobs.items(), key=lambda kv: -kv[1]):
        print(f"  {job:32s} {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

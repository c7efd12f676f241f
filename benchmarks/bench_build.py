"""Build benchmark: cold build, no-op rebuild, one changed generator, bare MkDocs.

    make bench-build        (python -m benchmarks.bench_build [--repeat N])

Works on a copy of the repository in a temporary folder, so your cache and site are
untouched. Every timing is a full ``mkdocs build --strict`` (the hook runs the figure
pipeline) except "bare", which skips the generator step (DLV_SKIP_GENERATORS=1) and so
measures MkDocs alone on the same pages. No-op and bare runs are interleaved and their
medians compared, because this machine is shared and noisy. Goal: no-op <= 1.3 x bare.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def copy_repo(dest: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout
    for rel in filter(None, listed.split("\0")):
        if (REPO / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, dest / rel)


def timed_build(root: Path, bare: bool = False) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DLV_SKIP_GENERATORS": "1" if bare else "0"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
                          cwd=root, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per warm measurement")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dlv-bench-") as tmp:
        root = Path(tmp)
        copy_repo(root)
        cold = timed_build(root)
        per_gen = {}
        for manifest in sorted((root / ".cache/figures/manifests").glob("*.json")):
            data = json.loads(manifest.read_text())
            per_gen[data["job"]] = data["seconds"]
        noop, bare, changed = [], [], []
        for i in range(args.repeat):
            noop.append(timed_build(root))
            bare.append(timed_build(root, bare=True))
            target = root / "generators/neurons/fig_activations.py"
            target.write_text(target.read_text() + f"\n# benchmark edit {i}\n")
            changed.append(timed_build(root))
    med = {k: statistics.median(v) for k, v in
           (("noop", noop), ("bare", bare), ("changed", changed))}
    print(f"machine: {os.cpu_count()} CPUs; medians of {args.repeat} runs (cold: 1 run)")
    print(f"cold build (no cache)          {cold:7.2f} s")
    print(f"no-op rebuild                  {med['noop']:7.2f} s")
    print(f"one generator changed          {med['changed']:7.2f} s   (neurons/activations)")
    print(f"bare mkdocs build              {med['bare']:7.2f} s")
    print(f"no-op / bare                   {med['noop'] / med['bare']:7.2f}     (goal <= 1.3)")
    print(f"job times in the cold build (in worker processes; sum {sum(per_gen.values()):.1f} s):")
    for gen, seconds in sorted(per_gen.items(), key=lambda kv: -kv[1]):
        print(f"  {gen:30s} {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

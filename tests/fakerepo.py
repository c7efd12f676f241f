"""A throwaway repository with the real pipeline and tiny fake generators, for tests.

The fake generators draw one line each in milliseconds, so cache behaviour can be tested
without training anything. ``FakeRepo.run()`` runs ``python -m generators`` in it as a
user would, in a subprocess whose import path starts at the fake repository;
``FakeRepo.start()`` starts it in its own process group, for tests that signal it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The pipeline's own files: the build package, and the modules a generator imports.
PIPELINE_FILES = ("__init__.py", "__main__.py", "figure.py", "style.py", "layout.py",
                  *(f"build/{p.name}" for p in sorted((REPO / "generators/build").glob("*.py"))))

GEN_TEMPLATE = '''
"""Fake generator {name}."""
import os
from generators.figure import Figure, Generator
{imports}

def compute(p):
    {body}
    return {{"{name}_value": float(p["scale"]) * {factor}, "x": [0, 1, 2]}}

def draw(data, p, theme):
    {draw}
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot(data["x"], [data["{name}_value"]] * 3, color=theme.palette[0])
    ax.set_title("{name}")
    return fig

GENERATOR = Generator(
    compute=compute,
    params={{"scale": 1.0, "label": "x"}},
    results=("{name}_value",),
    data_files=({data_files}),
    figures=(Figure("{name}-plot", draw, caption="A {name} line.", alt="A flat line."),),{extra}
)
'''


@dataclass
class Run:
    code: int
    out: str  # stdout, then stderr
    err: str = ""

    def lines(self, word: str) -> list[str]:
        return [ln for ln in self.out.splitlines() if ln.strip().startswith(word)]


class FakeRepo:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "generators" / "build").mkdir(parents=True)
        for name in PIPELINE_FILES:
            shutil.copy(REPO / "generators" / name, root / "generators" / name)
        (root / "site_config").mkdir()
        (root / "content").mkdir()

    def add(self, lesson: str, name: str, *, imports: str = "", body: str = "pass",
            factor: float = 2.0, data_files: str = "", draw: str = "pass", extra: str = "") -> Path:
        """Write generator ``<lesson>/<name>``: ``body`` runs in compute, ``draw`` before
        drawing each theme, ``extra`` is more ``Generator(...)`` keywords ("timeout=5,")."""
        pkg = self.root / "generators" / lesson
        pkg.mkdir(exist_ok=True)
        (pkg / "__init__.py").touch()
        path = pkg / f"fig_{name}.py"
        path.write_text(GEN_TEMPLATE.format(name=name, imports=imports, body=body, draw=draw,
                                            factor=factor, data_files=data_files,
                                            extra=f"\n    {extra}" if extra else ""))
        return path

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return path

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(extra or {})}

    def run(self, *args: str, env: dict[str, str] | None = None) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", "generators", "--jobs", "2", *args],
            cwd=self.root, capture_output=True, text=True, timeout=300, env=self.env(env),
        )
        return Run(done.returncode, done.stdout + done.stderr, done.stderr)

    def start(self, *args: str, env: dict[str, str] | None = None,
              command: tuple[str, ...] = ("-m", "generators")) -> subprocess.Popen:
        """``python -m generators`` in its own process group (as a shell runs a command),
        stdout and stderr piped as text."""
        return subprocess.Popen([sys.executable, *command, "--jobs", "2", *args], cwd=self.root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.env(env), process_group=0)

    def generated(self) -> dict[str, bytes]:
        out = self.root / "content" / "generated"
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

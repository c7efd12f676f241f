"""The pipeline's units of work: what there is to build, and how a worker builds each.

Three kinds, each cached, run in parallel and published the same way:

- ``figures``: a generator module ``generators/<lesson>/fig_<name>.py`` (id
  ``<lesson>/<name>``): its figures and results (``render.py``);
- ``lesson-notebook``: one per lesson package with generators and a page
  ``content/**/<lesson>.md`` (underscores as hyphens; id ``notebook:<lesson>``): a
  Jupyter notebook that reproduces the lesson's figures, executed (``notebooks.py``);
- ``page-notebook``: an instructor's ``content/**/*.ipynb`` (id ``page:<path>``),
  executed and converted to a Markdown page (``notebooks.py``).

A job names the repository files whose import closure its output depends on (its
``entries``) and the data files it reads; the pipeline hashes them for the cache key.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generators.build.deps import module_file
from generators.build.notebooks import lesson_page


@dataclass(frozen=True)
class Job:
    id: str
    kind: str  # "figures" | "lesson-notebook" | "page-notebook"
    target: str  # module name, lesson package, or notebook path relative to content/
    entries: tuple[Path, ...]  # files whose import closure the output depends on
    data: tuple[str, ...] = ()  # repository-relative files read as data
    generators: tuple[str, ...] = ()  # figure generator ids whose overrides apply


def discover(root: Path) -> dict[str, Job]:
    """Every job in the repository, figure generators first, in a stable order."""
    jobs: dict[str, Job] = {}
    lessons: dict[str, list[str]] = {}
    for path in sorted((root / "generators").glob("*/fig_*.py")):
        lesson = path.parent.name
        gen_id = f"{lesson}/{path.stem.removeprefix('fig_')}"
        jobs[gen_id] = Job(gen_id, "figures", f"generators.{lesson}.{path.stem}", (path,),
                           generators=(gen_id,))
        lessons.setdefault(lesson, []).append(gen_id)
    builder = root / "generators" / "build" / "notebooks.py"
    for lesson, gen_ids in lessons.items():
        if lesson_page(root, lesson) is None:
            continue  # generators that no page presents get no notebook
        entries = tuple(jobs[g].entries[0] for g in gen_ids) + (builder,)
        job_id = f"notebook:{lesson}"
        jobs[job_id] = Job(job_id, "lesson-notebook", lesson, entries, generators=tuple(gen_ids))
    content = root / "content"
    for path in sorted(content.rglob("*.ipynb")):
        rel = path.relative_to(content).as_posix()
        if rel.startswith("generated/") or "/." in f"/{rel}":
            continue  # our own outputs, and .ipynb_checkpoints
        job_id = f"page:{rel.removesuffix('.ipynb')}"
        entries = (builder, *_notebook_imports(root, path))
        jobs[job_id] = Job(job_id, "page-notebook", rel, entries, data=(f"content/{rel}",))
    return jobs


def _notebook_imports(root: Path, path: Path) -> list[Path]:
    """Repository modules a notebook's code cells import (IPython magics are skipped).

    Raises ``SyntaxError`` naming the notebook if a code cell is not Python.
    """
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    found = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        code = "\n".join(ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(code, filename=str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                module = module_file(root, name)
                if module is not None:
                    found.append(module)
    return sorted(set(found))


def run_job(kind: str, root: str, target: str, job_id: str, overrides: dict[str, Any],
            out_dir: str) -> dict[str, Any]:
    """Run one job in a worker process (imported there, so the parent stays light).

    ``overrides``: a figure generator's own parameter overrides; for a lesson notebook,
    generator id -> overrides for each of the lesson's generators.
    """
    if kind == "figures":
        from generators.build.render import run_generator

        return run_generator(root, target, job_id, overrides, out_dir)
    from generators.build import notebooks

    if kind == "lesson-notebook":
        return notebooks.run_lesson_notebook(root, target, overrides, out_dir)
    return notebooks.run_page_notebook(root, target, out_dir)

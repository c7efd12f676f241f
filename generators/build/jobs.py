"""The pipeline's units of work: what there is to build, and how a worker builds each.

Three kinds, each cached, run in parallel and published the same way:

- ``figures``: a generator module ``generators/<lesson>/fig_<name>.py`` (id
  ``<lesson>/<name>``): its figures and results (``render.py``);
- ``lesson-notebook``: one per lesson package with generators and a page
  ``content/**/<lesson>.md`` (underscores as hyphens; id ``notebook:<lesson>``): a
  Jupyter notebook that reproduces the lesson's figures, executed (``notebooks.py``)
  after the jobs of the generators it runs (its ``needs``), reusing their results;
- ``page-notebook``: an instructor's ``content/**/*.ipynb`` (id ``page:<path>``),
  executed and converted to a Markdown page (``notebooks.py``).

A job names the repository files whose import closure its output depends on (its
``entries``) and the data files it reads; the pipeline hashes them for the cache key.
It also carries its time limit (``Generator(timeout=...)``, read from the module's source
without importing it) and, if its source cannot even be read (a notebook that is not
JSON, not UTF-8, or has a code cell that is not Python), the ``problem`` that fails it
alone.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generators.build.deps import module_file
from generators.build.notebooks import lesson_page
from generators.build.runner import Limit

HOW_TO_RAISE = "raise it with make TIMEOUT=SECONDS"


@dataclass(frozen=True)
class Job:
    id: str
    kind: str  # "figures" | "lesson-notebook" | "page-notebook"
    target: str  # module name, lesson package, or notebook path relative to content/
    entries: tuple[Path, ...]  # files whose import closure the output depends on
    data: tuple[str, ...] = ()  # repository-relative files read as data
    generators: tuple[str, ...] = ()  # figure generator ids whose overrides apply
    # Each generator's declared ``timeout`` (None: the default), in ``generators`` order.
    timeouts: tuple[float | None, ...] = ()
    problem: str | None = None  # why the job cannot run at all (it fails; the others run)
    # A lesson notebook: the generators whose compute it runs (not ``notebook=False``
    # ones); it runs after their jobs and reuses their stored results.
    needs: tuple[str, ...] = ()

    @property
    def kernel(self) -> bool:
        """Whether the job runs a Jupyter kernel (and so needs a scratch folder)."""
        return self.kind != "figures"

    @property
    def label(self) -> str:
        """How messages name the job: "generator neurons/training", "job notebook:cnns"."""
        return f"generator {self.id}" if self.kind == "figures" else f"job {self.id}"

    def limit(self, default: float) -> Limit:
        """Seconds this job may run, given the build's ``default``, and how to raise it."""
        if self.kind == "figures" and self.timeouts and self.timeouts[0] is not None:
            module = f"generators/{self.entries[0].parent.name}/{self.entries[0].name}"
            return Limit(self.timeouts[0], f"its own timeout, Generator(timeout=...) in {module}; "
                                           "raise it there")
        if self.kind == "lesson-notebook" and self.timeouts:
            total = sum(t if t is not None else default for t in self.timeouts)
            return Limit(total, "the sum of its generators' timeouts; raise them with "
                                "Generator(timeout=...) or make TIMEOUT=SECONDS")
        if self.kind == "figures":
            return Limit(default, f"the default timeout; {HOW_TO_RAISE}, or for this generator "
                                  "alone with Generator(timeout=...)")
        return Limit(default, f"the default timeout; {HOW_TO_RAISE}")


def discover(root: Path) -> dict[str, Job]:
    """Every job in the repository, figure generators first, in a stable order."""
    jobs: dict[str, Job] = {}
    lessons: dict[str, list[str]] = {}
    for path in sorted((root / "generators").glob("*/fig_*.py")):
        lesson = path.parent.name
        gen_id = f"{lesson}/{path.stem.removeprefix('fig_')}"
        timeout, problem = declared_timeout(root, path)
        jobs[gen_id] = Job(gen_id, "figures", f"generators.{lesson}.{path.stem}", (path,),
                           generators=(gen_id,), timeouts=(timeout,), problem=problem)
        lessons.setdefault(lesson, []).append(gen_id)
    builder = root / "generators" / "build" / "notebooks.py"
    for lesson, gen_ids in lessons.items():
        if lesson_page(root, lesson) is None:
            continue  # generators that no page presents get no notebook
        entries = tuple(jobs[g].entries[0] for g in gen_ids) + (builder,)
        job_id = f"notebook:{lesson}"
        needs = tuple(g for g in gen_ids if declared_keyword(jobs[g].entries[0], "notebook", True))
        jobs[job_id] = Job(job_id, "lesson-notebook", lesson, entries, generators=tuple(gen_ids),
                           timeouts=tuple(jobs[g].timeouts[0] for g in gen_ids), needs=needs)
    content = root / "content"
    for path in sorted(content.rglob("*.ipynb")):
        rel = path.relative_to(content).as_posix()
        if rel.startswith("generated/") or "/." in f"/{rel}":
            continue  # our own outputs, and .ipynb_checkpoints
        job_id = f"page:{rel.removesuffix('.ipynb')}"
        try:
            entries, problem = (builder, *_notebook_imports(root, path)), None
        except NotebookError as exc:
            entries, problem = (builder,), str(exc)
        jobs[job_id] = Job(job_id, "page-notebook", rel, entries, data=(f"content/{rel}",),
                           problem=problem)
    return jobs


def declared_keyword(path: Path, name: str, default: Any) -> Any:
    """The literal value of ``GENERATOR = Generator(..., <name>=...)`` in a generator's
    source, read without importing it; ``default`` if absent, not a literal, or unreadable."""
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return default
    for node in tree.body:
        if not (isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call)):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(isinstance(t, ast.Name) and t.id == "GENERATOR" for t in targets):
            for kw in node.value.keywords:
                if kw.arg == name:
                    try:
                        return ast.literal_eval(kw.value)
                    except ValueError:
                        return default
    return default


def declared_timeout(root: Path, path: Path) -> tuple[float | None, str | None]:
    """A generator module's ``GENERATOR = Generator(..., timeout=...)``, read from its source.

    Returns (seconds or None, problem or None). The parent process never imports
    generator modules, so the value must be a number literal (or None). A module that
    does not parse gets no problem here: the pipeline reports its SyntaxError.
    """
    rel = path.relative_to(root).as_posix()
    try:
        tree = ast.parse(path.read_bytes(), filename=rel)
    except (SyntaxError, ValueError):
        return None, None
    for node in tree.body:
        if not (isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call)):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if not any(isinstance(t, ast.Name) and t.id == "GENERATOR" for t in targets):
            continue
        for kw in node.value.keywords:
            if kw.arg != "timeout":
                continue
            try:
                value = ast.literal_eval(kw.value)
            except ValueError:
                value = kw  # not a literal
            if value is None:
                return None, None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if 0 < value < float("inf"):
                    return float(value), None
                return None, (f"{rel}:{kw.value.lineno}: Generator(timeout=...) must be a positive "
                              f"number of seconds, got {value!r}")
            return None, (f"{rel}:{kw.value.lineno}: Generator(timeout=...) must be a number "
                          f"literal such as timeout=600 (seconds), got {ast.unparse(kw.value)!r}: "
                          "the build reads it without running the module")
    return None, None


class NotebookError(ValueError):
    """A notebook under content/ cannot be read: not UTF-8, not JSON, or not Python."""


def _notebook_imports(root: Path, path: Path) -> list[Path]:
    """Repository modules a notebook's code cells import (IPython magics are skipped).

    Raises ``NotebookError`` naming the notebook (and its line where there is one) if it
    is not UTF-8, not JSON, not a notebook, or has a code cell that is not Python.
    """
    rel = path.relative_to(root).as_posix()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise NotebookError(f"{rel}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                            "save the notebook as UTF-8") from None
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{rel}:{exc.lineno}: not valid notebook JSON: {exc.msg} "
                            f"(column {exc.colno})") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise NotebookError(f"{rel}: not a Jupyter notebook (no list of \"cells\")")
    found = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", [])
        source = source if isinstance(source, str) else "".join(source)
        lines = source.splitlines()
        code = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in lines)
        try:
            tree = ast.parse(code, filename=rel)
        except SyntaxError as exc:
            bad = lines[exc.lineno - 1] if exc.lineno and exc.lineno <= len(lines) else ""
            where = _file_line(text, bad)
            raise NotebookError(f"{rel}{f':{where}' if where else ''}: code cell {number} is not "
                                f"Python: {exc.msg} (line {exc.lineno} of the cell)") from None
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                module = module_file(root, name)
                if module is not None:
                    found.append(module)
    return sorted(set(found))


def _file_line(text: str, source_line: str) -> int | None:
    """The line of the notebook file holding ``source_line`` of a cell, if it is found."""
    needles = {json.dumps(source_line, ensure_ascii=a)[1:-1] for a in (True, False)}
    if not source_line.strip():
        return None
    for number, line in enumerate(text.splitlines(), 1):
        if any(needle in line for needle in needles):
            return number
    return None


def run_job(kind: str, root: str, target: str, job_id: str, overrides: dict[str, Any],
            out_dir: str, scratch: str | None = None,
            computed: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Run one job in a worker process (imported there, so the parent stays light).

    ``overrides``: a figure generator's own parameter overrides; for a lesson notebook,
    generator id -> overrides for each of the lesson's generators. ``scratch``: a private
    folder with a short path (for a kernel's sockets), which the caller removes.
    ``computed``: for a lesson notebook, its generators' stored compute results
    (generator id -> ``{"params", "sha256", "blob"}``), sent with the job so that it
    needs no access to the build's cache (a remote worker has none).
    """
    if kind == "figures":
        from generators.build.render import run_generator

        return run_generator(root, target, job_id, overrides, out_dir)
    from generators.build import notebooks

    if kind == "lesson-notebook":
        return notebooks.run_lesson_notebook(root, target, overrides, out_dir, scratch, computed)
    return notebooks.run_page_notebook(root, target, out_dir, scratch)

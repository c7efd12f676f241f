"""Notebooks: one per lesson that reproduces its figures, and instructors' notebook pages.

- ``lesson_notebook(lesson, ...)`` builds, with nbformat, a notebook that imports each of
  the lesson's generators, runs its ``compute`` with the site's parameters and draws its
  figures; ``run_lesson_notebook`` executes it (nbclient) so a broken notebook fails the
  build, and publishes it, outputs included, as ``<lesson>/<lesson>.ipynb``. Its kernel
  gets the figure jobs' stored compute results (``offer_results``), so ``compute`` with
  the site's parameters does not train again; the cells, and the outputs, are the same.
- ``run_page_notebook(path)`` executes ``content/<path>.ipynb`` and converts it with
  nbconvert to a Markdown page with its output images, which the expand step places at the
  notebook's place in the site. It runs the notebook once per site theme, each time with
  that theme's matplotlib settings (``generators/style.py``: colours, transparent
  background) as the kernel's ``matplotlibrc``, and each image shows in its own palette
  (Material's ``#only-light`` / ``#only-dark``). The notebook itself is not changed: a
  student's copy runs with matplotlib's defaults.

Both run in a worker process like the figure generators, and are cached the same way.
The kernel is the Python running the build, whose environment already imports the
course's code (``generators``), so notebooks need no path set-up. Cells have no time
limit of their own: the job's (``pipeline.py``) stops the worker and, with it, the
kernel. The kernel's sockets and connection file live in ``scratch``, a short-path
folder the pipeline made for the job and removes however the job ends.
"""

from __future__ import annotations

import copy
import importlib
import os
import pprint
import re
import time
import traceback
from pathlib import Path
from typing import Any

HOW_TO_RUN = """\
**Run it yourself.** This notebook needs the course's repository and its Python
environment: clone the repository and run `make` once (it creates `.venv/`). Then open
this notebook with that environment's Python, for example in VS Code (choose
`.venv/bin/python` as the kernel), or in JupyterLab after
`.venv/bin/python -m pip install jupyterlab` and `.venv/bin/jupyter lab`.
Change a parameter below and run the cells again to see what it does."""


SETUP = """\
import matplotlib.pyplot as plt
from IPython.display import SVG, display

from generators.style import themes

light, dark = themes()  # the site draws every figure in both


def show(figure):
    \"\"\"Display a figure: a matplotlib Figure, or SVG bytes drawn by Graphviz.\"\"\"
    if isinstance(figure, bytes):
        display(SVG(figure))
    else:
        display(figure)
        plt.close(figure)"""


def _matplotlibrc(rc: dict[str, Any]) -> str:
    """``rc`` (a theme's settings) in matplotlibrc syntax."""
    from cycler import Cycler

    def value(v: Any) -> str:  # "#" starts a comment there: hex colours are written without it
        if isinstance(v, Cycler):
            return "cycler(" + ", ".join(f"{k}={[value(x) for x in vs]!r}"
                                         for k, vs in v.by_key().items()) + ")"
        return str(v).lstrip("#") if isinstance(v, str) and v.startswith("#") else str(v)

    return "".join(f"{key}: {value(v)}\n" for key, v in rc.items())


def _execute(nb: Any, cwd: Path, scratch: str, rc: dict[str, Any] | None = None) -> None:
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    # A local kernel over IPC sockets in a private temporary folder: nothing listens on
    # a network port, and no socket file is left in the repository.
    # The build runs with MPLBACKEND=Agg; a kernel needs Jupyter's inline backend instead,
    # so that figures a cell creates are shown as its output, as in Jupyter.
    os.environ.pop("MPLBACKEND", None)
    # A theme's settings reach the kernel as its matplotlibrc (read when it imports matplotlib).
    os.environ.pop("MATPLOTLIBRC", None)
    if rc is not None:
        rc_dir = Path(scratch) / "mplrc"
        rc_dir.mkdir(exist_ok=True)
        (rc_dir / "matplotlibrc").write_text(_matplotlibrc(rc), encoding="utf-8")
        os.environ["MATPLOTLIBRC"] = str(rc_dir)
    km = KernelManager(kernel_name="python3", transport="ipc", ip=f"{scratch}/kernel",
                       connection_file=f"{scratch}/kernel.json")
    try:
        NotebookClient(nb, km=km, timeout=None, kernel_name="python3",
                       resources={"metadata": {"path": str(cwd)}}).execute()
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)


def lesson_notebook(lesson: str, title: str, gen_ids: list[str], overrides: dict[str, Any]) -> Any:
    """A notebook (nbformat node) that reproduces every figure of ``lesson``."""
    import nbformat.v4 as nbf

    from generators.figure import effective_params

    cells = [nbf.new_markdown_cell(f"# {title}\n\nThe figures of the lesson "
                                   f"“{title}”, made by the course's own code.\n\n{HOW_TO_RUN}"),
             nbf.new_code_cell(SETUP)]
    for gen_id in gen_ids:
        module_name = "fig_" + gen_id.split("/", 1)[1]
        module = importlib.import_module(f"generators.{lesson}.{module_name}")
        gen = module.GENERATOR
        params = dict(effective_params(gen.param_specs, overrides.get(gen_id, {}), gen_id))
        doc = (module.__doc__ or "").strip()
        cells.append(nbf.new_markdown_cell(f"## {gen_id}\n\n{doc}"))
        if not gen.notebook:
            cells.append(nbf.new_markdown_cell(
                f"*Not run here:* `generators/{lesson}/{module_name}.py` is a batch job for the "
                "site's explorer. Run its `GENERATOR.compute(params)` yourself if you want "
                "its data."))
            continue
        cells.append(nbf.new_code_cell(
            f"from generators.{lesson} import {module_name}\n\n"
            f"params = {pprint.pformat(params, sort_dicts=False)}\n"
            f"data = {module_name}.GENERATOR.compute(params)"))
        if gen.results:
            cells.append(nbf.new_code_cell(
                "{name: data[name] for name in %s.GENERATOR.results}" % module_name))
        for i, fig in enumerate(gen.figures):
            cells.append(nbf.new_markdown_cell(f"### {fig.name}\n\n{fig.caption}"))
            cells.append(nbf.new_code_cell(
                f"figure = {module_name}.GENERATOR.figures[{i}]\n"
                "with plt.style.context(light.rc):\n"
                "    show(figure.draw(data, params, light))"))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"  # fixed ids: the same lesson gives the same notebook
    nb = nbf.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def offer_results(scratch: str, computed: dict[str, dict[str, Any]]) -> str | None:
    """Write ``computed`` (generator id -> ``{"params", "sha256", "blob"}``, the figure
    jobs' stored compute results) into ``scratch`` as the table ``$DLV_COMPUTE_RESULTS``
    names (``generators.figure.stored_result``); return the table's path (None if empty)."""
    import json

    if not computed:
        return None
    folder = Path(scratch) / "computed"
    folder.mkdir(exist_ok=True)
    table = {}
    for gen_id, entry in computed.items():
        name = gen_id.replace("/", "__") + ".pkl"
        (folder / name).write_bytes(entry["blob"])
        table[gen_id] = {"params": entry["params"], "file": name, "sha256": entry["sha256"]}
    (folder / "table.json").write_text(json.dumps(table), encoding="utf-8")
    return str(folder / "table.json")


def run_lesson_notebook(root: str, lesson: str, overrides: dict[str, Any], out_dir: str,
                        scratch: str, computed: dict[str, dict[str, Any]] | None = None
                        ) -> dict[str, Any]:
    """Build and execute the lesson's notebook into ``out_dir``; report like ``render``.

    ``computed``: the lesson's generators' stored compute results (``offer_results``),
    which the kernel's ``GENERATOR.compute(params)`` returns instead of training again
    when called with the same parameters. The notebook's cells are the same either way.
    """
    from generators.figure import COMPUTE_RESULTS_ENV

    start = time.perf_counter()
    try:
        import nbformat

        gen_ids = sorted(g for g in _lesson_generators(Path(root), lesson))
        title = _lesson_title(Path(root), lesson)
        nb = lesson_notebook(lesson, title, gen_ids, overrides)
        table = offer_results(scratch, computed or {})
        if table is not None:  # the kernel inherits it; this worker forgets it after
            os.environ[COMPUTE_RESULTS_ENV] = table
        try:
            _execute(nb, Path(root), scratch)
        finally:
            os.environ.pop(COMPUTE_RESULTS_ENV, None)
        for cell in nb.cells:  # execution metadata holds timestamps: drop them
            cell.get("metadata", {}).pop("execution", None)
        rel = f"{lesson}/{lesson}.ipynb"
        (Path(out_dir) / lesson).mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / rel).write_text(nbformat.writes(nb), encoding="utf-8")
        return {"ok": True, "outputs": [rel], "index": {"notebooks": {lesson: rel}},
                "data_files": {}, "seconds": time.perf_counter() - start}
    except Exception as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(), "seconds": time.perf_counter() - start}


def run_page_notebook(root: str, rel: str, out_dir: str, scratch: str) -> dict[str, Any]:
    """Execute ``content/<rel>`` and convert it to Markdown plus images in ``out_dir``."""
    start = time.perf_counter()
    try:
        import nbformat
        from nbconvert import MarkdownExporter

        from generators.build.cache import sha256_file

        from generators.build.notebook_meta import notebook_errors
        from generators.build.yamlfile import ConfigError

        source = Path(root) / "content" / rel
        nb = nbformat.read(source, as_version=4)
        if problems := notebook_errors(nb, f"content/{rel}"):
            raise ConfigError(*problems)
        from generators.style import themes

        light, dark = themes()
        dark_nb = nbformat.from_dict(copy.deepcopy(nb))
        _execute(nb, source.parent, scratch, light.rc)
        _execute(dark_nb, source.parent, scratch, dark.rc)
        stem = rel.removesuffix(".ipynb")
        files_dir = f"pages/{stem}_files"
        body, resources = MarkdownExporter().from_notebook_node(
            nb, resources={"output_files_dir": files_dir})
        _, dark_resources = MarkdownExporter().from_notebook_node(
            dark_nb, resources={"output_files_dir": f"{files_dir}/dark"})
        written = {**resources.get("outputs", {}), **dark_resources.get("outputs", {})}
        outputs = []
        for name, blob in sorted(written.items()):
            (Path(out_dir) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(out_dir) / name).write_bytes(blob)
            outputs.append(name)
        # The page is served at content/<stem>.md; its images live in generated/.
        depth = stem.count("/")
        body = body.replace(f"]({files_dir}/", f"]({'../' * depth}generated/{files_dir}/")
        body = IMAGE_RE.sub(lambda m: _themed_image(nb, m, files_dir, written), body)
        page = f"pages/{stem}.md"
        (Path(out_dir) / page).parent.mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / page).write_text(body, encoding="utf-8")
        return {"ok": True, "outputs": [page, *outputs],
                "index": {"pages": {f"{stem}.md": {"markdown": page, "notebook": rel}}},
                "data_files": {f"content/{rel}": sha256_file(source)},
                "seconds": time.perf_counter() - start}
    except Exception as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(), "seconds": time.perf_counter() - start}


IMAGE_RE = re.compile(r"!\[[^\]]*\]\(([^)]*output_(\d+)_\d+\.\w+)\)")


def _themed_image(nb: Any, match: re.Match, files_dir: str, written: dict[str, bytes]) -> str:
    """An output image as Markdown: its light and, when the dark run drew it, dark variant."""
    alt, url = _alt(nb, int(match.group(2))), match.group(1)
    name = url.rsplit("/", 1)[1]
    if f"{files_dir}/dark/{name}" not in written:
        return f"![{alt}]({url})"
    dark_url = url.rsplit("/", 1)[0] + f"/dark/{name}"
    return f"![{alt}]({url}#only-light)![{alt}]({dark_url}#only-dark)"


def _alt(nb: Any, cell: int) -> str:
    """Alt text for a cell's image output: the cell's ``alt`` metadata, else a plain one."""
    alt = nb.cells[cell].get("metadata", {}).get("alt") if cell < len(nb.cells) else None
    return (alt or "A figure drawn by the code cell above").replace("]", ")").replace("[", "(")


def lesson_page(root: Path, lesson: str) -> Path | None:
    """The page presenting lesson package ``lesson``: ``content/**/<lesson-with-hyphens>.md``."""
    name = lesson.replace("_", "-") + ".md"
    pages = [p for p in sorted((root / "content").rglob(name))
             if not p.relative_to(root / "content").as_posix().startswith("generated/")]
    return pages[0] if pages else None


def _lesson_generators(root: Path, lesson: str) -> list[str]:
    return [f"{lesson}/{p.stem.removeprefix('fig_')}"
            for p in sorted((root / "generators" / lesson).glob("fig_*.py"))]


def _lesson_title(root: Path, lesson: str) -> str:
    """The first heading of the page that presents the lesson."""
    page = lesson_page(root, lesson)
    if page is not None:
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return lesson.replace("_", " ").capitalize()

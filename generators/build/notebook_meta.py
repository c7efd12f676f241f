"""The metadata an instructor's notebook page may carry, checked before it is executed.

The build reads one key: a code cell's ``alt``, the alt text of the image the cell draws
(``notebooks._alt``). It must be text. A key that looks like a misspelt ``alt``
(``Alt``, ``alt_text``, ``atl``) is an error too, since the image would silently get
the generic alt text. The notebook's own metadata holds nothing the build reads (the
kernel is always the build's Python), so it is not checked. Jupyter's and editors' own
cell metadata keys are left alone. Cells are counted from 1, as they appear.
"""

from __future__ import annotations

from typing import Any

from generators.build.suggest import did_you_mean

READ = ("alt",)
# Cell metadata that Jupyter, JupyterLab, VS Code, Colab, nbconvert and papermill write.
JUPYTER_KEYS = frozenset({"collapsed", "scrolled", "deletable", "editable", "format", "name",
                          "tags", "jupyter", "execution", "vscode", "slideshow", "id", "trusted",
                          "pycharm", "colab", "papermill", "ExecuteTime", "hide_input",
                          "raw_mimetype", "outputId", "executionInfo"})


def notebook_errors(nb: Any, shown: str) -> list[str]:
    """Every problem of notebook ``shown``'s cell metadata (``nb``: an nbformat node or dict)."""
    errors = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        meta = cell.get("metadata") or {}
        where = f"{shown}: cell {number}"
        if "alt" in meta and not (isinstance(meta["alt"], str) and meta["alt"].strip()):
            errors.append(f"{where}: metadata.alt: expected text (the alt text of the cell's "
                          f"image), got {meta['alt']!r}")
        for key in meta:
            if key in READ or key in JUPYTER_KEYS:
                continue
            near = did_you_mean(key, READ)
            if near.startswith("; did you mean") or key.lower().replace("-", "_").startswith("alt_"):
                errors.append(f"{where}: metadata.{key}: unknown key; did you mean 'alt'?")
    return errors

"""Run one generator in a worker process: compute, draw in both themes, save to a temp dir.

Called by ``pipeline.py`` in a fresh worker for each out-of-date generator. Each run starts
from matplotlib's defaults, so one figure's settings never leak into the next. Files are
saved without timestamps or random ids, so the same inputs give the same bytes.
Nothing here publishes: the pipeline moves the files into place only if everything worked.

Besides its outputs, a run keeps ``compute(params)``'s result, pickled (cloudpickle), as
``COMPUTED/<lesson>/<name>.pkl`` in ``out_dir`` (listed under ``kept``): the pipeline
stores it with the job's manifest, under the same cache key, and hands it to the lesson
notebook's kernel so that the notebook does not train the same networks again. It is not
published: the site does not need it.
"""

from __future__ import annotations

import importlib
import json
import math
import numbers
import re
import time
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any

from generators.build import fit
from generators.build.cache import sha256_file
from generators.figure import Generator, effective_params, train
from generators.layout import PHONE_COLUMN


def _clean_matplotlib() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.close("all")
    matplotlib.rcdefaults()
    return plt


def _save(fig: Any, path: Path, fmt: str) -> tuple[float, float]:
    """Save ``fig`` deterministically; return its size in CSS pixels (width, height).

    ``fig`` is a matplotlib Figure, or ready SVG bytes (e.g. from Graphviz) for "svg".
    """
    if isinstance(fig, bytes):
        if fmt != "svg":
            raise TypeError("a draw function may return bytes only for an svg figure")
        path.write_bytes(fig)
        return _svg_size(path)
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(path, format=fmt, metadata=metadata, bbox_inches="tight", pad_inches=0.05)
    # With bbox_inches="tight" the saved size differs from the figure's; read it back.
    if fmt == "svg":
        return _svg_size(path)
    import matplotlib
    from PIL import Image  # matplotlib depends on Pillow

    dpi = float(matplotlib.rcParams["savefig.dpi"])
    with Image.open(path) as im:  # shown at 96 CSS px per inch, sharp on 1.5x screens
        return round(im.width * 96 / dpi, 1), round(im.height * 96 / dpi, 1)


def _svg_size(path: Path) -> tuple[float, float]:
    """An SVG's width and height in CSS pixels, from its ``width="..pt"`` attributes."""
    head = path.read_text(encoding="utf-8")[:2000]
    root = re.search(r"<svg\b[^>]*>", head, re.S)
    if root is None:
        raise ValueError(f"{path.name}: not an SVG document")
    size = []
    for attr in ("width", "height"):
        m = re.search(rf'\b{attr}="([\d.]+)(pt|px)?"', root.group(0))
        if m is None:
            raise ValueError(f"{path.name}: the <svg> element has no {attr}")
        size.append(round(float(m.group(1)) * (4 / 3 if m.group(2) == "pt" else 1), 1))
    return size[0], size[1]


COMPUTED = ".computed"  # where in out_dir a run keeps its compute result


def computed_file(gen_id: str) -> str:
    """The kept file (relative to out_dir) holding generator ``gen_id``'s compute result."""
    return f"{COMPUTED}/{gen_id}.pkl"


def check_result(name: str, value: Any) -> float | int:
    """Results are plain finite numbers: NaN or inf means training went wrong."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"result {name!r} must be a number, got {type(value).__name__}")
    if not math.isfinite(float(value)):
        raise ValueError(f"result {name!r} is {value} (training diverged?)")
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def draw_figures(gen: Generator, data: Any, params: Any, lesson: str,
                 out_dir: Path) -> tuple[dict[str, Any], list[str]]:
    """Draw every figure of ``gen`` in the light and the dark theme and save it in ``out_dir``.

    A figure whose text would be too small on a phone is drawn a second time in the narrow
    layout (``theme.narrow``; ``generators/layout.py``). Returns the index entries (files,
    caption, alt, size, smallest text per figure id, and the narrow variant if any) and
    the files written, relative to ``out_dir``. What the build does, and what lesson
    tests call. ``fit.FitError`` names a figure whose text would be illegible.
    """
    figures, outputs = {}, []
    for fig_decl in gen.figures:
        fig_id = f"{lesson}/{fig_decl.name}"
        wide = _draw_layout(fig_decl, data, params, lesson, out_dir, "wide", outputs)
        fit.check_wide(fig_id, wide["width"], wide["text_px"])
        entry = {"caption": fig_decl.caption, "alt": fig_decl.alt, **wide}
        if not fit.fits_phone(wide["width"], wide["text_px"]):
            if fig_decl.narrow:
                narrow = _draw_layout(fig_decl, data, params, lesson, out_dir, "narrow", outputs)
                fit.check_narrow(fig_id, narrow["width"], narrow["text_px"],
                                 (wide["width"], wide["text_px"]))
                entry["narrow"] = narrow
                entry["narrow_below"] = fit.narrow_below(wide["width"], wide["text_px"])
            else:  # declared: shown shrunk on phones; the expand step warns on every build
                entry["phone_text_px"] = round(
                    fit.shown_text(wide["width"], wide["text_px"], PHONE_COLUMN), 1)
        figures[fig_id] = entry
    return figures, outputs


def _draw_layout(fig_decl: Any, data: Any, params: Any, lesson: str, out_dir: Path,
                 layout: str, outputs: list[str]) -> dict[str, Any]:
    """Draw and save one layout of a figure in both themes: files, size, smallest text."""
    from generators.style import themes

    plt = _clean_matplotlib()
    files, size, texts = {}, (0.0, 0.0), []
    for theme in themes():
        theme = replace(theme, layout=layout)
        suffix = ("" if layout == "wide" else f".{layout}") + ("" if theme.name == "light" else ".dark")
        rel = f"{lesson}/{fig_decl.name}{suffix}.{fig_decl.format}"
        with plt.style.context(theme.rc):
            fig = fig_decl.draw(data, params, theme)
            (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            size = _save(fig, out_dir / rel, fig_decl.format)
            # Measured after saving: tick labels exist only once the figure has been drawn.
            texts.append(fit.svg_text_px(fig) if isinstance(fig, bytes) else fit.matplotlib_text_px(fig))
            if not isinstance(fig, bytes):
                plt.close(fig)
        files[theme.name] = rel
        outputs.append(rel)
    known = [t for t in texts if t is not None]
    return {"files": files, "width": size[0], "height": size[1],
            "text_px": round(min(known), 2) if known else None}


def _keep_result(data: Any, gen_id: str, out_dir: Path) -> list[str]:
    """Pickle ``data`` into ``out_dir`` for the lesson notebook; [] if it cannot be pickled
    (the notebook then trains for real)."""
    import cloudpickle

    try:
        blob = cloudpickle.dumps(data)
    except Exception:  # e.g. an open file in the result: reuse is an optimisation only
        return []
    rel = computed_file(gen_id)
    (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
    (out_dir / rel).write_bytes(blob)
    return [rel]


def run_generator(
    root: str, module: str, gen_id: str, overrides: dict[str, Any], out_dir: str
) -> dict[str, Any]:
    """Run generator ``module``; return ``{"ok": True, ...}`` or ``{"ok": False, "error": ...}``."""
    start = time.perf_counter()
    try:
        _clean_matplotlib()
        gen = importlib.import_module(module).GENERATOR
        if not isinstance(gen, Generator):
            raise TypeError(f"{module}.GENERATOR must be a generators.figure.Generator")
        data_files = {p: sha256_file(Path(root) / p) for p in gen.data_files}
        params = effective_params(gen.param_specs, overrides, gen_id)
        data = train(gen, params)
        lesson = gen_id.split("/")[0]
        kept = _keep_result(data, gen_id, Path(out_dir))
        results = {}
        for name in gen.results:
            if name not in data:
                raise KeyError(f"compute() did not return declared result {name!r}")
            results[f"{lesson}/{name}"] = check_result(name, data[name])
        figures, outputs = draw_figures(gen, data, params, lesson, Path(out_dir))
        exports = {}
        for export in gen.exports:
            rel = f"{lesson}/{export.name}.json"
            blob = json.dumps(export.build(data, params), separators=(",", ":"), sort_keys=True,
                              allow_nan=False)
            (Path(out_dir) / rel).parent.mkdir(parents=True, exist_ok=True)
            (Path(out_dir) / rel).write_text(blob, encoding="utf-8")
            exports[f"{lesson}/{export.name}"] = {"file": rel, "bytes": len(blob)}
            outputs.append(rel)
        return {"ok": True, "outputs": outputs, "kept": kept,
                "index": {"figures": figures, "results": results, "exports": exports},
                "data_files": data_files,
                "params": dict(params), "seconds": time.perf_counter() - start}
    except Exception as exc:  # reported, named and counted by the pipeline
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(), "seconds": time.perf_counter() - start}

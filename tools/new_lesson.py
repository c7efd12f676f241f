"""Scaffold a lesson: a page, a generator package with one working figure, a schedule entry.

    make new-lesson NAME=my-topic        (python -m tools.new_lesson my-topic)

Creates ``content/lessons/<name>.md`` and ``generators/<name_with_underscores>/`` with
``fig_example.py`` (a small network really trained on a TensorFlow-Playground set, its
decision regions drawn, its test accuracy quoted in the page), and appends the lesson to
the schedule in ``site_config/course.yml`` so it appears in the navigation. Refuses to
overwrite anything. The site builds cleanly straight away; then make the lesson yours.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

PAGE = """# {title}

!!! abstract "Learning goals"

    After this lesson you can

    - ...

## A first figure

A network with {{{{ result {pkg}/hidden }}}} hidden units, trained when the site is built,
separates the two classes of a TensorFlow-Playground problem with
{{{{ result {pkg}/test_accuracy .1% }}}} test accuracy:

{{{{ figure {pkg}/example }}}}

The figure comes from `generators/{pkg}/fig_example.py`. Change its parameters there,
or override them in `site_config/figures.yml`, and rebuild.

## Exercises

??? question "1. A first exercise"

    ...

    ??? success "Solution"

        ...
"""

GENERATOR = '''"""Example figure for the lesson "{title}": a small network on a Playground data set.

Compute: train a [2, hidden, 1] tanh/sigmoid network on the "{{dataset}}" problem.
Draw: its output over the plane, with the training points.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.nn import (Adam, BinaryCrossEntropy, Dense, Sequential, Sigmoid, Tanh, accuracy,
                           data, train)

EXTENT = 6.0


def compute(p: Params) -> dict:
    rng = np.random.default_rng(p["seed"])
    X, Y, X_test, Y_test = data.playground(p["dataset"], rng=rng, noise=p["noise"])
    model = Sequential([Dense(2, p["hidden"]), Tanh(), Dense(p["hidden"], 1), Sigmoid()], rng=rng)
    train(model, X, Y, cost=BinaryCrossEntropy(), optimizer=Adam(eta=p["eta"]),
          epochs=p["epochs"], batch_size=10, rng=rng)
    grid = np.linspace(-EXTENT, EXTENT, 101)
    gx, gy = np.meshgrid(grid, grid)
    out = model.forward(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    return {{"X": X, "Y": Y, "out": out, "hidden": p["hidden"],
            "test_accuracy": accuracy(model, X_test, Y_test)}}


def draw(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3.6, 3.4), layout="constrained")
    ax.imshow(d["out"], extent=(-EXTENT, EXTENT, -EXTENT, EXTENT), origin="lower",
              cmap=theme.class_cmap(), vmin=0, vmax=1, alpha=0.45, interpolation="bilinear")
    for label, marker in ((0, "o"), (1, "s")):
        pts = d["X"][d["Y"][:, 0] == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=10, marker=marker, c=theme.class_colors[label],
                   edgecolors=theme.bg, linewidths=0.3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    return fig


GENERATOR = Generator(
    compute=compute,
    params={{  # each: default, what it means, the values the code can handle
        "seed": Param(0, "random seed for the data, the initial weights and the minibatches", min=0),
        "dataset": Param("circle", "the Playground data set", choices=data.PLAYGROUND_SETS),
        "noise": Param(0.1, "noise of the data set (the Playground's slider / 100)", min=0.0, max=0.5),
        "hidden": Param(4, "tanh hidden units", min=1),
        "eta": Param(0.03, "learning rate η of Adam", min=1e-6),
        "epochs": Param(60, "training epochs", min=1),
    }},
    results=("test_accuracy", "hidden"),
    figures=(
        Figure(
            "example", draw,
            caption="What a small trained network predicts over the plane: the shading shows "
                    "the class it predicts, the points are the training data.",
            alt="A square plot of the plane from -6 to 6 with two classes of points, orange "
                "circles and blue squares, over regions shaded by the predicted class.",
        ),
    ),
)
'''


def scaffold(root: Path, name: str) -> list[Path]:
    """Create the lesson ``name``; return the files written. Raises ValueError on bad input."""
    if not NAME_RE.match(name):
        raise ValueError(f"lesson name {name!r}: use lowercase letters, digits and hyphens, "
                         "e.g. attention-maps")
    pkg = name.replace("-", "_")
    title = name.replace("-", " ").capitalize()
    page = root / "content" / "lessons" / f"{name}.md"
    package = root / "generators" / pkg
    for path in (page, package):
        if path.exists():
            raise ValueError(f"{path.relative_to(root)} already exists; choose another name")
    course = root / "site_config" / "course.yml"
    text = course.read_text(encoding="utf-8")
    if not re.search(r"^schedule:\s*$", text, re.M):
        raise ValueError(f"{course}: no top-level 'schedule:' list to add the lesson to")
    entry = (f"  - week: \"\"\n    page: lessons/{name}.md\n"
             f"    summary: \"{title}: what students will learn.\"\n")
    # Insert at the end of the schedule block: the next top-level key, or the file's end.
    start = re.search(r"^schedule:\s*$", text, re.M).end()
    nxt = re.search(r"^[A-Za-z_]", text[start:], re.M)
    cut = start + nxt.start() if nxt else len(text)
    head = text[:cut].rstrip("\n") + "\n"
    written = [page, package / "__init__.py", package / "fig_example.py"]
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(f'"""Figures for the lesson "{title}" (content/lessons/{name}.md)."""\n')
    (package / "fig_example.py").write_text(GENERATOR.format(title=title))
    page.write_text(PAGE.format(title=title, pkg=pkg))
    course.write_text(head + entry + ("\n" + text[cut:] if text[cut:] else ""), encoding="utf-8")
    return [*written, course]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tools.new_lesson NAME", file=sys.stderr)
        return 2
    try:
        files = scaffold(Path.cwd(), args[0])
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in files:
        print(f"  wrote {path.relative_to(Path.cwd())}")
    print("Build and preview it with `make serve`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

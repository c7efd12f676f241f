"""The lecture's worked examples, in numbers: one convolution and one pooling.

Compute: UFLDL's 5 x 5 binary image convolved with its 3 x 3 kernel by the library's
``Conv2D`` (kernel set by hand, bias 0), giving the 3 x 3 convolved feature; and a
4 x 4 feature map of small integers pooled over disjoint 2 x 2 regions by ``MaxPool2D``
and ``MeanPool2D``. Nothing in the figures is typed in except the image and the kernel.
Draw: the matrices with their numbers written in the cells.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH
from generators.nn import Conv2D, MaxPool2D, MeanPool2D

IMAGE = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
KERNEL = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]  # UFLDL's example kernel


def compute(p: Params) -> dict:
    x = np.array(IMAGE, float)[None, None]              # (N=1, C=1, 5, 5)
    conv = Conv2D(1, 1, 3, rng=np.random.default_rng(p["seed"]))
    conv.params["W"][...] = np.array(KERNEL, float)     # the kernel, set by hand
    conv.params["b"][...] = 0.0
    z = conv.forward(x)[0][0, 0]
    r, c = p["window"]
    rng = np.random.default_rng(p["seed"])
    m = p["pool"]
    fmap = rng.integers(0, 10, size=(2 * m, 2 * m)).astype(float)[None, None]
    pooled_max = MaxPool2D(m).forward(fmap)[0][0, 0]
    pooled_mean = MeanPool2D(m).forward(fmap)[0][0, 0]
    return {"image": x[0, 0], "kernel": conv.params["W"][0, 0].copy(), "feature": z,
            "fmap": fmap[0, 0], "pooled_max": pooled_max, "pooled_mean": pooled_mean,
            "worked_value": float(z[r, c]), "worked_row": r + 1, "worked_col": c + 1,
            "region_max": float(pooled_max[0, 0]), "region_mean": float(pooled_mean[0, 0]),
            "pool": m}


def _matrix(ax, values: np.ndarray, theme, tints=None, fmt: str = "{:g}") -> None:
    """Draw ``values`` as a grid of cells with the numbers written in them."""
    from matplotlib.patches import Rectangle

    h, w = values.shape
    for i in range(h):
        for j in range(w):
            color = tints[i][j] if tints is not None else "none"
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=color, edgecolor=theme.muted, lw=0.8))
            ax.text(j + 0.5, i + 0.5, fmt.format(values[i, j]), ha="center", va="center",
                    color=theme.fg, fontsize=12)
    ax.set_xlim(-0.05, w + 0.05)
    ax.set_ylim(h + 0.05, -0.05)
    ax.set_aspect("equal")
    ax.axis("off")


def _axes_at(fig, left: float, top: float, width: float, height: float):
    """Axes ``width`` x ``height`` inches, its top-left corner ``left``, ``top`` inches from
    the figure's top-left: the narrow layouts place equal-sized cells by hand."""
    fw, fh = fig.get_size_inches()
    return fig.add_axes((left / fw, 1 - (top + height) / fh, width / fw, height / fh))


def _tint(color: str, alpha: float) -> tuple:
    from matplotlib.colors import to_rgba

    return to_rgba(color, alpha)


def draw_convolution(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    if theme.narrow:  # on a phone: "image * kernel" on one line, "= feature" on the next
        fig, axes = _convolution_narrow(plt)
    else:
        fig, axes = plt.subplots(1, 3, figsize=(7.2, 2.7), gridspec_kw={"width_ratios": [5, 3, 3]})
    on = _tint(theme.palette[0], 0.3)
    img_tints = [[on if v else "none" for v in row] for row in d["image"]]
    ker_tints = [[_tint(theme.palette[1], 0.35) if v else "none" for v in row] for row in d["kernel"]]
    _matrix(axes[0], d["image"], theme, img_tints)
    _matrix(axes[1], d["kernel"], theme, ker_tints)
    _matrix(axes[2], d["feature"], theme)
    r, c = p["window"]
    hi = dict(fill=False, edgecolor=theme.palette[3], lw=3)
    axes[0].add_patch(Rectangle((c, r), 3, 3, **hi))
    axes[2].add_patch(Rectangle((c, r), 1, 1, **hi))
    sep = "\n" if theme.narrow else " "
    for ax, title, key in zip(axes, ("image $x$", "kernel $W$", "feature $z$"),
                              ("image", "kernel", "feature")):
        ax.set_title("{}{}({} × {})".format(title, sep, *d[key].shape), fontsize=11)
    if theme.narrow:  # the signs stand left of the kernel and of the feature
        for ax, sign in ((axes[1], "∗"), (axes[2], "=")):
            ax.text(-0.2, 0.5, sign, transform=ax.transAxes, ha="center", va="center",
                    fontsize=20, color=theme.fg)
        return fig
    for ax, sign in ((axes[0], "∗"), (axes[1], "=")):
        ax.text(1.0 + 0.25 * (ax is axes[1]) + 0.08, 0.5, sign, transform=ax.transAxes,
                ha="center", va="center", fontsize=20, color=theme.fg)
    fig.tight_layout(w_pad=2.5)
    return fig


def _convolution_narrow(plt) -> tuple:
    """Axes for the image, the kernel and the feature, cells of one size, NARROW_WIDTH wide."""
    cell, sign, title = 0.34, 0.42, 0.48            # inches: a cell, the gap for a sign, a title
    image, small = 5 * cell, 3 * cell
    left = (NARROW_WIDTH - image - sign - small) / 2
    fig = plt.figure(figsize=(NARROW_WIDTH, 2 * title + image + small + 0.25))
    axes = [_axes_at(fig, left, title, image, image),
            _axes_at(fig, left + image + sign, title + cell, small, small),
            _axes_at(fig, (NARROW_WIDTH - small + sign) / 2, 2 * title + image + 0.15, small, small)]
    return fig, axes


def draw_pooling(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    m = d["pool"]
    region = [[_tint(theme.palette[(i // m) * 2 + j // m], 0.3) for j in range(2 * m)]
              for i in range(2 * m)]
    small = [[region[i * m][j * m] for j in range(2)] for i in range(2)]
    if theme.narrow:  # on a phone: the feature map above, the two pooled maps below it
        fig, axes = _pooling_narrow(plt, m)
    else:
        fig, axes = plt.subplots(1, 3, figsize=(7.2, 2.6), gridspec_kw={"width_ratios": [4, 2, 2]})
    _matrix(axes[0], d["fmap"], theme, region)
    _matrix(axes[1], d["pooled_max"], theme, small)
    _matrix(axes[2], d["pooled_mean"], theme, small)
    for i in range(2):
        for j in range(2):
            axes[0].add_patch(Rectangle((j * m, i * m), m, m, fill=False,
                                        edgecolor=theme.fg, lw=2))
    axes[0].set_title(f"feature map ({2 * m} × {2 * m})", fontsize=11)
    axes[1].set_title(f"max pooling\n{m} × {m} regions", fontsize=11)
    axes[2].set_title(f"mean pooling\n{m} × {m} regions", fontsize=11)
    if not theme.narrow:
        fig.tight_layout(w_pad=3.0)
    return fig


def _pooling_narrow(plt, m: int) -> tuple:
    """Axes for the 2m x 2m feature map and the two 2 x 2 pooled maps, NARROW_WIDTH wide."""
    cell, title, titles2 = 0.46, 0.3, 0.5       # inches: a cell, one- and two-line titles
    fmap = min(2 * m * cell, NARROW_WIDTH - 0.4)  # the feature map's side, whatever m is
    fig = plt.figure(figsize=(NARROW_WIDTH, title + fmap + 0.2 + titles2 + 2 * cell + 0.05))
    top = title + fmap + 0.2 + titles2
    axes = [_axes_at(fig, (NARROW_WIDTH - fmap) / 2, title, fmap, fmap),
            _axes_at(fig, NARROW_WIDTH / 4 - cell + 0.1, top, 2 * cell, 2 * cell),
            _axes_at(fig, 3 * NARROW_WIDTH / 4 - cell - 0.1, top, 2 * cell, 2 * cell)]
    return fig, axes


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(3, "random seed for the feature map's integers (and the layer's unused weights)",
                      min=0),
        "window": Param((1, 2), "(row, column) of the highlighted 3 x 3 window, counted from 0",
                        min=0, max=2),
        "pool": Param(2, "side m of each pooling region (the feature map is 2m x 2m)", min=1),
    },
    results=("worked_value", "worked_row", "worked_col", "region_max", "region_mean"),
    figures=(
        Figure(
            "worked-convolution", draw_convolution,
            caption=(
                "The lecture's worked example, computed by the library's `Conv2D`. Slide the "
                "3 × 3 kernel over the 5 × 5 image; at each position multiply the overlapping "
                "numbers and add them up. The outlined window of the image produces the "
                "outlined number of the feature: count the places where the image and the "
                "kernel both hold a 1."
            ),
            alt=(
                "Three grids of numbers joined by a convolution sign and an equals sign. First: "
                "a 5 by 5 image of zeros and ones, the ones shaded, with a 3 by 3 window "
                "outlined in red. Second: a 3 by 3 kernel with ones in the corners and the "
                "centre. Third: the 3 by 3 convolved feature, 4 3 4, 2 4 3, 2 3 4, with the "
                "cell produced by the outlined window outlined."
            ),
        ),
        Figure(
            "worked-pooling", draw_pooling,
            caption=(
                "Pooling a feature map over disjoint 2 × 2 regions, computed by the library's "
                "`MaxPool2D` and `MeanPool2D`. Each shaded region of the map becomes one "
                "number of the same shade: its largest entry in the max-pooling grid, its "
                "average in the mean-pooling grid. Pooling keeps one number per region."
            ),
            alt=(
                "A 4 by 4 grid of integers from 0 to 9 divided into four 2 by 2 regions, each "
                "shaded in its own colour, and two 2 by 2 grids with the same shading: "
                "the maximum of each region and the mean of each region."
            ),
        ),
    ),
)

"""Pooling a real feature map: the photo's edge strength, max- and mean-pooled.

Compute: the edge-strength map of ``fig_photo`` (Sobel x and y by ``Conv2D``), then
``MaxPool2D`` over disjoint m x m regions for each m in ``sizes`` and ``MeanPool2D``
over the largest. Rows and columns left over at the edge are dropped, as in the library.
Draw: the four maps at the same displayed size and on one shared colour scale, so
brightness can be compared between panels.
"""

from __future__ import annotations

import numpy as np

from generators.convolution.fig_photo import feature_maps
from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH
from generators.nn import MaxPool2D, MeanPool2D


def compute(p: Params) -> dict:
    _, maps = feature_maps(p)
    edges = maps["edge strength"]
    x = edges[None, None]
    panels = [("edge strength", edges, 1)]
    for m in p["sizes"]:
        panels.append((f"max pooling {m} × {m}", MaxPool2D(m).forward(x)[0][0, 0], m))
    m = max(p["sizes"])
    mean = MeanPool2D(m).forward(x)[0][0, 0]
    big_max = panels[-1][1]
    panels.append((f"mean pooling {m} × {m}", mean, m))
    return {"panels": panels, "edges_h": edges.shape[0], "edges_w": edges.shape[1],
            "pooled_h": mean.shape[0], "pooled_w": mean.shape[1], "m": m,
            "reduction": edges.size / mean.size,
            "left_rows": edges.shape[0] - m * mean.shape[0],
            "left_cols": edges.shape[1] - m * mean.shape[1],
            "edges_peak": float(edges.max()), "max_pooled_peak": float(big_max.max()),
            "mean_pooled_peak": float(mean.max()),
            "max_pooled_median": float(np.median(big_max)),
            "mean_pooled_median": float(np.median(mean))}


def draw(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    rows = (len(d["panels"]) + 1) // 2
    # Two panels per row either way; on a phone they are smaller and the colour bar lies
    # under them, so that the panels get the column's whole width.
    size = (NARROW_WIDTH, 2.5 * rows + 0.9) if theme.narrow else (6.0, 3.5 * rows)
    fig, axes = plt.subplots(rows, 2, figsize=size, layout="constrained")
    if theme.narrow:  # a little more room between a row's images and the next row's titles
        fig.get_layout_engine().set(h_pad=0.06)
    h, w = d["panels"][0][1].shape
    vmax = d["edges_peak"]
    for ax, (name, img, m) in zip(axes.ravel(), d["panels"]):
        # In photo pixels: a pooled value covers its whole m x m region (leftovers stay empty).
        ho, wo = img.shape
        im = ax.imshow(img, cmap=theme.sequential, vmin=0, vmax=vmax, extent=(0, wo * m, ho * m, 0))
        ax.set_xlim(0, w)
        ax.set_ylim(h, 0)
        ax.set_title(f"{name}\n{img.shape[0]} × {img.shape[1]} values", fontsize=11)
        ax.set_axis_off()
    for ax in axes.ravel()[len(d["panels"]):]:
        ax.set_visible(False)
    if theme.narrow:
        bar = fig.colorbar(im, ax=axes, orientation="horizontal", shrink=0.9, aspect=30)
        bar.set_label("edge strength\n(same scale in every panel)", fontsize=10)
    else:
        bar = fig.colorbar(im, ax=axes, shrink=0.6, pad=0.02)
        bar.set_label("edge strength (same scale in every panel)", fontsize=10)
    bar.outline.set_visible(False)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed of the layer's initial weights (no effect: they are set by hand)",
                      min=0),
        "shrink": Param(4, "mean-pooling factor that shrinks the 600 x 512 photo before convolving",
                        min=1, max=16),
        # max 30: with shrink 16 the edge map is 35 x 30 pixels, and a region must fit in it
        "sizes": Param((2, 4), "sides m of the m x m max-pooling regions, one panel each", min=1, max=30),
    },
    results=("edges_h", "edges_w", "pooled_h", "pooled_w", "m", "reduction", "left_rows",
             "left_cols", "edges_peak",
             "max_pooled_peak", "mean_pooled_peak", "max_pooled_median", "mean_pooled_median"),
    figures=(
        Figure(
            "pooled-edges", draw, format="png",
            caption=(
                "The photo's edge-strength map pooled over ever larger disjoint regions, "
                "every panel drawn at the same size and on the same colour scale. Max "
                "pooling keeps each region's strongest edge, so the outlines stay bright "
                "while the map gets coarser; mean pooling the largest regions (last panel) "
                "averages edges with the flat background around them, and comes out darker."
            ),
            alt=(
                "Four panels in a two by two grid on a dark-blue-to-yellow scale. "
                "Top left: the edge-strength map of the portrait, thin bright outlines on a "
                "dark background. Then the same map max-pooled into coarser and coarser blocks, the "
                "outlines thickening into bright blocks; last, the mean-pooled map with the "
                "largest blocks, visibly dimmer."
            ),
        ),
    ),
)

"""A real photograph convolved with four hand-set 3 x 3 kernels.

Compute: matplotlib's sample photo (grayscale in [0, 1]) shrunk by mean pooling, then
one ``Conv2D(1, 4, 3)`` whose four kernels are set by hand: Sobel x and Sobel y (edge
detectors), a blur and a sharpen. No padding, so each feature map is two pixels
smaller than the photo each way. The edge strength sqrt(z_x^2 + z_y^2) combines the
two Sobel maps; ``fig_pooling`` pools it.
Draw: the kernels with their numbers; the photo and its feature maps, signed maps on
a diverging scale centred on 0, each with a colour bar.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH, subplots
from generators.nn import Conv2D, MeanPool2D, data

# name -> (kernel, factor it is printed with): the kernel is factor * the integers shown
KERNELS = {
    "Sobel x": (np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]), 1),
    "Sobel y": (np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]), 1),
    "blur": (np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]), 16),
    "sharpen": (np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]), 1),
}


def feature_maps(p: Params) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The shrunk photo ``(h, w)`` and its feature map ``(h - 2, w - 2)`` for each kernel."""
    s = p["shrink"]
    photo = MeanPool2D(s).forward(data.photo()[None, None])[0]      # (1, 1, h, w)
    conv = Conv2D(1, len(KERNELS), 3, rng=np.random.default_rng(p["seed"]))
    for f, (kernel, divisor) in enumerate(KERNELS.values()):
        conv.params["W"][f, 0] = kernel / divisor                   # set by hand
    conv.params["b"][...] = 0.0
    z = conv.forward(photo)[0][0]
    maps = dict(zip(KERNELS, z))
    maps["edge strength"] = np.hypot(maps["Sobel x"], maps["Sobel y"])
    return photo[0, 0], maps


def compute(p: Params) -> dict:
    photo, maps = feature_maps(p)
    return {"photo": photo, "maps": maps,
            "photo_h": photo.shape[0], "photo_w": photo.shape[1], "photo_pixels": photo.size,
            "map_h": maps["blur"].shape[0], "map_w": maps["blur"].shape[1],
            "sobel_x_max": float(np.abs(maps["Sobel x"]).max()),
            "sharpen_min": float(maps["sharpen"].min()),
            "sharpen_max": float(maps["sharpen"].max()), "shrink": p["shrink"]}


def draw_kernels(d: dict, p: Params, theme) -> object:
    ink = theme.fg if theme.name == "light" else theme.bg   # dark ink on the pale cells
    # A row of four kernels; on a phone two rows of two.
    fig, axes = subplots(theme, 4, height=2.3, narrow_height=1.85, narrow_cols=2)
    for ax, (name, (k, divisor)) in zip(axes, KERNELS.items()):
        lim = np.abs(k).max()
        ax.imshow(k, cmap=theme.diverging, vmin=-1.6 * lim, vmax=1.6 * lim)
        for (i, j), v in np.ndenumerate(k):
            ax.text(j, i, f"{v:d}".replace("-", "−"), ha="center", va="center",
                    color=ink, fontsize=12)
        ax.set_title(name if divisor == 1 else f"{name} (÷ {divisor})", fontsize=11)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout(w_pad=1.5, h_pad=1.0)
    return fig


def draw_maps(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    maps = d["maps"]
    panels = [("photo", d["photo"], "gray", 0.0, 1.0),
              ("blur", maps["blur"], "gray", 0.0, 1.0)]
    for name in ("Sobel x", "Sobel y"):
        lim = max(np.abs(maps["Sobel x"]).max(), np.abs(maps["Sobel y"]).max())
        panels.append((name, maps[name], theme.diverging, -lim, lim))
    panels.append(("sharpen", maps["sharpen"], "gray", maps["sharpen"].min(), maps["sharpen"].max()))
    panels.append(("edge strength", maps["edge strength"], theme.sequential, 0.0,
                   maps["edge strength"].max()))
    if theme.narrow:  # on a phone: one column, each map as wide as the column allows
        fig, axes = plt.subplots(6, 1, figsize=(NARROW_WIDTH, 6 * 3.1), layout="constrained")
    else:
        fig, axes = plt.subplots(3, 2, figsize=(6.4, 8.4), layout="constrained")
    for ax, (name, img, cmap, lo, hi) in zip(axes.ravel(), panels):
        im = ax.imshow(img, cmap=cmap, vmin=lo, vmax=hi)
        h, w = img.shape
        ax.set_title(f"{name}  ({h} × {w} pixels)", fontsize=11)
        ax.set_xticks([])
        ax.set_yticks([])
        bar = fig.colorbar(im, ax=ax, shrink=0.9, pad=0.03)
        bar.outline.set_visible(False)
        bar.ax.tick_params(labelsize=9)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed of the layer's initial weights (no effect: they are set by hand)",
                      min=0),
        # max 16 as in fig_pooling, which pools this photo's edge map
        "shrink": Param(4, "mean-pooling factor that shrinks the 600 x 512 photo before convolving",
                        min=1, max=16),
    },
    results=("photo_h", "photo_w", "photo_pixels", "map_h", "map_w", "sobel_x_max", "sharpen_min",
             "sharpen_max", "shrink"),
    figures=(
        Figure(
            "kernels", draw_kernels,
            caption=(
                "The four hand-set 3 × 3 kernels. The Sobel kernels weigh one side of the "
                "window against the other; the blur's weights are all positive and sum to 1; "
                "the sharpen kernel adds the centre pixel's difference from its neighbours. "
                "Colour shows each weight's sign: orange positive, purple negative."
            ),
            alt=(
                "Four 3 by 3 grids of integers. Sobel x: -1 0 1, -2 0 2, -1 0 1. Sobel y: "
                "-1 -2 -1, 0 0 0, 1 2 1. Blur, divided by 16: 1 2 1, 2 4 2, 1 2 1. "
                "Sharpen: 0 -1 0, -1 5 -1, 0 -1 0."
            ),
        ),
        Figure(
            "feature-maps", draw_maps, format="png",
            caption=(
                "A photograph and its four feature maps, each with its own colour bar. "
                "Look at the Sobel maps: flat areas are near 0 (the middle of the diverging "
                "scale) and edges light up, positive or negative depending on which side is "
                "brighter; Sobel x finds vertical edges and Sobel y horizontal ones. The "
                "sharpen map goes outside [0, 1], which its colour bar shows."
            ),
            alt=(
                "Six panels, each with its colour bar. A grayscale portrait of Grace Hopper in "
                "uniform in front of a flag; the same portrait blurred; two edge maps on a "
                "purple-white-orange scale where the outlines of her cap, glasses, face and "
                "jacket stand out on a pale background, vertical edges in one and horizontal "
                "edges in the other; a sharpened portrait; and an edge-strength map, dark "
                "except bright outlines."
            ),
        ),
    ),
)

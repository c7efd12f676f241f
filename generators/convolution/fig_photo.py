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


# the figures' panels, counted from the data above: the photo, one map per kernel, edge strength
WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
N_KERNELS = len(KERNELS)
N_MAP_PANELS = N_KERNELS + 1                     # + the edge strength combining the Sobel maps


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
            "sharpen_max": float(maps["sharpen"].max()), "shrink": p["shrink"],
            "n_kernels": N_KERNELS, "n_map_panels": len(maps)}


def draw_kernels(d: dict, p: Params, theme) -> object:
    from matplotlib.colors import Normalize

    # A row of four kernels; on a phone two rows of two.
    fig, axes = subplots(theme, 4, height=2.3, narrow_height=1.85, narrow_cols=2)
    for ax, (name, (k, divisor)) in zip(axes, KERNELS.items()):
        lim = np.abs(k).max()
        norm = Normalize(-1.6 * lim, 1.6 * lim)            # never the full colour: text on top
        ax.imshow(k, cmap=theme.diverging, norm=norm)
        for (i, j), v in np.ndenumerate(k):
            ax.text(j, i, f"{v:d}".replace("-", "−"), ha="center", va="center",
                    color=theme.ink_on(theme.diverging(norm(v))), fontsize=12)
        ax.set_title(name if divisor == 1 else f"{name} (÷ {divisor})", fontsize=11)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout(w_pad=1.5, h_pad=1.0)
    return fig


def draw_maps(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    maps = d["maps"]
    # the photograph and the maps that look like it stay black-to-white photographs
    panels = [("photo", d["photo"], theme.photo, 0.0, 1.0),
              ("blur", maps["blur"], theme.photo, 0.0, 1.0)]
    for name in ("Sobel x", "Sobel y"):
        lim = max(np.abs(maps["Sobel x"]).max(), np.abs(maps["Sobel y"]).max())
        panels.append((name, maps[name], theme.diverging, -lim, lim))
    panels.append(("sharpen", maps["sharpen"], theme.photo, maps["sharpen"].min(), maps["sharpen"].max()))
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
             "sharpen_max", "shrink", "n_kernels", "n_map_panels"),
    figures=(
        Figure(
            "kernels", draw_kernels,
            caption=(
                "The four hand-set 3 × 3 kernels. The Sobel kernels weigh one side of the "
                "window against the other; the blur's weights are all positive and sum to 1; "
                "the sharpen kernel adds the centre pixel's difference from its neighbours. "
                "Colour shows each weight's sign, as on every page: blue positive, orange "
                "negative, fading to the page colour at 0."
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
                f"A photograph and the {WORDS[N_MAP_PANELS]} maps made from it, each with "
                f"its own colour bar: the {WORDS[N_KERNELS]} feature maps, one per kernel, and "
                "the edge strength that combines the two Sobel maps. Look at the Sobel maps: "
                "flat areas are near 0 and take the page's colour, and edges light up, blue "
                "where the right (Sobel x) or lower (Sobel y) side is brighter and orange where "
                "it is darker; Sobel x finds vertical edges and Sobel y horizontal ones. The "
                "sharpen map goes outside [0, 1], which its colour bar shows."
            ),
            alt=(
                f"{WORDS[N_MAP_PANELS + 1].capitalize()} panels, each with its colour bar. A "
                "grayscale portrait of Grace Hopper in uniform in front of a flag; the same "
                "portrait blurred; two edge maps on an orange-to-blue scale where the outlines "
                "of her cap, glasses, face and jacket stand out in blue and orange on a "
                "background of the page's colour, vertical edges in one and horizontal edges "
                "in the other; a sharpened portrait; and an edge-strength map, dark except "
                "bright outlines."
            ),
        ),
    ),
)

"""Activation maximisation on the digits network: the regulariser ablation, hidden units'
synthetic and top images, and multifaceted feature visualization.

Compute: train the page's network; synthesize an image for every digit class under five
regulariser settings; synthesize each of six hidden units' images and find the training
digits that excite them most; for a few classes, cluster the training digits that excite
the class most (k-means, after Nguyen et al. 2016) and synthesize from each cluster's mean.
Draw: three grids of 8 x 8 images.
"""

from __future__ import annotations

import numpy as np

from generators.feature_visualization import (Regularisers, logits, synthesize,
                                              train_digits_net)
from generators.figure import Figure, Generator, Param, Params

SETTINGS = {  # row label -> regularisers (Yosinski et al. 2015)
    "none": Regularisers(),
    "L2 decay": Regularisers(decay=0.05),
    "blur": Regularisers(blur_sigma=0.6),
    "clipping": Regularisers(clip_fraction=0.5),
    "all three": Regularisers(decay=0.03, blur_sigma=0.5, blur_every=8, clip_fraction=0.3),
}


def compute(p: Params) -> dict:
    from sklearn.cluster import KMeans  # a well-kept k-means; imported only when computing

    if p["chosen"] not in SETTINGS:
        raise ValueError(f"parameter chosen must be one of {list(SETTINGS)}, got {p['chosen']!r}")

    model, ds, acc = train_digits_net(p["seed"], p["epochs"])
    rng = np.random.default_rng(p["seed"])
    mean = ds.X_train.mean(axis=0)
    classes = np.arange(10)
    start = mean + 0.01 * rng.standard_normal((10, 64))
    ablation, probs = {}, {}
    for label, reg in SETTINGS.items():
        images = synthesize(model, 2, classes, start, mean, reg, p["steps"], p["eta"])
        ablation[label] = images
        probs[label] = float(model.forward(images)[classes, classes].mean())
    # Hidden units: the six with the largest incoming weights, their images and top digits.
    W = model.layers[0].params["W"]
    units = np.argsort(-np.linalg.norm(W, axis=1))[: p["hidden_units"]]
    hidden = synthesize(model, 0, units, mean + 0.01 * rng.standard_normal((len(units), 64)),
                        mean, SETTINGS[p["chosen"]], p["steps"], p["eta"])
    z_hidden = model.layers[0].forward(ds.X_train)[0]
    top = [ds.X_train[np.argsort(-z_hidden[:, u])[: p["top"]]] for u in units]
    # Facets: cluster the training digits that excite each chosen class most.
    z_out = logits(model, ds.X_train)
    facets = {}
    for c in p["facet_classes"]:
        best = ds.X_train[np.argsort(-z_out[:, c])[: p["facet_pool"]]]
        km = KMeans(n_clusters=p["facets"], n_init=10, random_state=p["seed"]).fit(best)
        rows = []
        for k, centre in enumerate(km.cluster_centers_):
            members = best[km.labels_ == k]
            near = members[np.argsort(np.linalg.norm(members - centre, axis=1))[: p["top"] - 1]]
            synth = synthesize(model, 2, np.array([c]), centre[None], mean,
                               SETTINGS[p["chosen"]], p["steps"], p["eta"])[0]
            rows.append((near, synth, int(len(members))))
        facets[int(c)] = rows
    return {"ablation": ablation, "hidden": hidden, "units": units, "top": top,
            "facets": facets, "test_accuracy": acc, "prob_none": probs["none"],
            "prob_all": probs["all three"], "n_hidden": int(W.shape[0])}


def _show(ax, image: np.ndarray, theme) -> None:
    ax.imshow(image.reshape(8, 8), cmap="gray_r" if theme.name == "light" else "gray",
              vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color(theme.grid)


def draw_ablation(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    rows = list(d["ablation"])
    # One block of ten digit columns; on a phone two blocks of five, each with every row.
    blocks = (range(0, 5), range(5, 10)) if theme.narrow else (range(10),)
    size = (3.4, 2 * (0.56 * len(rows) + 0.35)) if theme.narrow else (7.2, 0.78 * len(rows) + 0.4)
    fig, axes = plt.subplots(len(blocks) * len(rows), len(blocks[0]), figsize=size,
                             layout="constrained")
    for b, digits in enumerate(blocks):
        for r, label in enumerate(rows):
            row = axes[b * len(rows) + r]
            for c, digit in enumerate(digits):
                _show(row[c], d["ablation"][label][digit], theme)
                if r == 0:
                    row[c].set_title(str(digit), fontsize=11)
            row[0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=10)
    return fig


def draw_hidden(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    n, k = len(d["units"]), p["top"]
    size = (3.4, 0.5 * n + 0.75) if theme.narrow else (5.0, 0.82 * n + 0.5)
    fig, axes = plt.subplots(n, k + 1, figsize=size, layout="constrained")
    for r, unit in enumerate(d["units"]):
        _show(axes[r, 0], d["hidden"][r], theme)
        axes[r, 0].set_ylabel(f"unit {unit + 1}", rotation=0, ha="right", va="center", fontsize=10)
        for c in range(k):
            _show(axes[r, c + 1], d["top"][r][c], theme)
    axes[0, 0].set_title("synthetic", fontsize=10)
    axes[0, (k + 1) // 2].set_title("training digits that\nexcite it most" if theme.narrow
                                    else "training digits that excite it most", fontsize=10)
    return fig


def draw_facets(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    rows = [(c, i, row) for c, facet_rows in d["facets"].items() for i, row in enumerate(facet_rows)]
    k = p["top"] - 1
    figsize = (3.3, 0.54 * len(rows) + 0.55) if theme.narrow else (4.6, 0.82 * len(rows) + 0.5)
    fig, axes = plt.subplots(len(rows), k + 1, figsize=figsize, layout="constrained")
    for r, (c, i, (near, synth, size)) in enumerate(rows):
        for j in range(k):
            _show(axes[r, j], near[j], theme)
        _show(axes[r, k], synth, theme)
        axes[r, 0].set_ylabel(f"{c}: facet {i + 1}\n({size} digits)", rotation=0, ha="right",
                              va="center", fontsize=9)
    axes[0, k].set_title("synthetic", fontsize=10)
    if theme.narrow:  # no room to spare: centred over exactly the k columns of digits
        _group_title(axes[0, :k], axes[0, k].title, "nearest training digits")
    else:
        axes[0, k // 2].set_title("nearest training digits", fontsize=10)
    return fig


def _group_title(axes, beside, text: str) -> None:
    """``text`` centred over the row of ``axes``, level with the title ``beside``.

    Placed when the figure is drawn (after the layout) and left out of the layout, so the
    axes keep their columns; ``beside`` reserves its height."""
    from matplotlib.transforms import Bbox

    def span(renderer):
        return Bbox.union([ax.get_window_extent(renderer) for ax in axes])

    header = axes[0].annotate(text, xy=(0.5, 0.0), xycoords=(span, beside), ha="center",
                              va="bottom", fontsize=10)
    header.set_in_layout(False)


GENERATOR = Generator(
    compute=compute,
    # Each grid needs two rows and two columns (hidden_units, facets and top >= 2), and
    # k-means needs at least as many digits as clusters (facet_pool >= facets).
    params={
        "seed": Param(0, "random seed for the network, the synthesis starts and k-means", min=0),
        "epochs": Param(30, "training epochs of the digits network", min=1),
        "steps": Param(200, "gradient-ascent steps of each synthesized image", min=1),
        "eta": Param(0.05, "step size η of the gradient ascent on the input pixels", min=1e-6),
        "hidden_units": Param(6, "hidden units shown (those with the largest incoming weights)",
                              min=2, max=32),
        "top": Param(5, "training digits shown beside each hidden unit (one fewer beside a facet)",
                     min=2),
        "facet_classes": Param((2, 7), "digit classes whose facets are shown", min=0, max=9),
        "facets": Param(3, "facets (k-means clusters) per class", min=2, max=10),
        "facet_pool": Param(60, "training digits that excite the class most, clustered into facets",
                            min=10, max=1347),
        "chosen": Param("L2 decay", "regulariser used for the hidden units and the facets",
                        choices=tuple(SETTINGS)),
    },
    results=("test_accuracy", "prob_none", "prob_all", "n_hidden"),
    figures=(
        Figure(
            "ablation", draw_ablation,
            caption=(
                "Images synthesized to excite each output unit (columns: the ten digits) under "
                "each regulariser (rows), starting from the mean training digit. Ink is dark on "
                "light in the light theme and light on dark in the dark theme. Compare the row "
                "none, gradient ascent alone, with all three: which look more like handwriting?"
            ),
            alt=(
                "A grid of small 8 by 8 pixel images, one column per digit 0 to 9 and one row "
                "per regulariser: none, L2 decay, blur, clipping and all three. Each image is "
                "a blurry pattern of ink; in the rows of the later regularisers the patterns "
                "are smoother and sparser."
            ),
        ),
        Figure(
            "hidden-units", draw_hidden,
            caption=(
                "Six hidden units, each shown by an image synthesized to excite it (left, with "
                "L2 decay) and by the training digits that excite it most (right). "
                "Look for the stroke the synthetic image and the digits share."
            ),
            alt=(
                "Six rows of small digit images. Each row starts with a synthetic pattern for one "
                "hidden unit, followed by five handwritten training digits."
            ),
        ),
        Figure(
            "facets", draw_facets,
            caption=(
                "Multifaceted feature visualization: the training digits that excite the output "
                "unit of a class most fall into clusters, or facets, for example different ways "
                "of writing the digit. Each row shows a facet's digits nearest its centre and the "
                "image synthesized from the facet's mean."
            ),
            alt=(
                "Rows of small digit images, three rows per chosen digit class. Each row shows four "
                "handwritten training digits from one cluster and, at the end, a synthetic image "
                "started from that cluster's mean."
            ),
        ),
    ),
)

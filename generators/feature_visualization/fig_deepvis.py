"""Activation maximisation on the digits network: the regulariser ablation, hidden units'
synthetic and top images, and multifaceted feature visualization.

Compute: train the page's network; synthesize an image for every digit class under six
regulariser settings, and measure how digit-like each is (its distance to the nearest
training digit) on ``seeds`` networks; synthesize six hidden units' images and measure
how they correlate with the mean of the training digits that excite each unit most; for a
few classes, cluster the training digits that excite the class most (k-means, after Nguyen
et al. 2016), synthesize from each cluster's mean with L2 decay towards that mean, and
measure that each facet's image stays nearest its own cluster, over ``seeds`` start noises.
Draw: three grids of 8 x 8 images.
"""

from __future__ import annotations

import numpy as np

from generators.feature_visualization import (Regularisers, logits, nearest_distance,
                                              precondition_matrix, synthesize,
                                              train_digits_net)
from generators.figure import Figure, Generator, Param, Params

SETTINGS = {  # row label -> regularisers
    "unregularised": Regularisers(),
    "L2 decay": Regularisers(decay=0.1),
    "blur": Regularisers(blur_sigma=0.6),
    "jitter": Regularisers(jitter=1),
    "decorrelated": Regularisers(decorrelate=True),
    "decorrelated + L2": Regularisers(decorrelate=True, decay=0.1),
}
CHOSEN = "decorrelated + L2"  # the recipe of the hidden units and the facets
SHORT = {"unregularised": "unreg.", "L2 decay": "L2", "decorrelated": "decorr.",  # phones
         "decorrelated + L2": "decorr.\n+ L2"}
TOP_MEAN = 20  # a hidden unit's synthetic image is compared with the mean of its top 20 digits


def slug(label: str) -> str:
    """A setting's name in result names: ``decorrelated + L2`` -> ``decorrelated_l2``."""
    return "_".join(label.lower().replace("+", " ").split())


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a, b)[0, 1])


def _one_network(p: Params, seed: int) -> dict:
    """Everything measured on the network trained with ``seed``: the ablation's images and
    numbers, and the hidden units' images, top digits and correlations."""
    model, ds, acc = train_digits_net(seed, p["epochs"])
    rng = np.random.default_rng(seed)
    X, mean = ds.X_train, ds.X_train.mean(axis=0)
    P = precondition_matrix(X)
    classes = np.arange(10)
    start = mean + p["start_noise"] * rng.standard_normal((10, 64))
    ablation, near, score = {}, {}, {}
    for label, reg in SETTINGS.items():
        images = synthesize(model, 2, classes, start, mean, reg, p["steps"], p["eta"],
                            precondition=P, rng=np.random.default_rng(seed))
        ablation[label] = images
        near[label] = float(nearest_distance(images, X).mean())
        score[label] = float(logits(model, images)[classes, classes].mean())
    # Hidden units: the six with the largest incoming weights, their images and top digits.
    W = model.layers[0].params["W"]
    units = np.argsort(-np.linalg.norm(W, axis=1))[: p["hidden_units"]]
    starts = mean + p["start_noise"] * rng.standard_normal((len(units), 64))
    z_hidden = model.layers[0].forward(X)[0]
    order = [np.argsort(-z_hidden[:, u]) for u in units]
    top_means = np.array([X[o[:TOP_MEAN]].mean(0) for o in order])
    random_means = np.array([X[rng.choice(len(X), TOP_MEAN, replace=False)].mean(0)
                             for _ in units])
    hidden, corr = {}, {}
    for label in ("unregularised", CHOSEN):
        hidden[label] = synthesize(model, 0, units, starts, mean, SETTINGS[label], p["steps"],
                                   p["eta"], precondition=P, rng=np.random.default_rng(seed))
        # correlation of the change from the mean digit, image against the top digits' mean
        corr[label] = [_corr(h - mean, t - mean) for h, t in zip(hidden[label], top_means)]
    corr["random"] = [_corr(h - mean, r - mean) for h, r in zip(hidden[CHOSEN], random_means)]
    z_synth = model.layers[0].forward(hidden[CHOSEN])[0][np.arange(len(units)), units]
    z_top = [z_hidden[o[: p["top"]], u].mean() for o, u in zip(order, units)]
    return {"model": model, "ds": ds, "acc": acc, "P": P, "ablation": ablation, "near": near,
            "score": score, "units": units, "hidden": hidden[CHOSEN],
            "top": [X[o[: p["top"]]] for o in order], "top_means": top_means, "corr": corr,
            "z_synth": float(np.mean(z_synth)), "z_top": float(np.mean(z_top))}


def _facets(p: Params, net: dict) -> tuple[dict, dict]:
    """Each chosen class's facets (nearest digits, synthetic image, change, size) and the
    numbers that check them, synthesized from ``seeds`` start noises."""
    from sklearn.cluster import KMeans  # a well-kept k-means; imported only when computing

    model, X, P = net["model"], net["ds"].X_train, net["P"]
    z_out = logits(model, X)
    # The chosen recipe, decaying towards the facet's own mean, and harder: a facet must not
    # drift into its neighbour (at the ablation's decay the 7's closest facets come within 0.03).
    reg = Regularisers(decorrelate=True, decay=p["facet_decay"])
    facets, margins, pairs, spreads, gains, pairs_global = {}, [], [], [], [], []
    mean = X.mean(axis=0)
    for c in p["facet_classes"]:
        best = X[np.argsort(-z_out[:, c])[: p["facet_pool"]]]
        km = KMeans(n_clusters=p["facets"], n_init=10, random_state=p["seed"]).fit(best)
        centres = km.cluster_centers_
        units = np.full(len(centres), c)
        runs = []
        for s in range(p["seeds"]):  # the seed changes the start noise only
            noise = np.random.default_rng([p["seed"], c, s]).standard_normal(centres.shape)
            runs.append(synthesize(model, 2, units, centres + p["start_noise"] * noise, centres,
                                   reg, p["steps"], p["eta"], precondition=P))
        runs = np.array(runs)  # (seeds, facets, 64)
        to_centre = np.linalg.norm(runs[:, :, None] - centres[None, None], axis=-1)
        own = np.diagonal(to_centre, axis1=1, axis2=2)
        other = np.where(np.eye(len(centres), dtype=bool), np.inf, to_centre).min(axis=-1)
        margins.append((other - own).min())
        synth = runs.mean(axis=0)
        spreads.append(np.linalg.norm(runs - synth, axis=-1).max())
        pairs.append(min(np.linalg.norm(synth[i] - synth[j])
                         for i in range(len(synth)) for j in range(i + 1, len(synth))))
        gains.append((logits(model, synth)[:, c] - logits(model, centres)[:, c]).mean())
        # the same ascent from each facet's mean, but decaying towards the mean of all digits
        towards_all = synthesize(model, 2, units, centres, mean, reg, p["steps"], p["eta"],
                                 precondition=P)
        pairs_global.append(min(np.linalg.norm(towards_all[i] - towards_all[j])
                                for i in range(len(synth)) for j in range(i + 1, len(synth))))
        rows = []
        for k, centre in enumerate(centres):
            members = best[km.labels_ == k]
            near = members[np.argsort(np.linalg.norm(members - centre, axis=1))[: p["top"] - 1]]
            rows.append((near, synth[k], synth[k] - centre, int(len(members))))
        facets[int(c)] = rows
    numbers = {"facet_margin": float(min(margins)), "facet_pair_min": float(min(pairs)),
               "facet_spread": float(max(spreads)),
               "facet_ratio": float(min(pairs) / max(max(spreads), 1e-12)),
               "facet_logit_gain": float(np.mean(gains)),
               "facet_pair_min_global": float(min(pairs_global))}
    return facets, numbers


def compute(p: Params) -> dict:
    nets = [_one_network(p, p["seed"] + i) for i in range(p["seeds"])]
    shown = nets[0]
    facets, facet_numbers = _facets(p, shown)
    X, ds = shown["ds"].X_train, shown["ds"]
    labels = ds.Y_train.argmax(axis=1)
    n_hidden = int(len(shown["model"].layers[0].params["b"]))
    results = {"test_accuracy": shown["acc"], "n_hidden": n_hidden,
               "seeds": int(p["seeds"]),
               "near_test": float(nearest_distance(ds.X_test, X).mean()),
               "logit_real": float(logits(shown["model"], X)[np.arange(len(X)), labels].mean())}
    for label in SETTINGS:
        for key in ("near", "score"):
            values = [n[key][label] for n in nets]
            results[f"{key}_{slug(label)}"] = float(np.mean(values))
            results[f"{key}_{slug(label)}_sd"] = float(np.std(values))
    for label in ("unregularised", CHOSEN, "random"):
        values = [np.mean(n["corr"][label]) for n in nets]
        results[f"corr_{slug(label)}"] = float(np.mean(values))
        results[f"corr_{slug(label)}_sd"] = float(np.std(values))
    results["corr_min"] = float(min(min(n["corr"][CHOSEN]) for n in nets))
    results["z_synth"], results["z_top"] = shown["z_synth"], shown["z_top"]
    results.update(facet_numbers)
    return {"ablation": shown["ablation"], "hidden": shown["hidden"], "units": shown["units"],
            "top": shown["top"], "top_means": shown["top_means"], "facets": facets, **results}


def _show(ax, image: np.ndarray, theme, *, signed: float = 0.0) -> None:
    """An 8 x 8 image: ink on the page (``theme.digits``), or with ``signed`` > 0 a signed
    change on ``theme.diverging`` from -signed to +signed."""
    if signed:
        ax.imshow(image.reshape(8, 8), cmap=theme.diverging, vmin=-signed, vmax=signed,
                  interpolation="nearest")
    else:
        ax.imshow(image.reshape(8, 8), cmap=theme.digits, vmin=0, vmax=1,
                  interpolation="nearest")
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
            text = SHORT.get(label, label) if theme.narrow else label
            row[0].set_ylabel(text, rotation=0, ha="right", va="center", fontsize=10)
    return fig


def draw_hidden(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    n, k = len(d["units"]), p["top"]
    size = (3.4, 0.5 * n + 0.9) if theme.narrow else (5.6, 0.82 * n + 0.6)
    fig, axes = plt.subplots(n, k + 2, figsize=size, layout="constrained")
    for r, unit in enumerate(d["units"]):
        _show(axes[r, 0], d["hidden"][r], theme)
        _show(axes[r, 1], d["top_means"][r], theme)
        axes[r, 0].set_ylabel(f"unit {unit + 1}", rotation=0, ha="right", va="center", fontsize=10)
        for c in range(k):
            _show(axes[r, c + 2], d["top"][r][c], theme)
    axes[0, 0].set_title("synth." if theme.narrow else "synthetic", fontsize=10)
    axes[0, 1].set_title(f"top {TOP_MEAN}\nmean" if theme.narrow else f"mean of\ntop {TOP_MEAN}",
                         fontsize=10)
    _group_title(axes[0, 2:], axes[0, 1].title, "its top digits" if theme.narrow
                 else "the training digits that\nexcite it most")
    return fig


def draw_facets(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    rows = [(c, i, row) for c, facet_rows in d["facets"].items()
            for i, row in enumerate(facet_rows)]
    k = p["top"] - 1
    lim = max(np.abs(change).max() for _, _, (_, _, change, _) in rows)
    figsize = (3.3, 0.54 * len(rows) + 0.75) if theme.narrow else (4.9, 0.82 * len(rows) + 0.6)
    fig, axes = plt.subplots(len(rows), k + 2, figsize=figsize, layout="constrained")
    for r, (c, i, (near, synth, change, size)) in enumerate(rows):
        for j in range(k):
            _show(axes[r, j], near[j], theme)
        _show(axes[r, k], synth, theme)
        _show(axes[r, k + 1], change, theme, signed=lim)
        axes[r, 0].set_ylabel(f"{c}: facet {i + 1}\n({size} digits)", rotation=0, ha="right",
                              va="center", fontsize=9)
    axes[0, k].set_title("synth." if theme.narrow else "synthetic", fontsize=10)
    axes[0, k + 1].set_title("change", fontsize=10)
    # one line: the title beside it, which reserves the height, has one line
    _group_title(axes[0, :k], axes[0, k].title,
                 "nearest digits" if theme.narrow else "nearest training digits")
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


RESULTS = ("test_accuracy", "n_hidden", "seeds", "near_test", "logit_real",
           *(f"{key}_{slug(label)}{sd}" for label in SETTINGS for key in ("near", "score")
             for sd in ("", "_sd")),
           *(f"corr_{name}{sd}" for name in ("unregularised", slug(CHOSEN), "random")
             for sd in ("", "_sd")),
           "corr_min", "z_synth", "z_top", "facet_margin", "facet_pair_min", "facet_spread",
           "facet_logit_gain", "facet_pair_min_global")

GENERATOR = Generator(
    compute=compute,
    # Each grid needs two rows and two columns (hidden_units, facets and top >= 2), and
    # k-means needs at least as many digits as clusters (facet_pool >= facets).
    params={
        "seed": Param(0, "random seed of the shown network, its synthesis starts and k-means",
                      min=0),
        "seeds": Param(5, "networks (seed, seed + 1, ...) averaged over, and start noises per facet", min=2, max=20),
        "epochs": Param(30, "training epochs of the digits network", min=1),
        "steps": Param(200, "gradient-ascent steps of each synthesized image", min=1),
        "eta": Param(0.2, "step size η of the gradient ascent on the input pixels", min=1e-6),
        "start_noise": Param(0.1, "standard deviation of the noise added to each start image",
                             min=0.0),
        "hidden_units": Param(6, "hidden units shown (those with the largest incoming weights)",
                              min=2, max=32),
        "top": Param(4, "training digits shown beside each hidden unit (one fewer beside a facet)",
                     min=2),
        "facet_classes": Param((2, 7), "digit classes whose facets are shown", min=0, max=9),
        "facets": Param(3, "facets (k-means clusters) per class", min=2, max=10),
        "facet_decay": Param(0.2, "L2 decay of the facets' synthesis, towards each facet's mean",
                             min=0.0, max=1.0),
        "facet_pool": Param(60, "training digits that excite the class most, clustered into facets",
                            min=10, max=1347),
    },
    results=RESULTS,
    figures=(
        Figure(
            "ablation", draw_ablation,
            caption=(
                "Images synthesized to raise each output unit's logit (columns: the ten digits) "
                "under each regulariser (rows), starting from the mean training digit. Without "
                "a regulariser, and with jitter, pixels swing to full ink or blank paper; L2 "
                "decay and blur soften the speckle; steps along the digits' own correlations "
                "with L2 decay (last row) give the images nearest to real handwriting."
            ),
            alt=(
                "A grid of small 8 by 8 pixel images, one column per digit 0 to 9 and one row "
                "per regulariser: unregularised, L2 decay, blur, jitter, decorrelated, and "
                "decorrelated plus L2 decay. The first rows are speckled patterns of full ink; "
                "the last row shows smooth, recognisable digits."
            ),
        ),
        Figure(
            "hidden-units", draw_hidden,
            caption=(
                "Six hidden units, each shown by an image synthesized to excite it (decorrelated "
                "steps with L2 decay), the mean of the 20 training digits that excite it most, "
                "and four of those digits. The synthetic image and the mean share their strokes: "
                "look for the ink both add to the mean digit."
            ),
            alt=(
                "Six rows of small digit images. Each row starts with a blurry synthetic pattern "
                "for one hidden unit, then a blurry mean of its top training digits that looks "
                "much like it, then four handwritten training digits."
            ),
        ),
        Figure(
            "facets", draw_facets,
            caption=(
                "Multifaceted feature visualization: the training digits that raise a class's "
                "logit most fall into clusters, or facets, different ways of writing the digit. "
                "Each row shows three of a facet's digits nearest its centre, the image "
                "synthesized from the facet's mean with L2 decay towards that mean, and the "
                "change the ascent made (blue: ink added, orange: ink removed)."
            ),
            alt=(
                "Rows of small digit images, three rows per chosen digit class. Each row shows "
                "three handwritten training digits from one cluster, a synthetic image that "
                "looks like them, and a blue and orange map of the pixels the ascent changed."
            ),
        ),
    ),
)

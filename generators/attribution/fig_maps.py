"""Saliency, gradient times input and occlusion maps for test digits, right and wrong.

Compute: the lesson's CNN trained on the digits (``generators.cnns``) from ``seeds``
seeds (seed ``seed`` + i; the first is the network the figures show). For every network:
its test accuracy, the share of |dS_c/dx| on background pixels (mean over the correctly
read test digits) and, over the first ``occlusion_digits`` correctly read test digits of
each class, the largest drop of p_c under a black (0) and a grey (0.5) occlusion patch;
results are means and standard deviations over the seeds.
For the first network, the maps: for each class in ``classes``, the correctly read test
digit whose background share is the median of its class (a typical digit, not a picked
one), and the ``n_wrong`` misread test digits of median confidence (the middle ones when
sorted by p_c); for each, the saliency dS_c/dx of the predicted class c (and, for
mistakes, of the true class), gradient times input, and both occlusion maps.
Draw: one row per digit, one column per map.
"""

from __future__ import annotations

import numpy as np

from generators.attribution import (CNN_PARAM_SPECS, cnn_params, occlusion, predict, saliency,
                                    spread, train_cnn)
from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH
from generators.nn import data


def background_share(g: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Per image, the share of sum |g| that lies on background pixels (x = 0); ``g, x: (N, 8, 8)``."""
    a = np.abs(g)
    return (a * (x == 0)).sum(axis=(1, 2)) / a.sum(axis=(1, 2))


def median_index(score: np.ndarray) -> int:
    """Index of the value nearest the median (the lower one of two equally near)."""
    return int(np.argmin(np.abs(score - np.median(score))))


def survey(model, X: np.ndarray, label: np.ndarray, p: Params) -> dict:
    """What the page quotes about one network, over the test digits."""
    probs = predict(model, X)
    pred = probs.argmax(axis=1)
    right = np.flatnonzero(pred == label)
    share = background_share(saliency(model, X[right], pred[right])[:, 0], X[right, 0])
    sample = np.concatenate([right[label[right] == k][:p["occlusion_digits"]] for k in range(10)])
    drops = {v: np.array([occlusion(model, X[i], pred[i], p["patch"], v).max() for i in sample])
             for v in (0.0, 0.5)}
    return {"probs": probs, "pred": pred, "right": right, "share": share,
            "accuracy": float(np.mean(pred == label)), "background": float(share.mean()),
            "blank": float(drops[0.0].mean()), "half": float(drops[0.5].mean()),
            "half_below_blank": float(np.mean(drops[0.5] < drops[0.0]))}


def compute(p: Params) -> dict:
    _, _, X_test, Y_test = data.digits(images=True)
    label = Y_test.argmax(axis=1)
    models = [train_cnn(cnn_params({**p, "seed": p["seed"] + i})) for i in range(p["seeds"])]
    surveys = [survey(m, X_test, label, p) for m in models]
    model, first = models[0], surveys[0]
    probs, pred, right_all = first["probs"], first["pred"], first["right"]
    # the examples: per class, the correctly read digit of median background share ...
    right = [int(right_all[label[right_all] == k][median_index(first["share"][label[right_all] == k])])
             for k in p["classes"]]
    # ... and the misread digits of median confidence
    wrong_all = np.flatnonzero(pred != label)
    order = wrong_all[np.argsort(probs[wrong_all, pred[wrong_all]], kind="stable")]
    start = max(0, (len(order) - p["n_wrong"]) // 2)
    wrong = [int(i) for i in order[start:start + p["n_wrong"]]]
    idx = np.array(right + wrong, dtype=int)
    x, c, t = X_test[idx], pred[idx], label[idx]
    occ = {v: np.array([occlusion(model, x[k], c[k], p["patch"], v) for k in range(len(idx))])
           for v in (0.0, 0.5)}
    g, g_true = saliency(model, x, c), saliency(model, x, t)
    out = {
        "x": x[:, 0], "pred": c, "label": t, "p_pred": probs[idx, c], "p_true": probs[idx, t],
        "n_right": len(right), "index": idx,
        "saliency": g[:, 0], "gxi": (x * g)[:, 0], "gxi_true": (x * g_true)[:, 0],
        "occ_black": occ[0.0], "occ_grey": occ[0.5],
        "test_accuracy": first["accuracy"], "n_errors": int(np.sum(pred != label)),
        "n_test": len(label), "patch": p["patch"], "n_params": model.n_params(),
        "maps_seeds": p["seeds"], "occlusion_sample": 10 * p["occlusion_digits"],
        "shown_background_share": background_share(g[:len(right), 0], x[:len(right), 0]),
        "class_background_share": [float(np.median(first["share"][label[right_all] == k]))
                                   for k in p["classes"]],
        # share of (digit, network) pairs where the grey patch's largest drop is below the black one's
        "grey_below_black": float(np.mean([sv["half_below_blank"] for sv in surveys])),
        "per_seed": {key: np.array([sv[key] for sv in surveys])
                     for key in ("accuracy", "background", "blank", "half")},
    }
    for key, name in (("accuracy", "seeds_accuracy"), ("background", "background_saliency"),
                      ("blank", "black_max_drop"), ("half", "grey_max_drop")):
        out[name], out[f"{name}_sd"] = spread(out["per_seed"][key])
    return out


TILE, GAP, LABEL = 8, 2.5, 8.0    # data units of the one-axes mosaic: image, gap, row labels
ABOVE = 2.2                       # a phone's layout: the row label on a line above the row


def _grid(d: dict, rows: list[int], columns: list[tuple], theme) -> object:
    """One row per example in ``rows``; columns: (title, key, kind), kind one of
    "abs" (|map| / its max), "signed" (map / max |map|), "prob" (a change of p_c, as is).
    All images sit in one axes (many small axes make a figure several times slower).
    Wide, each row's label is at its left; narrow (a phone), on a line above the row, so
    the three columns get the whole width."""
    import matplotlib.pyplot as plt

    ncol, nrow, step = len(columns) + 1, len(rows), TILE + GAP
    left, above = (0.0, ABOVE) if theme.narrow else (LABEL, 0.0)
    pitch = step + above                                         # from one row's top to the next
    probs = [d[key][rows] for _, key, kind in columns if kind == "prob"]
    prob_lim = max(np.abs(m).max() for m in probs) if probs else 1.0  # one scale for all drops
    width, height = left + ncol * step - GAP, 3.0 + nrow * pitch - GAP + 5.0
    scale = (NARROW_WIDTH - 0.1) / width if theme.narrow else 0.19   # inches per data unit
    fig, ax = plt.subplots(figsize=(scale * width, scale * height), layout="constrained")
    ims = {}
    for r, i in enumerate(rows):
        top = -r * pitch - above
        pc, ok = d["p_pred"][i], d["pred"][i] == d["label"][i]
        tiles = [(d["x"][i], dict(cmap=theme.digits, vmin=0, vmax=1))]
        for _, key, kind in columns:
            m = d[key][i]
            if kind == "abs":
                tiles.append((np.abs(m) / np.abs(m).max(), dict(cmap=theme.sequential, vmin=0, vmax=1)))
            elif kind == "signed":
                tiles.append((m / np.abs(m).max(), dict(cmap=theme.diverging, vmin=-1, vmax=1)))
            else:
                tiles.append((m, dict(cmap=theme.diverging, vmin=-prob_lim, vmax=prob_lim)))
        for col, (img, kw) in enumerate(tiles):
            x0 = left + col * step
            im = ax.imshow(img, extent=(x0, x0 + TILE, top - TILE, top), **kw)
            ax.add_patch(plt.Rectangle((x0, top - TILE), TILE, TILE, fill=False, ec=theme.grid, lw=0.8))
            if col:
                ims[columns[col - 1][2]] = (im, x0)
        what = f"a {d['label'][i]}" if ok else f"{d['label'][i]} read as {d['pred'][i]}"
        prob = "$p_c$ > 99%" if pc >= 0.995 else f"$p_c$ = {pc:.0%}"
        if theme.narrow:
            ax.text(0, top + 0.5, f"{what}, {prob}", ha="left", va="bottom", fontsize=10)
        else:
            ax.text(LABEL - 0.8, top - TILE / 2, f"{what}\n{prob}", ha="right", va="center", fontsize=10)
    for col, title in enumerate(["digit"] + [c[0] for c in columns]):
        ax.text(left + col * step + TILE / 2, 0.8, title, ha="center", va="bottom", fontsize=10)
    bottom = -(nrow - 1) * pitch - above - TILE
    inset = 1.0 if theme.narrow else 0.5                        # a phone: room between tick labels
    for kind, (im, x0) in ims.items():                           # a colour bar under its column
        cax = ax.inset_axes([x0 + inset, bottom - 2.2, TILE - 2 * inset, 0.9], transform=ax.transData)
        bar = fig.colorbar(im, cax=cax, orientation="horizontal")
        bar.outline.set_visible(False)
        bar.ax.tick_params(labelsize=9)
        if kind == "abs":
            bar.set_ticks([0, 1], labels=["0", "max"])
        elif kind == "signed":
            bar.set_ticks([-1, 0, 1], labels=["\u2212max", "0", "+max"])
        else:
            bar.set_label("drop in $p_c$", fontsize=10)
    ax.set_xlim(0, width)
    ax.set_ylim(bottom - 5.0, 3.0)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fig


def draw_saliency(d: dict, p: Params, theme) -> object:
    return _grid(d, list(range(d["n_right"])), [
        ("$|\\partial S_c/\\partial x|$", "saliency", "abs"),
        ("$x \\odot \\partial S_c/\\partial x$", "gxi", "signed")], theme)


def draw_occlusion(d: dict, p: Params, theme) -> object:
    return _grid(d, list(range(d["n_right"])), [
        ("blank patch", "occ_black", "prob"), ("grey patch", "occ_grey", "prob")], theme)


def draw_mistakes(d: dict, p: Params, theme) -> object:
    return _grid(d, list(range(d["n_right"], len(d["pred"]))), [
        ("for the answer", "gxi", "signed"), ("for the truth", "gxi_true", "signed")], theme)


GENERATOR = Generator(
    compute=compute,
    params={
        **CNN_PARAM_SPECS,
        "seeds": Param(5, "CNNs trained (seeds seed, seed + 1, ...) for the numbers the page "
                       "quotes; the maps show the first", min=2),
        "classes": Param((0, 3, 7), "digit classes, one typical correctly read test digit shown for "
                         "each", min=0, max=9),
        "n_wrong": Param(3, "misread test digits shown (those of median confidence; fewer if fewer "
                         "are misread)", min=1),
        "patch": Param(3, "side of the square occlusion patch, in pixels (the digits are 8 x 8)",
                       min=1, max=8),
        "occlusion_digits": Param(10, "correctly read test digits per class whose occlusion drops "
                                  "the page averages, for each network", min=1),
    },
    results=("test_accuracy", "n_errors", "n_test", "patch", "n_params", "maps_seeds",
             "occlusion_sample", "grey_below_black")
    + tuple(f"{name}{sd}" for name in ("seeds_accuracy", "background_saliency", "black_max_drop",
                                         "grey_max_drop") for sd in ("", "_sd")),
    figures=(
        Figure(
            "saliency", draw_saliency,
            caption=(
                "Correctly classified test digits (left), one typical digit per class (the "
                "one whose share of saliency on the background is the median of its class), the saliency "
                "$|\\partial S_c / \\partial x|$ of the class $c$ the CNN answered (middle) "
                "and gradient times input $x \\odot \\partial S_c / \\partial x$ (right), "
                "each map scaled to its own largest value. Compare the two maps: saliency "
                "also lights up background pixels, where adding ink would change the score; "
                "gradient times input is zero wherever there is no ink, and its sign says "
                "whether a stroke argued for (blue) or against (orange) the class."
            ),
            alt=(
                "A grid with one row per test digit and three columns. Left: the "
                "digit as ink on the page. Middle: a heat map from dark purple to yellow that "
                "is bright in scattered pixels, on strokes and on the background. Right: a "
                "map that is blank except on the digit's strokes, mostly blue with a few "
                "orange pixels."
            ),
        ),
        Figure(
            "occlusion", draw_occlusion,
            caption=(
                "Occlusion maps for the same digits: the drop in the probability $p_c$ of "
                "the answered class when a square patch covering that pixel is set to blank "
                "(0, no ink) or to grey (0.5), averaged over the patch positions that cover "
                "it. Both maps share one colour scale, so compare their strength directly: "
                "the stronger the blue, the more that part of the image was needed for the "
                "answer; orange marks a patch that raised $p_c$."
            ),
            alt=(
                "A grid with one row per test digit and three columns: the digit, "
                "the map for a blank patch and the map for a grey patch, on a shared "
                "diverging colour scale labelled drop in p_c. The blank-patch maps have "
                "blue blobs over parts of the strokes; the grey-patch maps are much paler."
            ),
        ),
        Figure(
            "mistakes", draw_mistakes,
            caption=(
                "Test digits the CNN got wrong, each labelled with the true class, the answer "
                "and its probability: of all its mistakes, those of median confidence. "
                "Gradient times input for the class it answered "
                "(middle) and for the true class (right), each scaled to its own largest "
                "value: blue ink argued for that class, orange ink against it. Look for "
                "strokes that argue for the wrong answer, or a missing stroke the true "
                "class would have needed."
            ),
            alt=(
                "A grid with one row per misclassified test digit and three columns: the "
                "digit labelled with its true class and the network's answer, then two "
                "maps of blue and orange pixels on the strokes, one for the answer and "
                "one for the true class."
            ),
        ),
    ),
)

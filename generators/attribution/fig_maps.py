"""Saliency, gradient times input and occlusion maps for test digits, right and wrong.

Compute: the lesson's CNN trained on the digits (``generators.cnns``); its predictions on
the test digits; for the first correctly classified test digit of each class in
``classes`` and for the first ``n_wrong`` misclassified ones: the saliency dS_c/dx of the
predicted class c (and, for mistakes, of the true class), gradient times input, and the
occlusion maps for a black (0) and a grey (0.5) patch.
Draw: one row per digit, one column per map.
"""

from __future__ import annotations

import numpy as np

from generators.attribution import (CNN_PARAM_SPECS, cnn_params, occlusion, predict, saliency,
                                    train_cnn)
from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH
from generators.nn import data


def compute(p: Params) -> dict:
    model = train_cnn(cnn_params(p))
    _, _, X_test, Y_test = data.digits(images=True)
    probs = predict(model, X_test)
    label, pred = Y_test.argmax(axis=1), probs.argmax(axis=1)
    right = [int(np.flatnonzero((label == k) & (pred == k))[0]) for k in p["classes"]]
    wrong = [int(i) for i in np.flatnonzero(label != pred)[:p["n_wrong"]]]
    idx = np.array(right + wrong, dtype=int)
    x, c, t = X_test[idx], pred[idx], label[idx]
    occ = {v: np.array([occlusion(model, x[k], c[k], p["patch"], v) for k in range(len(idx))])
           for v in (0.0, 0.5)}
    g, g_true = saliency(model, x, c), saliency(model, x, t)
    return {
        "x": x[:, 0], "pred": c, "label": t, "p_pred": probs[idx, c], "p_true": probs[idx, t],
        "n_right": len(right),
        "saliency": g[:, 0], "gxi": (x * g)[:, 0], "gxi_true": (x * g_true)[:, 0],
        "occ_black": occ[0.0], "occ_grey": occ[0.5],
        "black_max_drop": float(occ[0.0][:len(right)].max()),
        "grey_max_drop": float(occ[0.5][:len(right)].max()),
        "test_accuracy": float(np.mean(pred == label)), "n_errors": int(np.sum(pred != label)),
        "n_test": len(label), "patch": p["patch"], "n_params": model.n_params(),
        # share of |gradient| on background pixels (x = 0), averaged over the right digits
        "background_saliency": float(np.mean([np.abs(gi[xi == 0]).sum() / np.abs(gi).sum()
                                              for gi, xi in zip(g[:len(right), 0], x[:len(right), 0])])),
    }


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
        tiles = [(d["x"][i], dict(cmap="gray", vmin=0, vmax=1))]
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
        ("black patch", "occ_black", "prob"), ("grey patch", "occ_grey", "prob")], theme)


def draw_mistakes(d: dict, p: Params, theme) -> object:
    return _grid(d, list(range(d["n_right"], len(d["pred"]))), [
        ("for the answer", "gxi", "signed"), ("for the truth", "gxi_true", "signed")], theme)


GENERATOR = Generator(
    compute=compute,
    params={
        **CNN_PARAM_SPECS,
        "classes": Param((0, 3, 7), "digit classes, one correctly read test digit shown for each",
                         min=0, max=9),
        "n_wrong": Param(3, "misread test digits shown (the first ones; fewer if fewer are misread)",
                         min=1),
        "patch": Param(3, "side of the square occlusion patch, in pixels (the digits are 8 x 8)",
                       min=1, max=8),
    },
    results=("test_accuracy", "n_errors", "n_test", "patch", "n_params", "background_saliency",
             "black_max_drop", "grey_max_drop"),
    figures=(
        Figure(
            "saliency", draw_saliency,
            caption=(
                "Correctly classified test digits (left), the saliency "
                "$|\\partial S_c / \\partial x|$ of the class $c$ the CNN answered (middle) "
                "and gradient times input $x \\odot \\partial S_c / \\partial x$ (right), "
                "each map scaled to its own largest value. Compare the two maps: saliency "
                "also lights up background pixels, where adding ink would change the score; "
                "gradient times input is zero wherever there is no ink, and its sign says "
                "whether a stroke argued for (orange) or against (purple) the class."
            ),
            alt=(
                "A grid with one row per test digit and three columns. Left: the "
                "digit in white on black. Middle: a heat map from dark purple to yellow that "
                "is bright in scattered pixels, on strokes and on the background. Right: a "
                "map that is pale except on the digit's strokes, mostly orange with a few "
                "purple pixels."
            ),
        ),
        Figure(
            "occlusion", draw_occlusion,
            caption=(
                "Occlusion maps for the same digits: the drop in the probability $p_c$ of "
                "the answered class when a square patch covering that pixel is set to black "
                "(0, no ink) or to grey (0.5), averaged over the patch positions that cover "
                "it. Both maps share one colour scale, so compare their strength directly: "
                "the darker the orange, the more that part of the image was needed for the "
                "answer."
            ),
            alt=(
                "A grid with one row per test digit and three columns: the digit, "
                "the map for a black patch and the map for a grey patch, on a shared "
                "diverging colour scale labelled drop in p_c. The black-patch maps have "
                "orange blobs over parts of the strokes; the grey-patch maps are much paler."
            ),
        ),
        Figure(
            "mistakes", draw_mistakes,
            caption=(
                "Test digits the CNN got wrong, each labelled with the true class, the answer "
                "and its probability. Gradient times input for the class it answered "
                "(middle) and for the true class (right), each scaled to its own largest "
                "value: orange ink argued for that class, purple ink against it. Look for "
                "strokes that argue for the wrong answer, or a missing stroke the true "
                "class would have needed."
            ),
            alt=(
                "A grid with one row per misclassified test digit and three columns: the "
                "digit labelled with its true class and the network's answer, then two "
                "maps of orange and purple pixels on the strokes, one for the answer and "
                "one for the true class."
            ),
        ),
    ),
)

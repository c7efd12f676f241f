"""Inside the trained CNN: its learned filters, and one digit on its way through the layers.

Compute: the lesson's CNN (``generators.cnns.train_cnn``, the same network that
``fig_training`` trains); its first layer's kernels; one test image passed through the
layers one at a time, keeping every layer's output (conv z, ReLU a, max pool, softmax).
Draw: the filters with their weights written in; the feature maps of the image, one
column per filter (one row on a phone), with the layer names read off the model, and the
output probabilities.
Export ``model`` (the draw-a-digit explorer, ``site_config/assets/js/digits.js``): the
trained CNN read off the model, layer by layer (``model_json``), and the 450 test digits
as the 0-16 counts they were scanned as, for its "try a test digit" button. The browser
test ``tests/test_digits_agreement.py`` runs the page's inference (``lib/cnn.js``) on
every test digit with these weights, through JSON, against the library's predictions.
"""

from __future__ import annotations

import numpy as np

from generators.cnns import CNN_PARAM_SPECS, train_cnn
from generators.figure import Export, Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH
from generators.nn import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential, Softmax, data

DIGITS = "0123456789abcdefg"  # one character per 0-16 count in the exported test digits


def model_json(model: Sequential) -> list[dict]:
    """The layers of the lesson's CNN as JSON-ready dicts, in order, read off ``model``.

    Each has ``name`` (``conv1``, ...) and ``kind``; ``conv``: ``kernel`` [kh, kw],
    ``stride`` [sh, sw], ``padding``, ``W`` (F, C, kh, kw) and ``b`` (F,) as nested lists;
    ``maxpool``: ``size`` and ``stride``; ``dense``: ``W`` (n_out, n_in), row j holding the
    weights into unit j as in ``generators/nn/layers.py`` (z = a @ W.T + b), and ``b``
    (n_out,). Floats are written at full precision: JSON gives back the same float64s.
    """
    layers = []
    for layer in model.layers:
        entry: dict = {"name": layer.name}
        if isinstance(layer, Conv2D):
            entry.update(kind="conv", kernel=list(layer.kernel), stride=list(layer.stride),
                         padding=layer.padding, W=layer.params["W"].tolist(), b=layer.params["b"].tolist())
        elif isinstance(layer, MaxPool2D):
            entry.update(kind="maxpool", size=list(layer.size), stride=list(layer.stride))
        elif isinstance(layer, Dense):
            entry.update(kind="dense", W=layer.params["W"].tolist(), b=layer.params["b"].tolist())
        elif isinstance(layer, (ReLU, Flatten, Softmax)):
            entry["kind"] = layer.kind
        else:
            raise TypeError(f"{layer.name}: the digits explorer has no JS for {type(layer).__name__}")
        layers.append(entry)
    return layers


def digit_strings(X: np.ndarray) -> list[str]:
    """Images ``(n, 1, 8, 8)`` with values k/16 -> one 64-character string each, row by
    row, character ``DIGITS[k]`` for the count k (0-16)."""
    counts = np.rint(X.reshape(len(X), -1) * 16).astype(int)
    if not np.array_equal(counts / 16, X.reshape(len(X), -1)):
        raise ValueError("the digits are not multiples of 1/16")
    return ["".join(DIGITS[k] for k in row) for row in counts]


def compute(p: Params) -> dict:
    model = train_cnn(p)
    _, _, X_test, Y_test = data.digits(images=True)
    x = X_test[p["example"]][None]
    outputs = {}
    for layer in model.layers:
        x = layer.forward(x)[0]
        outputs[layer.name] = x[0]
    names = [layer.name for layer in model.layers]
    probs = outputs[names[-1]]
    second = int(np.argsort(probs)[-2])
    test_probs = np.concatenate([model.predict(X_test[i:i + 150]) for i in range(0, len(X_test), 150)])
    labels = Y_test.argmax(1)
    explorer = {"layers": model_json(model), "input": [1, 8, 8], "scale": 16,
                "test": {"digits": digit_strings(X_test), "labels": labels.tolist()}}
    return {"explorer": explorer, "test_probs": test_probs,
            "test_accuracy": float(np.mean(test_probs.argmax(1) == labels)),
            "test_images": len(X_test),
            "image": X_test[p["example"], 0], "filters": model.params()["conv1/W"][:, 0].copy(),
            "outputs": outputs, "names": names, "probs": probs,
            "example_label": int(Y_test[p["example"]].argmax()),
            "example_pred": int(probs.argmax()), "example_confidence": float(probs.max()),
            "example_second": second, "example_second_prob": float(probs[second]),
            "dark_maps": int(np.sum(outputs[names[1]].max(axis=(1, 2)) == 0)),
            "n_maps": outputs[names[1]].shape[0]}


def _bar(fig, im, cax, label: str = "", orientation: str = "vertical") -> None:
    from matplotlib.ticker import MaxNLocator

    bar = fig.colorbar(im, cax=cax, orientation=orientation)
    bar.ax.tick_params(labelsize=9)
    bar.outline.set_visible(False)
    if orientation == "horizontal":  # a short bar under a narrow column: few ticks
        bar.locator = MaxNLocator(nbins=3)
        bar.update_ticks()
    if label:
        bar.set_label(label, fontsize=10)


def draw_filters(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    W = d["filters"]
    lim = np.abs(W).max()
    cols = 2 if theme.narrow else 4                       # on a phone: rows of two filters
    rows = -(-len(W) // cols)
    width, height = (NARROW_WIDTH, 1.5 * rows + 0.2) if theme.narrow else (7.2, 1.85 * rows + 0.2)
    fig = plt.figure(figsize=(width, height))             # fixed layout: cheap and stable
    # margins in inches: 0.31 above for the titles, 0.65 right for the colour bar's labels
    grid = fig.add_gridspec(rows, cols + 1, width_ratios=[1] * cols + [0.1 if cols == 4 else 0.13],
                            left=0.01, right=1 - 0.648 / width, top=1 - 0.312 / height,
                            bottom=0.02, wspace=0.12, hspace=0.25)
    for f in range(len(W)):
        ax = fig.add_subplot(grid[f // cols, f % cols])
        im = ax.imshow(W[f], cmap=theme.diverging, vmin=-lim, vmax=lim)
        for (i, j), v in np.ndenumerate(W[f]):
            ax.text(j, i, f"{v:.1f}".replace("-", "−"), ha="center", va="center", fontsize=9,
                    color=theme.ink_on(theme.diverging(0.5 + 0.5 * v / lim)))
        ax.set_title(f"filter {f + 1}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    _bar(fig, im, fig.add_subplot(grid[:, cols]), "weight $W$")
    return fig


def _maps_wide(fig, n: int) -> tuple:
    """Input and output on top; below, one row per layer and one column per filter."""
    top = fig.add_gridspec(1, 2, width_ratios=[1, 2.4], left=0.08, right=0.97, top=0.93,
                           bottom=0.67, wspace=0.3)
    grid = fig.add_gridspec(3, n + 1, width_ratios=[1] * n + [0.15], left=0.08, right=0.93,
                            top=0.52, bottom=0.025, wspace=0.08, hspace=0.12)
    cells = [[fig.add_subplot(grid[r, f]) for f in range(n)] for r in range(3)]
    return fig.add_subplot(top[0]), fig.add_subplot(top[1]), cells, [
        fig.add_subplot(grid[r, n]) for r in range(3)]


def _maps_narrow(fig, n: int) -> tuple:
    """For a phone: input and output on top; below, one row per filter and one column per
    layer, each column's colour bar under it."""
    h = fig.get_size_inches()[1]
    top = fig.add_gridspec(1, 2, width_ratios=[1, 1.9], left=0.03, right=0.97, top=1 - 0.5 / h,
                           bottom=1 - 2.15 / h, wspace=0.45)
    grid = fig.add_gridspec(n + 1, 3, height_ratios=[1] * n + [0.12], left=0.19, right=0.95,
                            top=1 - 2.9 / h, bottom=0.45 / h, wspace=0.22, hspace=0.1)
    cells = [[fig.add_subplot(grid[f, r]) for f in range(n)] for r in range(3)]
    return fig.add_subplot(top[0]), fig.add_subplot(top[1]), cells, [
        fig.add_subplot(grid[n, r]) for r in range(3)]


def draw_maps(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    names, out = d["names"], d["outputs"]
    conv, relu, pool = names[0], names[1], names[2]
    n = out[conv].shape[0]
    # Fixed layouts: cheap and stable. cells[r][f] shows layer r's map of filter f.
    if theme.narrow:
        fig = plt.figure(figsize=(NARROW_WIDTH, 3.35 + 0.84 * n))
        ax_in, ax_p, cells, bars = _maps_narrow(fig, n)
    else:
        fig = plt.figure(figsize=(7.2, 5.2))
        ax_in, ax_p, cells, bars = _maps_wide(fig, n)
    sep = "\n" if theme.narrow else " "
    ax_in.imshow(d["image"], cmap=theme.digits, vmin=0, vmax=1)
    ax_in.set_title(f"input: a test{sep}image of a {d['example_label']}", fontsize=10)
    ax_in.set_xticks([])
    ax_in.set_yticks([])
    zlim, amax = np.abs(out[conv]).max(), out[relu].max()
    rows = ((conv, ": $z$", theme.diverging, -zlim, zlim),
            (relu, ": $a$", theme.sequential, 0, amax),
            (pool, "", theme.sequential, 0, amax))
    for r, (name, label, cmap, lo, hi) in enumerate(rows):
        for f in range(n):
            ax = cells[r][f]
            im = ax.imshow(out[name][f], cmap=cmap, vmin=lo, vmax=hi)
            ax.set_xticks([])
            ax.set_yticks([])
            filter_label = f"filter {f + 1}" if f == 0 else f"{f + 1}"
            if theme.narrow:  # layers head the columns, filters label the rows
                if f == 0:
                    ax.set_title(f"{name}{label}", fontsize=10)
                if r == 0:
                    ax.set_ylabel(filter_label, fontsize=10, rotation=0, ha="right", va="center")
            else:
                if r == 0:
                    ax.set_title(filter_label, fontsize=10)
                if f == 0:
                    ax.set_ylabel(f"{name}{label}", fontsize=10)
        _bar(fig, im, bars[r], orientation="horizontal" if theme.narrow else "vertical")
    colors = [theme.palette[0] if k == d["example_pred"] else theme.muted for k in range(10)]
    ax_p.bar(range(10), d["probs"], color=colors)
    ax_p.set_xticks(range(10))
    ax_p.set_ylim(0, 1)
    ax_p.set_yticks([0, 0.5, 1])
    ax_p.set_xlabel("digit", fontsize=10)
    ax_p.set_ylabel("probability", fontsize=10)
    ax_p.set_title(f"output of {names[-1]}{sep}(after {' → '.join(names[3:-1])})", fontsize=10)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={**CNN_PARAM_SPECS,
            "example": Param(30, "test digit passed through the layers (index into the 450 test digits)",
                             min=0, max=449)},
    results=("example_label", "example_pred", "example_confidence", "example_second",
             "example_second_prob", "dark_maps", "n_maps"),
    exports=(Export("model", lambda d, p: d["explorer"]),),
    figures=(
        Figure(
            "filters", draw_filters,
            caption=(
                "The first layer's kernels after training, the weights written in each cell "
                "(colour: blue positive, orange negative, one scale for all). Nobody set "
                "them: they started as random numbers and gradient descent shaped them. Look "
                "for filters that weigh one side against the other, like the hand-made edge "
                "detectors of the previous lesson."
            ),
            alt=(
                "Eight small 3 by 3 grids of weights, one per filter, each cell coloured "
                "on an orange-to-blue scale through the page colour and labelled with its "
                "value to one decimal."
            ),
        ),
        Figure(
            "feature-maps", draw_maps, format="png",
            caption=(
                "One test digit on its way through the trained CNN. Each filter has three "
                "maps: its feature map $z$ (signed, diverging scale), the same map after "
                "ReLU, which keeps only the positive part, and after max pooling. The "
                "bar chart is the network's output, one probability per digit, the chosen "
                "digit highlighted. Compare the ReLU maps: different filters light up on "
                "different strokes of the same digit."
            ),
            alt=(
                "Top: an 8 by 8 image of a handwritten digit, ink on the page, and a bar "
                "chart of ten probabilities, the highest one highlighted. Below, three small "
                "maps for each of eight filters: its signed convolution output on an "
                "orange-to-blue scale, the same map with negative values set to zero, and a "
                "smaller max-pooled version."
            ),
        ),
    ),
)

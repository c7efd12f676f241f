"""The data of the convolution explorer: three images and the lesson's kernels.

Compute: the images the page's step-by-step explorer (``assets/js/convolution.js``)
slides its window over, and the kernels it offers, with nothing computed that the page
shows: the page convolves and pools them itself with ``assets/js/lib/conv.js`` (the
library's ``Conv2D``, ``MaxPool2D`` and ``MeanPool2D`` in JavaScript; ``fig_reference``
and ``tests/test_convolution_agreement.py`` check that it gives the library's numbers).

- ``worked``: the lecture's 5 x 5 binary image (``fig_worked.IMAGE``), the default, with
  UFLDL's kernel (``fig_worked.KERNEL``).
- ``digit``: the first test digit of ``digit_label`` from ``data.digits``, 8 x 8, on the
  data set's own integer scale 0-16 (the library's X times 16: integers, exactly).
- ``photo``: the lesson's photograph as ``fig_photo`` shrinks it (mean pooling by its
  ``shrink``), the face cut out (``crop``: top, left, side) and mean-pooled again by
  ``photo_pool``, so that a window can be stepped across it: floats in [0, 1].

Kernels: each is integers and a divisor (the weights are integers / divisor, as
``fig_photo.KERNELS`` prints them), listed per size: UFLDL's kernel and the four of
``fig_photo`` (Sobel x, Sobel y, blur, sharpen) exist at 3 x 3 only; a K x K box blur
(every weight 1 / K^2, the mean of the window) exists at every size 1 to 5.

Export ``stepper``: the images, the kernels, the defaults and the controls' ranges.
Deliberately left out: figures (the lesson's worked-example figures are the static
version) and the notebook (``notebook=False``: nothing to compute there).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators.convolution import fig_photo, fig_worked
from generators.figure import Export, Generator, Param, Params
from generators.nn import MeanPool2D, data

SIZES = (1, 2, 3, 4, 5)          # kernel sizes the explorer offers
RANGES = {"size": [1, 5], "stride": [1, 3], "padding": [0, 2], "pool": [2, 3],
          "pstride": [1, 3]}     # pstride: the pooling stride
SLUGS = {"Sobel x": "sobel-x", "Sobel y": "sobel-y", "blur": "blur", "sharpen": "sharpen"}


def digit_image(label: int) -> tuple[np.ndarray, int]:
    """The first test digit with ``label``: its ``(8, 8)`` integers 0-16 and its test index."""
    ds = data.digits(images=True)
    index = int(np.flatnonzero(ds.Y_test.argmax(axis=1) == label)[0])
    scaled = ds.X_test[index, 0] * 16.0
    ints = np.rint(scaled)
    assert np.array_equal(ints, scaled), "the digits are not integers 0-16 times 1/16"
    return ints.astype(np.int64), index


def photo_image(shrink: int, crop: tuple[int, int, int], pool: int) -> np.ndarray:
    """The shrunk photo's ``crop`` (top, left, side), mean-pooled by ``pool``: ``(side // pool,) * 2``."""
    shrunk = MeanPool2D(shrink).forward(data.photo()[None, None])[0]        # (1, 1, h, w)
    top, left, side = crop
    face = shrunk[:, :, top:top + side, left:left + side]
    return MeanPool2D(pool).forward(np.ascontiguousarray(face))[0][0, 0]


def kernels() -> list[dict[str, Any]]:
    """Every kernel: key, name, and per size ``{"weights": integers, "divisor": d}``."""
    out = [{"key": "ufldl", "name": "UFLDL's kernel",
            "sizes": {"3": {"weights": fig_worked.KERNEL, "divisor": 1}}}]
    for name, (k, divisor) in fig_photo.KERNELS.items():
        out.append({"key": SLUGS[name], "name": name,
                    "sizes": {"3": {"weights": k.tolist(), "divisor": divisor}}})
    out.append({"key": "box", "name": "box blur",
                "sizes": {str(K): {"weights": np.ones((K, K), np.int64).tolist(), "divisor": K * K}
                          for K in SIZES}})
    return out


def kernel_weights(kernel: dict[str, Any], size: int) -> np.ndarray:
    """A kernel's ``(size, size)`` float weights, integers / divisor as the page divides them."""
    entry = kernel["sizes"][str(size)]
    return np.array(entry["weights"], float) / entry["divisor"]


def compute(p: Params) -> dict[str, Any]:
    digit, index = digit_image(p["digit_label"])
    photo = photo_image(fig_photo.GENERATOR.params["shrink"], p["crop"], p["photo_pool"])
    images = [
        {"key": "worked", "name": "the lecture's 5 × 5 image", "integer": True,
         "values": np.array(fig_worked.IMAGE).tolist()},
        {"key": "digit", "name": f"a handwritten {p['digit_label']} (0–16)", "integer": True,
         "values": digit.tolist()},
        {"key": "photo", "name": "the photo's face (0–1)", "integer": False,
         "values": photo.tolist()},
    ]
    stepper = {"images": images, "kernels": kernels(), "ranges": RANGES,
               "defaults": {"image": "worked", "kernel": "ufldl", "size": 3, "stride": 1,
                            "padding": 0, "mode": "conv", "pool": 2, "pstride": 2,
                            "row": 0, "col": 0}}
    return {"stepper": stepper, "images": {i["key"]: np.array(i["values"]) for i in images},
            "stepper_digit_label": p["digit_label"], "stepper_digit_index": index,
            "stepper_photo_h": photo.shape[0], "stepper_photo_w": photo.shape[1],
            "stepper_photo_pool": p["photo_pool"], "stepper_kernels": len(stepper["kernels"]),
            "stepper_products": stepper["defaults"]["size"] ** 2}


GENERATOR = Generator(
    compute=compute,
    params={
        "digit_label": Param(2, "which digit the explorer shows: the test set's first of this label",
                             min=0, max=9),
        "crop": Param((30, 42, 48), "the face in the shrunk photo: top row, left column, side"),
        "photo_pool": Param(3, "mean pooling of the face crop to a steppable size", min=1),
    },
    results=("stepper_digit_label", "stepper_photo_h", "stepper_photo_w", "stepper_kernels",
             "stepper_products"),
    exports=(Export("stepper", lambda d, p: d["stepper"]),),
    notebook=False,
)

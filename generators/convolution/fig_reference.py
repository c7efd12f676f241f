"""Reference cases of the library's convolution and pooling, which the page's JS must equal.

Compute: ``Conv2D`` (weights written in by hand or drawn from a seeded generator),
``MaxPool2D`` and ``MeanPool2D`` forward passes on a list of small cases, with their
inputs and outputs. Export ``reference`` (not loaded by any page): the browser test
``tests/test_convolution_agreement.py`` runs each case through ``assets/js/lib/conv.js``
and asserts the same numbers, exactly for the integer cases, to 1e-12 relative for floats.

Coverage, case by case (``CONV_CASES``, ``POOL_CASES``): integer images and integer
kernels; float images and kernels; two input channels and three output channels with
biases; kernel sizes 1 to 5 and a rectangular 2 x 3; strides 1, 2, 3 and (2, 1); padding
0, 1 and 2; sizes where the windows leave pixels over. Pooling: max and mean, regions
2 x 2, 3 x 3 and 2 x 3, an overlapping stride, leftover rows and columns. Then the
explorer's own three images (``fig_stepper``) with each of its kernels at each size, at
stride 1 without padding and at stride 2 with padding 1, and pooled as the explorer pools.

Deliberately left out: figures and the notebook (``notebook=False``): it only produces
test data.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators.convolution import fig_stepper
from generators.figure import Export, Generator, Param, Params
from generators.nn import Conv2D, MaxPool2D, MeanPool2D

# name, (C, h, w) of the image, (F, kh, kw) of the kernels, stride, padding, kind:
# "int" draws integers (images 0..9, kernels -3..3, biases -2..2: exact in float64),
# "float" normal floats.
CONV_CASES: tuple[tuple[str, tuple[int, int, int], tuple[int, int, int], Any, int, str], ...] = (
    ("int 6x6 k3 s1 p0", (1, 6, 6), (1, 3, 3), 1, 0, "int"),
    ("int 7x7 k3 s2 p1 (leftover none)", (1, 7, 7), (1, 3, 3), 2, 1, "int"),
    ("int 8x7 k3 s3 p0 (leftover pixels)", (1, 8, 7), (1, 3, 3), 3, 0, "int"),
    ("int 6x6 k1 s1 p2", (1, 6, 6), (1, 1, 1), 1, 2, "int"),
    ("int 9x9 k5 s2 p2", (1, 9, 9), (1, 5, 5), 2, 2, "int"),
    ("int 6x8 k4 s(2,1) p1", (1, 6, 8), (1, 4, 4), (2, 1), 1, "int"),
    ("int 5x7 k2x3 s1 p0", (1, 5, 7), (1, 2, 3), 1, 0, "int"),
    ("int C2 F3 k3 s1 p1 biases", (2, 6, 5), (3, 3, 3), 1, 1, "int"),
    ("float 7x7 k3 s1 p0", (1, 7, 7), (1, 3, 3), 1, 0, "float"),
    ("float 10x9 k5 s3 p1 (leftover pixels)", (1, 10, 9), (1, 5, 5), 3, 1, "float"),
    ("float C2 F3 k2x3 s(2,1) p2 biases", (2, 7, 6), (3, 2, 3), (2, 1), 2, "float"),
    ("float C2 F3 k4 s2 p0 biases", (2, 9, 8), (3, 4, 4), 2, 0, "float"),
)
# name, (h, w), size, stride (None: the size), kind
POOL_CASES: tuple[tuple[str, tuple[int, int], Any, Any, str], ...] = (
    ("int 4x4 m2", (4, 4), 2, None, "int"),
    ("int 7x8 m3 (leftover rows and columns)", (7, 8), 3, None, "int"),
    ("int 6x7 m2x3", (6, 7), (2, 3), None, "int"),
    ("int 5x5 m3 s1 (overlapping)", (5, 5), 3, 1, "int"),
    ("float 9x9 m2 s1 (overlapping)", (9, 9), 2, 1, "float"),
    ("float 8x7 m3 s2 (overlapping, leftover)", (8, 7), 3, 2, "float"),
    ("float 6x9 m2x3 s(1,2)", (6, 9), (2, 3), (1, 2), "float"),
)


def _conv(x: np.ndarray, W: np.ndarray, b: np.ndarray, stride: Any, padding: int) -> np.ndarray:
    """The library's ``Conv2D`` with weights ``W: (F, C, kh, kw)``, ``b: (F,)`` on ``x: (C, h, w)``."""
    F, C, kh, kw = W.shape
    layer = Conv2D(C, F, (kh, kw), stride=stride, padding=padding, rng=np.random.default_rng(0))
    layer.params["W"][...] = W          # set by hand
    layer.params["b"][...] = b
    return layer.forward(x[None].astype(float))[0][0]


def _pool(kind: str, x: np.ndarray, size: Any, stride: Any) -> np.ndarray:
    """The library's ``MaxPool2D`` or ``MeanPool2D`` on ``x: (C, h, w)``."""
    layer = (MaxPool2D if kind == "max" else MeanPool2D)(size, stride)
    return layer.forward(np.ascontiguousarray(x[None], float))[0][0]


def _jsonable(stride: Any) -> Any:
    return list(stride) if isinstance(stride, tuple) else stride


def conv_case(name: str, x: np.ndarray, W: np.ndarray, b: np.ndarray, stride: Any, padding: int,
              exact: bool) -> dict[str, Any]:
    """One convolution case: its inputs and the library's output ``(F, h_out, w_out)``."""
    return {"name": name, "x": x.tolist(), "W": W.tolist(), "b": b.tolist(),
            "stride": _jsonable(stride), "padding": padding, "exact": exact,
            "out": _conv(x, W, b, stride, padding).tolist()}


def pool_case(name: str, x: np.ndarray, size: Any, stride: Any, exact: bool) -> list[dict[str, Any]]:
    """Max and mean pooling of ``x: (C, h, w)``: two cases (the mean of integers is a float)."""
    out = []
    for kind in ("max", "mean"):
        out.append({"name": f"{kind} {name}", "kind": kind, "x": x.tolist(), "size": _jsonable(size),
                    "stride": _jsonable(stride), "exact": exact and kind == "max",
                    "out": _pool(kind, x, size, stride).tolist()})
    return out


def compute(p: Params) -> dict[str, Any]:
    rng = np.random.default_rng(p["seed"])
    conv, pool = [], []
    for name, (C, h, w), (F, kh, kw), stride, padding, kind in CONV_CASES:
        if kind == "int":
            x = rng.integers(0, 10, (C, h, w)).astype(float)
            W = rng.integers(-3, 4, (F, C, kh, kw)).astype(float)
            b = rng.integers(-2, 3, F).astype(float) if F > 1 else np.zeros(F)
        else:
            x, W, b = rng.normal(size=(C, h, w)), rng.normal(size=(F, C, kh, kw)), rng.normal(size=F)
        conv.append(conv_case(name, x, W, b, stride, padding, kind == "int"))
    for name, (h, w), size, stride, kind in POOL_CASES:
        x = rng.integers(0, 10, (1, h, w)).astype(float) if kind == "int" else rng.normal(size=(1, h, w))
        pool.extend(pool_case(name, x, size, stride, kind == "int"))
    # The explorer's own images with each of its kernels, as the page computes them.
    stepper = fig_stepper.compute(fig_stepper.GENERATOR.params)["stepper"]
    for image in stepper["images"]:
        x = np.array(image["values"], float)[None]
        for kernel in stepper["kernels"]:
            for size in kernel["sizes"]:
                W = fig_stepper.kernel_weights(kernel, int(size))[None, None]
                exact = image["integer"] and kernel["sizes"][size]["divisor"] == 1
                for stride, padding in ((1, 0), (2, 1)):
                    conv.append(conv_case(f"explorer {image['key']} {kernel['key']} {size}x{size} "
                                          f"s{stride} p{padding}", x, W, np.zeros(1), stride,
                                          padding, exact))
        for m in (2, 3):
            for stride in (1, m):
                pool.extend(pool_case(f"explorer {image['key']} m{m} s{stride}", x, m, stride,
                                      image["integer"]))
    return {"reference": {"conv": conv, "pool": pool},
            "reference_conv_cases": len(conv), "reference_pool_cases": len(pool)}


GENERATOR = Generator(
    compute=compute,
    params={"seed": Param(15, "random seed for the cases' images, kernels and biases", min=0)},
    results=("reference_conv_cases", "reference_pool_cases"),
    exports=(Export("reference", lambda d, p: d["reference"]),),
    notebook=False,
)

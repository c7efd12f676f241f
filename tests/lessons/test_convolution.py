"""The lesson "Convolution and pooling": its generators compute what the text claims."""

from __future__ import annotations


import matplotlib
import numpy as np

from generators.convolution import fig_photo, fig_pooling, fig_reference, fig_stepper, fig_worked
from generators.nn import Conv2D, MaxPool2D, MeanPool2D
from lessonkit import params
from lessonkit import test_every_figure_draws_in_both_themes  # noqa: F401 (shared tests)

matplotlib.use("Agg")
MODULES = (fig_worked, fig_photo, fig_pooling)


def cross_correlate(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Slow reference: one explicit sum of products per output pixel, no flip."""
    k = kernel.shape[0]
    h, w = x.shape[0] - k + 1, x.shape[1] - k + 1
    return np.array([[np.sum(x[i:i + k, j:j + k] * kernel) for j in range(w)] for i in range(h)])


def test_worked_example_matches_ufldl(computed) -> None:
    d = computed[fig_worked.__name__]
    np.testing.assert_array_equal(d["feature"], [[4, 3, 4], [2, 4, 3], [2, 3, 4]])
    r, c = fig_worked.GENERATOR.params["window"]
    assert d["worked_value"] == d["feature"][r, c]
    assert (d["worked_row"], d["worked_col"]) == (r + 1, c + 1)


def test_worked_pooling_matches_a_hand_computation(computed) -> None:
    d = computed[fig_worked.__name__]
    m = d["pool"]
    blocks = d["fmap"].reshape(2, m, 2, m).swapaxes(1, 2).reshape(2, 2, -1)
    np.testing.assert_array_equal(d["pooled_max"], blocks.max(axis=2))
    np.testing.assert_allclose(d["pooled_mean"], blocks.mean(axis=2))
    assert d["region_max"] == blocks[0, 0].max() and d["region_mean"] == blocks[0, 0].mean()


def test_photo_kernels_equal_explicit_cross_correlation(computed) -> None:
    d = computed[fig_photo.__name__]
    crop = d["photo"][40:52, 50:61]                     # a patch with edges, kept small
    for name, (kernel, divisor) in fig_photo.KERNELS.items():
        expected = cross_correlate(crop, kernel / divisor)
        np.testing.assert_allclose(d["maps"][name][40:50, 50:59], expected, atol=1e-12)


def test_sobel_is_not_flipped_and_blur_keeps_the_range(computed) -> None:
    d = computed[fig_photo.__name__]
    ramp = np.tile(np.arange(6.0), (5, 1))[None, None]   # brighter to the right
    conv = Conv2D(1, 1, 3, rng=np.random.default_rng(0))
    conv.params["W"][0, 0] = fig_photo.KERNELS["Sobel x"][0]
    conv.params["b"][...] = 0.0
    assert np.all(conv.forward(ramp)[0] == 8.0)  # no flip: positive, as the lesson's colours say
    blur = d["maps"]["blur"]
    assert 0.0 <= blur.min() and blur.max() <= 1.0
    assert d["sharpen_min"] < 0.0 and d["sharpen_max"] > 1.0   # the text's claim
    assert (d["map_h"], d["map_w"]) == (d["photo_h"] - 2, d["photo_w"] - 2)


def test_pooling_shapes_and_max_at_least_mean(computed) -> None:
    d = computed[fig_pooling.__name__]
    m = d["m"]
    assert (d["pooled_h"], d["pooled_w"]) == (d["edges_h"] // m, d["edges_w"] // m)
    assert (d["left_rows"], d["left_cols"]) == (d["edges_h"] % m, d["edges_w"] % m)
    _, mx, _ = d["panels"][-2]
    _, mean, _ = d["panels"][-1]
    assert np.all(mx >= mean - 1e-12)
    assert d["mean_pooled_peak"] < d["max_pooled_peak"] <= d["edges_peak"]
    assert d["mean_pooled_median"] < d["max_pooled_median"]


def test_other_pool_sizes_work() -> None:
    d = fig_pooling.GENERATOR.compute(params(fig_pooling, sizes=(3,)))
    assert d["m"] == 3 and d["pooled_h"] == d["edges_h"] // 3


def test_the_photo_caption_counts_the_maps_it_shows(computed) -> None:
    import matplotlib.pyplot as plt

    from generators.style import themes

    d = computed[fig_photo.__name__]
    assert d["n_kernels"] == len(fig_photo.KERNELS) == 4
    assert d["n_map_panels"] == len(d["maps"]) == d["n_kernels"] + 1    # + the edge strength
    figure = next(f for f in fig_photo.GENERATOR.figures if f.name == "feature-maps")
    fig = figure.draw(d, fig_photo.GENERATOR.params, themes()[0])
    images = [ax for ax in fig.axes if ax.images and ax.get_title()]     # not the colour bars
    plt.close(fig)
    assert len(images) == 1 + d["n_map_panels"]                          # the photo and its maps
    words = fig_photo.WORDS
    assert f"the {words[d['n_map_panels']]} maps made from it" in figure.caption
    assert f"the {words[d['n_kernels']]} feature maps, one per kernel" in figure.caption
    assert figure.alt.startswith(f"{words[1 + d['n_map_panels']].capitalize()} panels")


# -- the step-by-step explorer's data and the reference cases (fig_stepper, fig_reference) --

def test_the_stepper_opens_on_the_worked_example() -> None:
    d = fig_stepper.compute(params(fig_stepper))
    stepper, worked = d["stepper"], fig_worked.compute(params(fig_worked))
    dflt = stepper["defaults"]
    image = next(im for im in stepper["images"] if im["key"] == dflt["image"])
    kernel = next(k for k in stepper["kernels"] if k["key"] == dflt["kernel"])
    assert image["values"] == fig_worked.IMAGE
    W = fig_stepper.kernel_weights(kernel, dflt["size"])
    np.testing.assert_array_equal(W, worked["kernel"])
    # The default output, as the page computes it, is fig_worked's feature.
    z = fig_reference._conv(np.array(image["values"], float)[None], W[None, None], np.zeros(1),
                            dflt["stride"], dflt["padding"])[0]
    np.testing.assert_array_equal(z, worked["feature"])
    assert d["stepper_products"] == dflt["size"] ** 2 == 9


def test_the_stepper_images_and_kernels() -> None:
    d = fig_stepper.compute(params(fig_stepper))
    images = {im["key"]: np.array(im["values"]) for im in d["stepper"]["images"]}
    digit = images["digit"]
    assert digit.shape == (8, 8) and digit.dtype.kind == "i" and 0 <= digit.min() and digit.max() == 16
    photo = images["photo"]
    assert photo.shape == (d["stepper_photo_h"], d["stepper_photo_w"]) == (16, 16)
    assert 0.0 <= photo.min() and photo.max() <= 1.0 and photo.std() > 0.1     # a face, not a flat patch
    kernels = {k["key"]: k for k in d["stepper"]["kernels"]}
    for name, (k, divisor) in fig_photo.KERNELS.items():
        kernel = kernels[fig_stepper.SLUGS[name]]
        assert list(kernel["sizes"]) == ["3"]                   # hand-set: 3 x 3 only
        np.testing.assert_array_equal(fig_stepper.kernel_weights(kernel, 3), k / divisor)
    for K in fig_stepper.SIZES:                                 # the box blur: the window's mean
        np.testing.assert_allclose(fig_stepper.kernel_weights(kernels["box"], K).sum(), 1.0)
    lo, hi = d["stepper"]["ranges"]["size"]
    assert (lo, hi) == (min(fig_stepper.SIZES), max(fig_stepper.SIZES))


def test_reference_cases_are_the_librarys_outputs() -> None:
    d = fig_reference.compute(params(fig_reference))
    ref = d["reference"]
    assert d["reference_conv_cases"] == len(ref["conv"]) >= 12 and d["reference_pool_cases"] == len(ref["pool"])
    for case in ref["conv"][:len(fig_reference.CONV_CASES)]:   # against a slow explicit sum
        x, W, b = (np.array(case[k], float) for k in ("x", "W", "b"))
        s = case["stride"] if isinstance(case["stride"], list) else [case["stride"]] * 2
        p = case["padding"]
        xp = np.pad(x, ((0, 0), (p, p), (p, p)))
        F, _, kh, kw = W.shape
        ho, wo = (xp.shape[1] - kh) // s[0] + 1, (xp.shape[2] - kw) // s[1] + 1
        slow = np.array([[[np.sum(xp[:, i * s[0]:i * s[0] + kh, j * s[1]:j * s[1] + kw] * W[f]) + b[f]
                           for j in range(wo)] for i in range(ho)] for f in range(F)])
        np.testing.assert_allclose(case["out"], slow, rtol=1e-12, atol=1e-12, err_msg=case["name"])
        if case["exact"]:
            assert np.array_equal(np.array(case["out"]), np.round(case["out"]))
    case = next(c for c in ref["pool"] if c["name"] == "mean int 4x4 m2")
    np.testing.assert_array_equal(case["out"], MeanPool2D(2).forward(np.array(case["x"], float)[None])[0][0])
    case = next(c for c in ref["pool"] if c["name"] == "max int 7x8 m3 (leftover rows and columns)")
    np.testing.assert_array_equal(case["out"], MaxPool2D(3).forward(np.array(case["x"], float)[None])[0][0])
    assert np.array(case["out"]).shape == (1, 2, 2)

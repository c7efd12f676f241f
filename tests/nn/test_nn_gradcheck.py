"""Central-difference gradient checks (float64, max relative error <= 1e-6) for every
layer, activation, cost and penalty, and for whole models."""
import warnings

import numpy as np
import pytest

from generators.nn import (L1, L2, BinaryCrossEntropy, Conv2D, CrossEntropy, Dense, Flatten,
                           Identity, MaxPool2D, MeanPool2D, QuadraticCost, ReLU, Sequential,
                           Sigmoid, Softmax, Tanh, numerical_gradient, relative_error)

TOL = 1e-6


def check_layer(layer, x):
    """Compare backward() with central differences of F = sum(forward(x) * G)."""
    rng = np.random.default_rng(1)
    out, cache = layer.forward(x)
    G = rng.standard_normal(out.shape)
    dx, grads = layer.backward(G, cache)
    assert dx.shape == x.shape
    F = lambda: float(np.sum(layer.forward(x)[0] * G))     # noqa: E731
    assert relative_error(dx, numerical_gradient(F, x)) <= TOL
    assert set(grads) == set(layer.params)
    for name, p in layer.params.items():
        assert grads[name].shape == p.shape
        assert relative_error(grads[name], numerical_gradient(F, p)) <= TOL


def test_relative_error_catches_a_wrong_gradient():
    rng = np.random.default_rng(0)
    layer = Dense(4, 3, rng=rng)
    x = rng.standard_normal((5, 4))
    out, cache = layer.forward(x)
    dx, _ = layer.backward(np.ones_like(out), cache)
    F = lambda: float(np.sum(layer.forward(x)[0]))          # noqa: E731
    assert relative_error(dx * 1.001, numerical_gradient(F, x)) > 1e-4


def test_dense():
    rng = np.random.default_rng(0)
    check_layer(Dense(5, 3, rng=rng, bias="normal"), rng.standard_normal((4, 5)))


@pytest.mark.parametrize("stride,padding", [(1, 0), (1, 1), (2, 1), (2, 0), (3, 2)])
def test_conv2d(stride, padding):
    rng = np.random.default_rng(0)
    layer = Conv2D(3, 4, (3, 2), stride=stride, padding=padding, rng=rng, bias="normal")
    check_layer(layer, rng.standard_normal((2, 3, 7, 6)))


def test_conv2d_matches_direct_sum():
    """Reference: the definition, one output pixel at a time."""
    rng = np.random.default_rng(2)
    layer = Conv2D(2, 3, 3, stride=2, padding=1, rng=rng, bias="normal")
    x = rng.standard_normal((2, 2, 5, 6))
    out, _ = layer.forward(x)
    W, b = layer.params["W"], layer.params["b"]
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    ref = np.zeros((2, 3, 3, 3))
    for n in range(2):
        for f in range(3):
            for i in range(3):
                for j in range(3):
                    window = xp[n, :, 2 * i:2 * i + 3, 2 * j:2 * j + 3]
                    ref[n, f, i, j] = np.sum(window * W[f]) + b[f]
    np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("pool", [MaxPool2D, MeanPool2D])
@pytest.mark.parametrize("size,stride", [(2, None), ((2, 3), None), (3, 2), (2, 1)])
def test_pooling(pool, size, stride):
    rng = np.random.default_rng(0)
    check_layer(pool(size, stride), rng.standard_normal((2, 3, 7, 6)))


def test_pooling_matches_reshape_reference():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 6, 8))
    blocks = x.reshape(2, 3, 3, 2, 4, 2)
    np.testing.assert_array_equal(MaxPool2D(2).forward(x)[0], blocks.max(axis=(3, 5)))
    np.testing.assert_allclose(MeanPool2D(2).forward(x)[0], blocks.mean(axis=(3, 5)), rtol=1e-14)


def test_flatten():
    rng = np.random.default_rng(0)
    check_layer(Flatten(), rng.standard_normal((2, 3, 4, 5)))


@pytest.mark.parametrize("act", [Sigmoid, Tanh, ReLU, Identity, Softmax])
def test_activation(act):
    rng = np.random.default_rng(0)
    z = rng.standard_normal((6, 5)) * 2
    z[np.abs(z) < 1e-3] = 0.5          # keep away from ReLU's kink
    check_layer(act(), z)


def test_activations_match_definitions():
    z = np.linspace(-30, 30, 13)[None, :]
    np.testing.assert_allclose(Sigmoid().forward(z)[0], 1 / (1 + np.exp(-z)), rtol=1e-12)
    a = Softmax().forward(z)[0]
    np.testing.assert_allclose(a, np.exp(z) / np.exp(z).sum(), rtol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # no overflow warning at extreme inputs
        low, high = Sigmoid().forward(np.array([[-1000.0, 1000.0]]))[0][0]
    assert 0.0 <= low < 1e-300 and high == 1.0


@pytest.mark.parametrize("cost,kind", [(QuadraticCost(), "any"), (CrossEntropy(), "onehot"),
                                       (BinaryCrossEntropy(), "binary")])
def test_cost(cost, kind):
    rng = np.random.default_rng(0)
    a = rng.uniform(0.1, 0.9, (7, 4))
    y = {"any": rng.standard_normal((7, 4)), "binary": rng.integers(0, 2, (7, 4)) * 1.0,
         "onehot": np.eye(4)[rng.integers(0, 4, 7)]}[kind]
    C, dC = cost.value_and_grad(a, y)
    assert relative_error(dC, numerical_gradient(lambda: cost(a, y), a)) <= TOL
    assert C == cost(a, y)


def test_costs_match_the_lecture_formulas():
    a = np.array([[0.2, 0.8], [0.6, 0.4], [0.9, 0.1]])
    y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])
    n = 3
    assert QuadraticCost()(a, y) == pytest.approx(sum(np.sum((y - a) ** 2, axis=1)) / (2 * n))
    assert CrossEntropy()(a, y) == pytest.approx(-(np.log(0.8) + np.log(0.6) + np.log(0.9)) / n)
    bce = -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / n
    assert BinaryCrossEntropy()(a, y) == pytest.approx(bce)


@pytest.mark.parametrize("penalty", [L2(0.3), L1(0.3)])
def test_penalty(penalty):
    rng = np.random.default_rng(0)
    W = rng.standard_normal((4, 3))
    W[np.abs(W) < 1e-2] = 0.5          # keep away from |W|'s kink
    assert relative_error(penalty.grad(W), numerical_gradient(lambda: penalty.value([W]), W)) <= TOL
    expected = 0.15 * np.sum(W ** 2) if isinstance(penalty, L1) is False else 0.3 * np.abs(W).sum()
    assert penalty.value([W]) == pytest.approx(expected)


def model_gradcheck(model, x, y, cost, penalty=None):
    """Whole-model check: every parameter of J = C + penalty, through Sequential.backward."""
    def J():
        value = cost(model.predict(x), y)
        return value + (penalty.value(model.weights().values()) if penalty else 0.0)
    model.backward(cost.value_and_grad(model.forward(x), y)[1])
    grads = dict(model.grads)
    for name, W in model.weights().items():
        if penalty:
            grads[name] = grads[name] + penalty.grad(W)
    for name, p in model.params().items():
        assert relative_error(grads[name], numerical_gradient(J, p)) <= TOL, name


@pytest.mark.parametrize("penalty", [None, L2(0.01), L1(0.01)])
def test_cnn_model_with_penalty(penalty):
    rng = np.random.default_rng(0)
    model = Sequential([Conv2D(1, 3, 3, padding=1, stride=1), ReLU(), MaxPool2D(2),
                        Conv2D(3, 2, 2, stride=2, padding=1), Tanh(), MeanPool2D(2, 1), Flatten(),
                        Dense(8, 4), Softmax()], rng=rng)
    x = rng.standard_normal((3, 1, 8, 8))
    model_gradcheck(model, x, np.eye(4)[[0, 2, 3]], CrossEntropy(), penalty)


def test_mlp_model_quadratic_and_binary():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 3))
    mlp = Sequential([Dense(3, 4), Sigmoid(), Dense(4, 2), Sigmoid()], rng=rng)
    model_gradcheck(mlp, x, rng.uniform(0, 1, (5, 2)), QuadraticCost(), L2(0.1))
    model_gradcheck(mlp, x, rng.integers(0, 2, (5, 2)) * 1.0, BinaryCrossEntropy())


@pytest.mark.parametrize("stride", [None, 1])
def test_max_pool_routes_each_gradient_to_one_maximum_on_ties(stride):
    x = np.ones((1, 1, 4, 4))                       # every entry ties for the maximum
    layer = MaxPool2D(2, stride)
    out, cache = layer.forward(x)
    dx, _ = layer.backward(np.ones_like(out), cache)
    assert dx.sum() == out.size                     # each region passes its gradient once
    assert dx[0, 0, 0, 0] == 1.0 and dx[0, 0, 0, 1] == (1.0 if stride == 1 else 0.0)

"""The training loop, optimizers, callbacks, determinism, divergence and bad input."""
import re
from pathlib import Path

import numpy as np
import pytest

import generators.nn as nn
from generators.nn import (Adam, BinaryCrossEntropy, Conv2D, Cost, CrossEntropy, Dense,
                           EpochMetrics, GradientDescent, GradientNorms, Identity, Momentum,
                           Nesterov, ParameterSnapshots, QuadraticCost, Record, RMSProp,
                           Sequential, Sigmoid, Softmax, Tanh, TrainingDiverged, data,
                           gradient_norms, train)

LIBRARY = Path(nn.__file__).parent


def digits_mlp(seed):
    rng = np.random.default_rng(seed)
    return Sequential([Dense(64, 30), Sigmoid(), Dense(30, 10), Sigmoid()], rng=rng), rng


def test_same_seed_gives_bit_identical_weights_and_another_seed_differs():
    X, Y, _, _ = data.digits()
    runs = []
    for seed in (7, 7, 8):
        model, rng = digits_mlp(seed)
        train(model, X, Y, cost=QuadraticCost(), optimizer=Adam(0.01), epochs=2,
              batch_size=10, rng=rng)
        runs.append(model.params())
    for name in runs[0]:
        np.testing.assert_array_equal(runs[0][name], runs[1][name])
    assert any(not np.array_equal(runs[0][k], runs[2][k]) for k in runs[0])


def test_no_global_random_state_in_the_library():
    legacy = re.compile(r"np\.random\.(seed|rand|randn|randint|random|normal|uniform|choice|"
                        r"shuffle|permutation|RandomState)\b")
    for path in LIBRARY.rglob("*.py"):
        assert not legacy.search(path.read_text()), path


def test_modules_stay_small():
    for path in LIBRARY.rglob("*.py"):
        assert len(path.read_text().splitlines()) <= 170, path


def quadratic_bowl_grad(theta):
    A = np.diag([1.0, 10.0])
    return A @ theta


def test_optimizers_match_reference_formulas():
    eta, mu, rho, b1, b2, eps = 0.05, 0.9, 0.9, 0.9, 0.999, 1e-8
    theta0 = np.array([1.0, -2.0])
    runs = {cls: theta0.copy() for cls in (GradientDescent, Momentum, Nesterov, RMSProp, Adam)}
    opts = {GradientDescent: GradientDescent(eta), Momentum: Momentum(eta, mu),
            Nesterov: Nesterov(eta, mu), RMSProp: RMSProp(eta, rho, eps),
            Adam: Adam(eta, b1, b2, eps)}
    for _ in range(5):
        for cls, theta in runs.items():
            opts[cls].step({"p": theta}, {"p": quadratic_bowl_grad(theta)})
    # references, written from the textbook formulas
    gd, mom_t, mom_v = theta0.copy(), theta0.copy(), np.zeros(2)
    nes_t, nes_v, r, ad_t, m, v = theta0.copy(), np.zeros(2), np.zeros(2), theta0.copy(), 0, 0
    rms = theta0.copy()
    for t in range(1, 6):
        gd = gd - eta * quadratic_bowl_grad(gd)
        mom_v = mu * mom_v - eta * quadratic_bowl_grad(mom_t)
        mom_t = mom_t + mom_v
        nes_v = mu * nes_v - eta * quadratic_bowl_grad(nes_t + mu * nes_v)    # Sutskever et al.
        nes_t = nes_t + nes_v
        g = quadratic_bowl_grad(rms)
        r = rho * r + (1 - rho) * g ** 2
        rms = rms - eta * g / (np.sqrt(r) + eps)
        g = quadratic_bowl_grad(ad_t)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g ** 2
        ad_t = ad_t - eta * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
    np.testing.assert_allclose(runs[GradientDescent], gd, rtol=1e-12)
    np.testing.assert_allclose(runs[Momentum], mom_t, rtol=1e-12)
    np.testing.assert_allclose(runs[Nesterov], nes_t + mu * nes_v, rtol=1e-12)  # look-ahead point
    np.testing.assert_allclose(runs[RMSProp], rms, rtol=1e-12)
    np.testing.assert_allclose(runs[Adam], ad_t, rtol=1e-12)


@pytest.mark.parametrize("opt", [GradientDescent(0.3), Momentum(0.05), Nesterov(0.05),
                                 RMSProp(0.01), Adam(0.01)])
def test_every_optimizer_trains_xor(opt):
    rng = np.random.default_rng(1)
    X, Y, _, _ = data.playground("xor", rng=rng, labels="pm1")
    model = Sequential([Dense(2, 8), Tanh(), Dense(8, 1), Tanh()], rng=rng)
    history = train(model, X, Y, cost=QuadraticCost(), optimizer=opt, epochs=20,
                    batch_size=10, rng=rng)
    assert history.loss[-1] < 0.5 * history.loss[0]


def test_batch_size_one_is_plain_sgd_and_none_is_full_batch():
    rng = np.random.default_rng(0)
    X, Y, _, _ = data.playground("gauss", rng=rng, n_samples=40)
    model = Sequential([Dense(2, 1), Sigmoid()], rng=rng)
    assert train(model, X, Y, cost=QuadraticCost(), optimizer=GradientDescent(0.1), epochs=3,
                 batch_size=1, rng=rng).steps == 3 * 20
    assert train(model, X, Y, cost=QuadraticCost(), optimizer=GradientDescent(0.1),
                 epochs=3).steps == 3
    with pytest.raises(ValueError, match="rng"):
        train(model, X, Y, cost=QuadraticCost(), optimizer=GradientDescent(0.1), epochs=1,
              batch_size=4)


def test_recorders():
    X, Y, X_test, Y_test = data.digits()
    model, rng = digits_mlp(0)
    metrics = EpochMetrics(X, Y, QuadraticCost(), X_test, Y_test)
    norms, snaps = GradientNorms(every="step"), ParameterSnapshots(names=["dense2/b"])
    outputs = Record(lambda s: s.model.predict(X_test[:3]))
    history = train(model, X, Y, cost=QuadraticCost(), optimizer=GradientDescent(3.0), epochs=3,
                    batch_size=100, rng=rng, callbacks=[metrics, norms, snaps, outputs])
    assert history.epochs == 3 and history.steps == 3 * 14 and len(history.step_loss) == 42
    assert metrics.epochs == [0, 1, 2, 3] and len(metrics.test_accuracy) == 4
    assert metrics.test_accuracy[-1] > metrics.test_accuracy[0]
    assert list(norms.norms) == ["dense1/W", "dense2/W"] and len(norms.norms["dense1/W"]) == 42
    assert len(snaps.snapshots) == 4 and list(snaps.snapshots[0]) == ["dense2/b"]
    assert not np.array_equal(snaps.snapshots[0]["dense2/b"], snaps.snapshots[-1]["dense2/b"])
    np.testing.assert_array_equal(snaps.snapshots[-1]["dense2/b"], model.params()["dense2/b"])
    assert len(outputs.values) == 3 and outputs.values[-1].shape == (3, 10)
    assert history.to_dict()["loss"] == history.loss


def test_deep_sigmoid_network_has_vanishing_gradients():
    """Nielsen, chapter 5: at initialisation, earlier layers get smaller gradients."""
    X, Y, _, _ = data.digits()
    for seed in range(3):
        rng = np.random.default_rng(seed)
        sizes = [64, 30, 30, 30, 30, 10]
        layers = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            layers += [Dense(n_in, n_out, init="normal", bias="normal"), Sigmoid()]
        model = Sequential(layers, rng=rng)
        model.backward(QuadraticCost().value_and_grad(model.forward(X[:500]), Y[:500])[1])
        norms = list(gradient_norms(model).values())      # input layer first
        assert all(a < b for a, b in zip(norms[:-1], norms[1:])), norms
        assert norms[0] < norms[-1] / 3


def diverging_regression(rng):
    X, Y, _, _ = data.playground("gauss", rng=rng, n_samples=100, labels="pm1")
    return Sequential([Dense(2, 1), Identity()], rng=rng), X, Y


def test_divergence_raises_naming_epoch_and_step():
    rng = np.random.default_rng(0)
    model, X, Y = diverging_regression(rng)
    with pytest.raises(TrainingDiverged, match=r"epoch \d+, step \d+") as info:
        train(model, X, Y, cost=QuadraticCost(), optimizer=GradientDescent(eta=5.0),
              epochs=5000, batch_size=50, rng=rng)
    assert isinstance(info.value, ValueError)


def test_divergence_can_be_recorded():
    rng = np.random.default_rng(0)
    model, X, Y = diverging_regression(rng)
    history = train(model, X, Y, cost=QuadraticCost(), optimizer=GradientDescent(eta=5.0),
                    epochs=5000, batch_size=50, rng=rng, on_divergence="record")
    assert history.diverged and history.epochs < 5000
    epoch, step = history.diverged_at
    assert epoch == history.epochs and step in (1, 2)
    assert not np.isfinite(history.step_loss[-1]) and np.all(np.isfinite(history.step_loss[:-1]))
    assert history.step_loss[-2] > 1e100 * history.step_loss[0]       # it really blew up


class NanGradient(Cost):
    def value_and_grad(self, a, y):
        return 1.0, np.full(a.shape, np.nan)


def test_a_nan_gradient_with_finite_cost_also_stops_training():
    rng = np.random.default_rng(0)
    model, X, Y = diverging_regression(rng)
    with pytest.raises(TrainingDiverged, match="epoch 1, step 1: gradient"):
        train(model, X, Y, cost=NanGradient(), optimizer=GradientDescent(0.1), epochs=1)


def test_shape_mismatches_name_the_layer_and_both_shapes():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(64, 30), Sigmoid(), Dense(30, 10), Softmax()], rng=rng)
    with pytest.raises(ValueError, match=r"dense1.*\(N, 64\).*\(5, 63\)"):
        model.forward(np.zeros((5, 63)))
    cnn = Sequential([Conv2D(3, 4, 3)], rng=rng)
    with pytest.raises(ValueError, match=r"conv1.*\(N, 3, h, w\).*\(2, 1, 8, 8\)"):
        cnn.forward(np.zeros((2, 1, 8, 8)))
    with pytest.raises(ValueError, match=r"CrossEntropy.*\(5, 10\).*\(5, 9\)"):
        CrossEntropy()(np.full((5, 10), 0.1), np.zeros((5, 9)))
    with pytest.raises(ValueError, match=r"X has 5 .* Y has 4"):
        train(model, np.zeros((5, 64)), np.zeros((4, 10)), cost=CrossEntropy(),
              optimizer=GradientDescent(0.1), epochs=1)
    model.forward(np.zeros((5, 64)))
    with pytest.raises(ValueError, match=r"\(5, 1\).*\(5, 10\)"):
        model.backward(np.zeros((5, 1)))
    with pytest.raises(ValueError, match="dense1.*rng"):
        Sequential([Dense(2, 1)])


def test_summary_and_repr():
    model, _ = digits_mlp(0)
    assert repr(model) == "Sequential([Dense(64, 30), Sigmoid(), Dense(30, 10), Sigmoid()])"
    text = model.summary((64,))
    assert model.n_params() == 64 * 30 + 30 + 30 * 10 + 10
    for expected in ("dense1", "sigmoid2", "(30,)", "(10,)", "1950", "310",
                     "total parameters: 2260"):
        assert expected in text
    cnn = Sequential([Conv2D(1, 8, 3, padding=1), nn.MaxPool2D(2), nn.Flatten(), Dense(128, 10)],
                     rng=np.random.default_rng(0))
    assert "(8, 4, 4)" in cnn.summary((1, 8, 8)) and "(128,)" in cnn.summary((1, 8, 8))


def test_binary_cross_entropy_survives_saturated_outputs():
    a = np.array([[0.0], [1.0]])
    y = np.array([[1.0], [0.0]])
    C, dC = BinaryCrossEntropy().value_and_grad(a, y)
    assert np.isfinite(C) and np.all(np.isfinite(dC))

"""Learning tests with the course's fixed thresholds, on held-out test data."""
import numpy as np
import pytest

from generators.nn import (BinaryCrossEntropy, Conv2D, CrossEntropy, Dense, EpochMetrics, Flatten,
                           GradientDescent, MaxPool2D, Momentum, QuadraticCost, ReLU, Sequential,
                           Sigmoid, Softmax, Tanh, accuracy, data, train)


@pytest.mark.parametrize("name", ["circle", "xor"])
def test_playground_mlp_reaches_97_percent(name):
    rng = np.random.default_rng(0)
    X, Y, X_test, Y_test = data.playground(name, rng=rng)
    model = Sequential([Dense(2, 8), Tanh(), Dense(8, 1), Sigmoid()], rng=rng)
    train(model, X, Y, cost=BinaryCrossEntropy(), optimizer=GradientDescent(eta=0.1),
          epochs=100, batch_size=10, rng=rng)
    assert accuracy(model, X_test, Y_test) >= 0.97


def test_single_sigmoid_neuron_full_batch_gradient_descent():
    """The lessons' first example: one neuron, quadratic cost, full-batch descent,
    started from a neuron that gets nearly every point wrong."""
    rng = np.random.default_rng(0)
    X, Y, X_test, Y_test = data.playground("gauss", rng=rng, noise=0.2)
    model = Sequential([Dense(2, 1, init="normal", rng=rng), Sigmoid()])
    model.params()["dense1/W"][:] *= -1              # point the neuron the wrong way
    metrics = EpochMetrics(X, Y, QuadraticCost(), X_test, Y_test)
    history = train(model, X, Y, cost=QuadraticCost(), optimizer=GradientDescent(eta=1.0),
                    epochs=50, callbacks=[metrics])
    assert history.steps == 50                       # one step per epoch: full batch
    assert np.all(np.diff(history.loss) < 0)         # small eta: the cost falls every step
    assert metrics.test_accuracy[0] < 0.1
    assert metrics.test_accuracy[-1] >= 0.95


def test_nielsen_chapter1_digits_mlp_reaches_90_percent():
    """[64, 30, 10] sigmoid net, quadratic cost, eta = 3.0, minibatches of 10, 30 epochs."""
    X, Y, X_test, Y_test = data.digits()
    rng = np.random.default_rng(0)
    model = Sequential([Dense(64, 30, init="normal", bias="normal"), Sigmoid(),
                        Dense(30, 10, init="normal", bias="normal"), Sigmoid()], rng=rng)
    train(model, X, Y, cost=QuadraticCost(), optimizer=GradientDescent(eta=3.0),
          epochs=30, batch_size=10, rng=rng)
    assert accuracy(model, X_test, Y_test) >= 0.90


def test_small_cnn_reaches_95_percent():
    X, Y, X_test, Y_test = data.digits(images=True)
    rng = np.random.default_rng(0)
    model = Sequential([Conv2D(1, 8, 3, padding=1), ReLU(), MaxPool2D(2), Flatten(),
                        Dense(128, 10), Softmax()], rng=rng)
    train(model, X, Y, cost=CrossEntropy(), optimizer=Momentum(eta=0.05, mu=0.9),
          epochs=6, batch_size=10, rng=rng)
    assert accuracy(model, X_test, Y_test) >= 0.95

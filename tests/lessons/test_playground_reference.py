"""The playground's reference runs (``fig_reference``): what ``config.run`` does, the
minibatch orders ``train`` really drew, one run that diverges, and the coverage the
browser test relies on (every activation, penalty, problem, depth, feature set...)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from generators.nn import GradientDescent, QuadraticCost, train
from generators.playground import config, fig_reference
from lessonkit import test_every_declared_result_is_a_finite_number  # noqa: F401

MODULES = [fig_reference]
DRAWN: list = []


@pytest.fixture(scope="module")
def runs(computed) -> list[dict]:
    return computed[fig_reference.__name__]["reference"]["configs"]


def _arrays(weights: dict) -> list[np.ndarray]:
    return [np.array(W) for W in weights["W"]] + [np.array(b) for b in weights["b"]]


def _model_weights(model) -> list[np.ndarray]:
    dense = [layer for layer in model.layers if layer.params]
    return [layer.params["W"] for layer in dense] + [layer.params["b"] for layer in dense]


class RecordingRng:
    """Passes every call to a numpy Generator and keeps each ``permutation`` it returns."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng, self.orders = rng, []

    def permutation(self, n: int) -> np.ndarray:
        order = self.rng.permutation(n)
        self.orders.append(order.tolist())
        return order

    def __getattr__(self, name: str):
        return getattr(self.rng, name)


def test_config_run_gives_the_reference(runs) -> None:
    """The same setting through ``config.run``: the same points, losses and final weights."""
    for ref in runs:
        model, ds, history = config.run(ref["config"], ref["epochs"])
        assert np.array_equal(ds.X_train, np.array(ref["train"])[:, :2])
        assert np.array_equal(ds.Y_test[:, 0], np.array(ref["test"])[:, 2])
        assert all(np.array_equal(a, b) for a, b in zip(_model_weights(model), _arrays(ref["final"])))
        finite = [v if np.isfinite(v) else None for v in history.step_loss]
        assert finite == ref["step_loss"]


def test_the_replayed_orders_are_the_ones_train_drew(runs) -> None:
    for ref in runs:
        c = ref["config"]
        rng = np.random.default_rng(c["seed"])
        ds = config.make_data(c, rng)
        model = config.make_model(c, rng)
        assert all(np.array_equal(a, b) for a, b in zip(_model_weights(model), _arrays(ref["init"])))
        recorder = RecordingRng(rng)
        train(model, config.inputs(c, ds.X_train), ds.Y_train, cost=QuadraticCost(),
              optimizer=GradientDescent(eta=c["learningRate"]), epochs=ref["epochs"],
              batch_size=c["batchSize"], rng=recorder, penalty=config.penalty(c),
              on_divergence="record")
        assert recorder.orders == ref["orders"]
        assert all(sorted(order) == list(range(len(ref["train"]))) for order in ref["orders"])


def test_exactly_one_run_diverges_and_stops_there(runs) -> None:
    diverged = [ref for ref in runs if ref["diverged_at"] is not None]
    assert len(diverged) == 1
    ref = diverged[0]
    epoch, step = ref["diverged_at"]
    per_epoch = -(-len(ref["train"]) // ref["config"]["batchSize"])
    assert len(ref["step_loss"]) == (epoch - 1) * per_epoch + step
    assert ref["step_loss"][-1] is None and None not in ref["step_loss"][:-1]
    assert len(ref["orders"]) == epoch
    for other in runs:
        if other is not ref:
            assert None not in other["step_loss"] and len(other["epoch_loss"]) == other["epochs"]


def _label(ref: dict) -> str:
    c = ref["config"]
    return c["dataset"] if c["problem"] == "classification" else c["regDataset"]


def test_the_runs_cover_every_control_the_trainer_implements(runs) -> None:
    configs = [ref["config"] for ref in runs]
    assert {c["activation"] for c in configs} == set(config.ACTIVATIONS)
    assert {c["regularization"] for c in configs} == set(config.REGULARIZATIONS)
    assert {_label(r) for r in runs if r["config"]["problem"] == "classification"} == set(config.CLASSIFICATION)
    assert {_label(r) for r in runs if r["config"]["problem"] == "regression"} == set(config.REGRESSION)
    assert {0, 1, 3, 6} <= {len(c["networkShape"]) for c in configs}
    widths = {w for c in configs for w in c["networkShape"]}
    assert min(widths) == 1 and max(widths) == config.MAX_WIDTH
    features = [set(c["features"]) for c in configs]
    assert set(config.FEATURES) in features and {"xTimesY"} in features
    assert {"xSquared", "ySquared"} in features
    assert {1, 10, 30} <= {c["batchSize"] for c in configs}
    assert any(len(r["train"]) % r["config"]["batchSize"] for r in runs)
    assert len({c["learningRate"] for c in configs}) >= 4
    assert all(15 <= len(r["step_loss"]) <= 150 for r in runs)


def test_the_penalties_change_the_result(runs) -> None:
    """L1 and L2 at the chosen rates move the final weights by over 1 % of their size."""
    for ref in runs:
        c = ref["config"]
        if c["regularization"] == "none":
            continue
        plain, _, _ = config.run({**c, "regularization": "none", "regularizationRate": 0}, ref["epochs"])
        with_penalty = np.concatenate([a.ravel() for a in _arrays(ref["final"])])
        without = np.concatenate([a.ravel() for a in _model_weights(plain)])
        assert np.max(np.abs(with_penalty - without)) > 0.01 * np.max(np.abs(without)), c


def test_every_layer_learns_from_the_data(runs) -> None:
    """At the start every layer's weights get a gradient from the cost (no dead ReLU
    layer, whose weights only the penalty would move: the replay would test little)."""
    for ref in runs:
        c = ref["config"]
        model = config.make_model(c, np.random.default_rng(0))
        for (W, b), layer in zip(zip(ref["init"]["W"], ref["init"]["b"]),
                                 [layer for layer in model.layers if layer.params]):
            layer.params["W"], layer.params["b"] = np.array(W), np.array(b)
        points = np.array(ref["train"])
        a = model.forward(config.inputs(c, points[:, :2]))
        model.backward(QuadraticCost().value_and_grad(a, points[:, 2:])[1], need_dx=False)
        assert all(np.max(np.abs(g)) > 1e-6 for name, g in model.grads.items() if name.endswith("/W")), c


def test_the_export_is_small_and_exact(computed, runs) -> None:
    blob = json.dumps(computed[fig_reference.__name__]["reference"], separators=(",", ":"),
                      sort_keys=True, allow_nan=False)
    assert len(blob) < 400_000
    assert json.loads(blob)["configs"][0]["init"] == runs[0]["init"]   # floats round-trip exactly
    assert computed[fig_reference.__name__]["reference_configs"] == len(fig_reference.CONFIGS)
    assert computed[fig_reference.__name__]["reference_steps"] == sum(len(r["step_loss"]) for r in runs)

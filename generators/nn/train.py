"""The training loop: epochs of (mini)batch gradient steps, with callbacks.

One step on a batch (x, y): a = model.forward(x); C, dC/da = cost; model.backward;
add the penalty's gradient to each weight's; optimizer.step. An epoch visits the
training set once, shuffled by ``rng`` when it is split into minibatches (the last
minibatch may be smaller, as in Nielsen's network.py). ``batch_size=None`` is
full-batch gradient descent; ``batch_size=1`` is plain SGD.

Callbacks (see ``callbacks.py``) are called at the start, after every step, after
every epoch and at the end, with one ``TrainState``; figure generators record what
they need there instead of copying the loop.

A non-finite cost or gradient raises ``TrainingDiverged`` naming the epoch and step,
or, with ``on_divergence="record"``, stops and returns the history so far with
``history.diverged`` set (figures of a too-large learning rate need it).

Deliberately left out: early stopping, learning-rate schedules, validation splits
(pass a ``callbacks.EpochMetrics`` with test data), parallelism.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from .losses import L2, Cost
from .model import Sequential
from .optim import GradientDescent


_sum = np.add.reduce       # ndarray.sum without the method lookup: this runs every step


class TrainingDiverged(ValueError):
    """The cost or a gradient became NaN or infinite."""


@dataclass
class History:
    """What ``train`` returns. Epochs and steps count from 1.

    loss: mean cost (plus penalty) over the steps of each epoch; step_loss: every step's.
    diverged / diverged_at: set when training stopped on a non-finite value (epoch, step);
    the last entries of loss and step_loss are then that non-finite cost.
    """

    loss: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)
    epochs: int = 0
    steps: int = 0
    diverged: bool = False
    diverged_at: tuple[int, int] | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TrainState:
    """Passed to every callback; updated in place. ``step`` counts within the epoch."""

    model: Sequential
    optimizer: GradientDescent
    history: History
    epoch: int = 0
    step: int = 0
    global_step: int = 0
    loss: float = math.nan
    x: np.ndarray | None = None
    y: np.ndarray | None = None


class Callback:
    """Base class of callbacks: override any of the four hooks; the others do nothing."""

    def on_train_begin(self, state: TrainState) -> None: ...

    def on_step_end(self, state: TrainState) -> None: ...

    def on_epoch_end(self, state: TrainState) -> None: ...

    def on_train_end(self, state: TrainState) -> None: ...


def train(model: Sequential, X: np.ndarray, Y: np.ndarray, *, cost: Cost,
          optimizer: GradientDescent, epochs: int, batch_size: int | None = None,
          rng: np.random.Generator | None = None, penalty: L2 | None = None,
          callbacks: Sequence = (), on_divergence: str = "raise") -> History:
    """Train ``model`` on ``X: (n, ...)``, ``Y: (n, k)`` in place; return its ``History``.

    ``rng`` shuffles the minibatches (required when ``batch_size`` is set).
    ``penalty``: ``L2(lam)`` or ``L1(lam)`` on the weights. ``on_divergence``:
    "raise" (``TrainingDiverged``) or "record" (stop, flag the history).
    """
    if on_divergence not in ("raise", "record"):
        raise ValueError(f"on_divergence must be 'raise' or 'record', got {on_divergence!r}")
    if len(X) != len(Y):
        raise ValueError(f"train: X has {len(X)} examples (shape {X.shape}) "
                         f"but Y has {len(Y)} (shape {Y.shape})")
    n = len(X)
    if batch_size is not None and batch_size < 1:
        raise ValueError(f"train: batch_size must be None or >= 1, got {batch_size}")
    if batch_size is not None and rng is None:
        raise ValueError("train: minibatches are shuffled; pass rng=numpy.random.default_rng(seed)")
    bs = n if batch_size is None else batch_size
    history = History()
    state = TrainState(model, optimizer, history)
    params, weights, grads = model.params(), model.weights(), model.grads
    on_step = [cb for cb in callbacks
               if getattr(cb.on_step_end, "__func__", None) is not Callback.on_step_end]
    for cb in callbacks:
        cb.on_train_begin(state)
    # Overflow on the way to divergence is expected and detected below, so no warnings.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for epoch in range(1, epochs + 1):
            Xs, Ys = (X, Y) if batch_size is None else _shuffled(X, Y, rng)
            total, state.epoch = 0.0, epoch
            for step, i in enumerate(range(0, n, bs), start=1):
                x, y = Xs[i:i + bs], Ys[i:i + bs]
                C, dC_da = cost.value_and_grad(model.forward(x), y)
                model.backward(dC_da, need_dx=False)
                if penalty is not None:
                    C += penalty.value(weights.values())
                    for name, W in weights.items():
                        grads[name] = grads[name] + penalty.grad(W)
                # One sum instead of a test per array: a NaN or inf anywhere makes it
                # non-finite (so do gradients near 1e308, which diverge either way).
                if not math.isfinite(sum([_sum(g, None) for g in grads.values()], C)):
                    what = "cost" if not math.isfinite(C) else "gradient"
                    if on_divergence == "raise":
                        raise TrainingDiverged(f"training diverged at epoch {epoch}, step {step}: "
                                               f"{what} is not finite (cost = {C})")
                    history.step_loss.append(C)
                    history.loss.append(C)
                    history.diverged, history.diverged_at = True, (epoch, step)
                    history.epochs, history.steps = epoch, history.steps + 1
                    break
                optimizer.step(params, grads)
                history.step_loss.append(C)
                history.steps += 1
                total += C
                if on_step:
                    state.step, state.global_step, state.loss, state.x, state.y = (
                        step, history.steps, C, x, y)
                    for cb in on_step:
                        cb.on_step_end(state)
            if history.diverged:
                break
            history.loss.append(total / step)
            history.epochs = epoch
            state.step, state.loss = step, history.loss[-1]
            for cb in callbacks:
                cb.on_epoch_end(state)
    for cb in callbacks:
        cb.on_train_end(state)
    return history


def _shuffled(X: np.ndarray, Y: np.ndarray, rng: np.random.Generator) -> tuple:
    order = rng.permutation(len(X))
    return X[order], Y[order]

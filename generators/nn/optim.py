"""Optimizers: one contract, ``update(param, grad, state)``, after CS231n's ``optim.py``.

``update`` changes ``param`` in place using its gradient and a per-parameter ``state``
dict (velocity, running averages, step count) that the optimizer keeps between
steps; ``step(params, grads)`` applies it to every named parameter of a model.
eta is the learning rate, as in the lessons (UFLDL writes alpha).

Full-batch gradient descent and (minibatch) SGD are the same update; what differs
is how many examples the gradient is averaged over, which ``train(batch_size=...)``
decides: ``None`` for the whole training set, 1 for plain SGD, 10 for Nielsen's
minibatches. ``SGD`` is an alias of ``GradientDescent``.

Deliberately left out: learning-rate schedules, gradient clipping, AdaGrad/AdamW.
"""
from __future__ import annotations

import numpy as np


class GradientDescent:
    """theta := theta - eta * grad."""

    name = "sgd"                    # namespace of its ops in a traced dataflow graph
    op = "ApplyGradientDescent"

    def __init__(self, eta: float) -> None:
        self.eta = eta
        self.state: dict[str, dict] = {}

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict) -> None:
        param -= self.eta * grad

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        """Update every ``params[name]`` in place from ``grads[name]``."""
        states = self.state
        for name, param in params.items():
            state = states.get(name)
            if state is None:
                state = states[name] = {}
            self.update(param, grads[name], state)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in vars(self).items() if k != "state")
        return f"{type(self).__name__}({args})"


SGD = GradientDescent


class Momentum(GradientDescent):
    """v := mu v - eta grad;  theta := theta + v."""

    name, op = "momentum", "ApplyMomentum"

    def __init__(self, eta: float, mu: float = 0.9) -> None:
        super().__init__(eta)
        self.mu = mu

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict) -> None:
        v = state.get("v")
        v = -self.eta * grad if v is None else self.mu * v - self.eta * grad
        state["v"] = v
        param += v


class Nesterov(Momentum):
    """Nesterov momentum, in the form that keeps theta at the look-ahead point (CS231n):
    v' := mu v - eta grad;  theta := theta - mu v + (1 + mu) v'."""

    name, op = "nesterov", "ApplyNesterov"

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict) -> None:
        v = state.get("v", 0.0)
        v_new = self.mu * v - self.eta * grad
        state["v"] = v_new
        param += (1.0 + self.mu) * v_new - self.mu * v


class RMSProp(GradientDescent):
    """r := rho r + (1 - rho) grad^2;  theta := theta - eta grad / (sqrt(r) + eps)."""

    name, op = "rmsprop", "ApplyRMSProp"

    def __init__(self, eta: float = 0.001, rho: float = 0.9, eps: float = 1e-8) -> None:
        super().__init__(eta)
        self.rho, self.eps = rho, eps

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict) -> None:
        r = self.rho * state.get("r", 0.0) + (1.0 - self.rho) * grad * grad
        state["r"] = r
        param -= self.eta * grad / (np.sqrt(r) + self.eps)


class Adam(GradientDescent):
    """Adam (Kingma & Ba 2015): bias-corrected running means of grad and grad^2."""

    name, op = "adam", "ApplyAdam"

    def __init__(self, eta: float = 0.001, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        super().__init__(eta)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict) -> None:
        t = state["t"] = state.get("t", 0) + 1
        m = state["m"] = self.beta1 * state.get("m", 0.0) + (1.0 - self.beta1) * grad
        v = state["v"] = self.beta2 * state.get("v", 0.0) + (1.0 - self.beta2) * grad * grad
        m_hat = m / (1.0 - self.beta1 ** t)
        v_hat = v / (1.0 - self.beta2 ** t)
        param -= self.eta * m_hat / (np.sqrt(v_hat) + self.eps)

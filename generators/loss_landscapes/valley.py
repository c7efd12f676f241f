"""The tilted valley of the optimizer comparison: its cost, its contours, and descent on it.

C(theta) = 1/2 theta^T H theta for two parameters theta = (theta_1, theta_2), with
H = R diag(k_1, k_2) R^T: curvature k_1 along one axis and k_2 across it, the axes turned
by ``angle`` degrees. The minimum is theta = 0, where C = 0. Every update is made by the
course library's optimizers, from the exact gradient dJ/dtheta = H theta.

Deliberately left out: noise in the gradient (see the SGD lesson) and any non-quadratic
term: on a quadratic the largest stable learning rate can be worked out exactly.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Params
from generators.nn import Adam, GradientDescent, Momentum

METHODS = {"gd": "gradient descent", "momentum": "momentum", "adam": "Adam"}


def hessian(p: Params) -> np.ndarray:
    """H = R diag(k_1, k_2) R^T, R the rotation by ``angle`` degrees."""
    t = np.deg2rad(p["angle"])
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return R @ np.diag(p["curvatures"]) @ R.T


def descend(optimizer: GradientDescent, H: np.ndarray, p: Params) -> np.ndarray:
    """Positions theta after each update (row 0 is the start); stops once |theta_i| > escape."""
    theta = np.array(p["start"], dtype=float)
    path = [theta.copy()]
    for _ in range(p["steps"]):
        optimizer.step({"theta": theta}, {"theta": H @ theta})    # dJ/dtheta = H theta
        path.append(theta.copy())
        if np.abs(theta).max() > p["escape"]:
            break
    return np.array(path)


def optimizer(method: str, eta: float, mu: float) -> GradientDescent:
    """The library's optimizer for ``method``; plain gradient descent ignores mu."""
    if method == "gd":
        return GradientDescent(eta=eta)
    return Momentum(eta=eta, mu=mu) if method == "momentum" else Adam(eta=eta, beta1=mu)


def cost(H: np.ndarray, path: np.ndarray) -> np.ndarray:
    """C(theta) = 1/2 theta^T H theta at every row of ``path``."""
    return 0.5 * np.einsum("ni,ij,nj->n", path, H, path)


def steps_to(J: np.ndarray, tol: float) -> int:
    """First iteration with J < tol, or -1 if never."""
    inside = np.flatnonzero(J < tol)
    return int(inside[0]) if inside.size else -1


def contours(p: Params, H: np.ndarray, levels: np.ndarray, points: int = 72) -> list[np.ndarray]:
    """The ellipses J(theta) = c for each c in ``levels``, as ``(points + 1, 2)`` closed polylines."""
    k, vecs = np.linalg.eigh(H)
    t = np.linspace(0, 2 * np.pi, points + 1)
    return [(vecs @ np.vstack([np.sqrt(2 * c / k[0]) * np.cos(t),
                               np.sqrt(2 * c / k[1]) * np.sin(t)])).T for c in levels]


def starts_on_contour(p: Params, H: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` starting points with the same cost as ``start``: row 0 is ``start`` itself.

    The others are at random angles around the ellipse J(theta) = J(start), so every run
    has as far to fall and only the direction it comes from differs.
    """
    start = np.array(p["start"], dtype=float)
    c = float(cost(H, start[None])[0])
    k, vecs = np.linalg.eigh(H)
    angles = rng.uniform(0, 2 * np.pi, n - 1)
    others = (vecs @ np.vstack([np.sqrt(2 * c / k[0]) * np.cos(angles),
                                np.sqrt(2 * c / k[1]) * np.sin(angles)])).T
    return np.vstack([start[None], others])


def cost_label(J: float) -> str:
    """A cost as the page and its explorer write it: 2 significant digits, or ×10ⁿ.

    Between 0.01 and 100 two significant digits (``.2g``, e.g. 2.2), else one decimal
    and a power of ten (``.1e``, e.g. 4.0×10⁻⁵), both through the prose's own
    ``format_result``: the explorer shows these labels, the page quotes the same specs.
    """
    from generators.site.refs import format_result

    return format_result(J, cost_spec(J))


def cost_spec(J: float) -> str:
    """The format spec ``cost_label`` uses for ``J``."""
    return ".2g" if 0.01 <= J < 100 else ".1e"

"""Reference paths of the course library on the tilted valley, which the page's JS must reproduce.

Compute: for each (eta, mu) of ``CASES`` and each of gradient descent, momentum and Adam,
``valley.descend`` with the library's optimizer on the valley of ``fig_optimizers`` (the
same parameters): every position theta along the path (row 0 the start, stopped after the
first update that leaves |theta_i| <= escape) and the cost at each, plus the page's limits
2/k_2 and 2(1 + mu)/k_2. Export ``descent_reference``: the browser test
``tests/test_descent_agreement.py`` runs ``assets/js/lib/descent.js`` on the same Hessian
and start and asserts the same paths (same length, same escape step) to 1e-12 relative.

The cases: inside each band of the page (both converge, only momentum, neither), just
below and above 2/k_2 and 2(1 + mu)/k_2, mu = 0 (momentum is gradient descent), the
slider's ends (eta from 0.001 to 0.3, mu up to 0.99), runs that escape after a few steps
and Adam at a large eta.

Deliberately left out: figures (the test is the point) and the notebook (``notebook=False``:
it only produces test data).
"""

from __future__ import annotations

from typing import Any

from generators.figure import Export, Generator, Param, Params
from generators.loss_landscapes import fig_optimizers
from generators.loss_landscapes.valley import METHODS, cost, descend, hessian, optimizer

# (eta, mu), with k_2 = 40: 2/k_2 = 0.05 and 2(1 + mu)/k_2 = 0.09 at mu = 0.8.
CASES = (
    (0.01, 0.5),      # both converge
    (0.03, 0.8),      # the page's opening setting
    (0.0495, 0.8),    # just below 2/k_2
    (0.0505, 0.8),    # just above 2/k_2: gradient descent grows slowly
    (0.06, 0.8),      # only momentum converges
    (0.0895, 0.8),    # just below 2(1 + mu)/k_2
    (0.0905, 0.8),    # just above it: momentum diverges too
    (0.03, 0.0),      # mu = 0: momentum is gradient descent
    (0.08, 0.5),      # above 2(1 + mu)/k_2 = 0.075
    (0.3, 0.9),       # the slider's largest eta: only Adam stays
    (0.001, 0.99),    # the slider's smallest eta, largest mu
    (0.15, 0.0),      # Adam at a large eta without beta1
)


def reference_case(p: Params, eta: float, mu: float) -> dict[str, Any]:
    """One (eta, mu): each method's path (flat [x0, y0, x1, y1, ...]) and costs, the limits."""
    H = hessian(p)
    paths = {m: descend(optimizer(m, eta, mu), H, p) for m in METHODS}
    k2 = max(p["curvatures"])
    return {"eta": eta, "mu": mu,
            "paths": {m: [float(v) for v in path.ravel()] for m, path in paths.items()},
            "costs": {m: [float(v) for v in cost(H, path)] for m, path in paths.items()},
            "limits": {"gd": fig_optimizers.eta_limits(p, mu)[0],
                       "momentum": fig_optimizers.eta_limits(p, mu)[1]},
            "k_large": float(k2)}


def compute(p: Params) -> dict[str, Any]:
    H = hessian(p)
    cases = [reference_case(p, eta, mu) for eta, mu in CASES]
    return {"reference": {"hessian": [float(v) for v in H.ravel()],
                          "start": [float(v) for v in p["start"]], "steps": p["steps"],
                          "escape": p["escape"], "k_large": float(max(p["curvatures"])),
                          "cases": cases},
            "reference_descent_cases": len(cases),
            "reference_descent_points": sum(len(c["paths"][m]) // 2 for c in cases for m in METHODS)}


# The valley's own parameters, declared as the figure declares them (one valley on the page;
# an instructor who overrides the figure's valley overrides these the same way).
VALLEY = ("curvatures", "angle", "start", "steps", "escape", "mu")

GENERATOR = Generator(
    compute=compute,
    params={k: fig_optimizers.GENERATOR.param_specs[k] for k in VALLEY},
    results=("reference_descent_cases", "reference_descent_points"),
    exports=(Export("descent_reference", lambda d, p: d["reference"]),),
    notebook=False,
)

"""Playground benchmark: how fast the page's JS trainer runs in headless Chromium.

    make bench-playground    (python -m benchmarks.bench_playground [--site DIR] [--repeats N])

Builds nothing: it opens the playground page of the site already in ``site/`` (served
as ``make preview`` serves it) and times the trainer the page loaded
(``assets/js/lib/playground-nn.js``) on two settings:

- the opening one: circle, 250 training points, x1 and x2 into [4, 2] tanh units, batch 10;
- the largest: six layers of 8 tanh units from all seven features, batch 1 (250 steps
  an epoch);

for each, training steps and epochs per second (``trainEpoch`` on the page's own data
and permutations, for about half a second per repeat), and the time of one forward pass
over a 100 x 100 grid of the plane that keeps every neuron's activation (``forward``,
what the page needs to draw the output and every neuron's map). Medians of ``--repeats``
runs, interleaved, after one uncounted warm-up run each (the JIT compiles
the trainer during the first). Prints numbers, no thresholds: the machine is shared, so compare the
settings' ratios within one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

SETTINGS = {
    "opening [4, 2], x1 x2, batch 10": {"shape": [4, 2], "features": ["x", "y"], "batchSize": 10},
    "largest 6 x 8, 7 features, batch 1": {"shape": [8] * 6, "features": ["x", "y", "xSquared", "ySquared",
                                                                      "xTimesY", "sinX", "sinY"],
                                           "batchSize": 1},
}

MEASURE = """async ([setting, seconds]) => {
  const N = PlaygroundNN, D = PlaygroundData, r = N.rng(0);
  const d = D.generate("circle", 500, 0, r.uniform, r.normal);
  const s = D.split(d.X, d.Y, 50, N.permutation(500, r.uniform));
  const X = s.train.X.map((p) => N.featurize(p[0], p[1], setting.features)), Y = s.train.Y;
  const net = N.create([setting.features.length, ...setting.shape, 1], "tanh", "tanh", r.normal);
  const opts = { learningRate: 0.03, regularization: "none", regularizationRate: 0, batchSize: setting.batchSize };
  let epochs = 0, steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    steps += N.trainEpoch(net, X, Y, N.permutation(X.length, r.uniform), opts).steps;
    epochs += 1;
  }
  const train = (performance.now() - t0) / 1000;
  const grid = [];
  for (let i = 0; i < 100; i++) for (let j = 0; j < 100; j++) {
    const x1 = -6 + 12 * (j + 0.5) / 100, x2 = 6 - 12 * (i + 0.5) / 100;
    grid.push(N.featurize(x1, x2, setting.features));
  }
  const t1 = performance.now();
  let passes = 0, units = 0;
  while (performance.now() - t1 < seconds * 500 || passes < 3) {
    for (const x of grid) units += N.forward(net, x).length;
    passes += 1;
  }
  const forward = (performance.now() - t1) / passes;
  return { stepsPerSecond: steps / train, epochsPerSecond: epochs / train, forwardMs: forward,
           units: net.sizes.slice(1).reduce((a, b) => a + b, 0) };
}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site/)")
    parser.add_argument("--repeats", type=int, default=5, help="runs per setting (default 5)")
    parser.add_argument("--seconds", type=float, default=0.5, help="training time per run (default 0.5)")
    args = parser.parse_args(argv)
    if not (args.site / "visualization/playground/index.html").is_file():
        print(f"error: {args.site}/ holds no built playground page: run `make` first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    from tools.screenshots import CHROMIUM_ARGS, chromium_path
    from tools.serve_static import serve

    exe = chromium_path()
    if exe is None:
        print("error: no Chromium found; install Debian's package: apt-get install chromium", file=sys.stderr)
        return 1
    runs: dict[str, list[dict]] = {name: [] for name in SETTINGS}
    with serve(args.site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "visualization/playground/", wait_until="networkidle")
        page.wait_for_function("window.PlaygroundNN && window.PlaygroundData")
        for setting in SETTINGS.values():          # warm up the JIT; not counted
            page.evaluate(MEASURE, [setting, 0.2])
        for _ in range(args.repeats):
            for name, setting in SETTINGS.items():
                runs[name].append(page.evaluate(MEASURE, [setting, args.seconds]))
        browser.close()
    print(f"JS trainer in headless Chromium, medians of {args.repeats} runs")
    print(f"{'setting':38s}{'steps/s':>12s}{'epochs/s':>12s}{'100x100 forward ms':>22s}")
    for name, results in runs.items():
        med = {k: statistics.median(r[k] for r in results)
               for k in ("stepsPerSecond", "epochsPerSecond", "forwardMs")}
        print(f"{name:38s}{med['stepsPerSecond']:>12,.0f}{med['epochsPerSecond']:>12,.1f}"
              f"{med['forwardMs']:>22.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: generators.nn against hand-fused NumPy loops of the same maths.

Run from the repository root:

    .venv/bin/python -m benchmarks.bench_nn [--repeats 7]

For each course network (2-D MLP on the Playground circle, the digits MLP
[64, 30, 10], the digits CNN) it times one training epoch with the library's
``train`` and with a loop written out by hand below (same layers, cost, optimizer,
minibatches and shuffling; the cost of every step is computed in both, as the
library records it), interleaving the two and repeating, and prints medians and
their ratio (goal: library <= 1.5x the fused loop). Before timing, it checks that
both give the same weights after two epochs, so they really do the same maths.
Then it trains the CNN in a child process and prints that process's peak memory
(goal: <= 500 MB). A script that prints numbers, not a timed test.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

import numpy as np
from numpy.lib.stride_tricks import as_strided

from generators.nn import (BinaryCrossEntropy, Conv2D, CrossEntropy, Dense, Flatten,
                           GradientDescent, MaxPool2D, Momentum, QuadraticCost, ReLU, Sequential,
                           Sigmoid, Softmax, Tanh, data, train)

REPO = Path(__file__).resolve().parents[1]     # the child runs from the repository root
SEED, BATCH = 0, 10


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# ---- the three course networks, as library models --------------------------------------

def playground_net():
    X, Y, _, _ = data.playground("circle", rng=np.random.default_rng(SEED))
    rng = np.random.default_rng(SEED)
    model = Sequential([Dense(2, 8), Tanh(), Dense(8, 1), Sigmoid()], rng=rng)
    return model, X, Y, BinaryCrossEntropy(), GradientDescent(eta=0.1)


def digits_mlp():
    X, Y, _, _ = data.digits()
    rng = np.random.default_rng(SEED)
    model = Sequential([Dense(64, 30, init="normal", bias="normal"), Sigmoid(),
                        Dense(30, 10, init="normal", bias="normal"), Sigmoid()], rng=rng)
    return model, X, Y, QuadraticCost(), GradientDescent(eta=3.0)


def digits_cnn():
    X, Y, _, _ = data.digits(images=True)
    rng = np.random.default_rng(SEED)
    model = Sequential([Conv2D(1, 8, 3, padding=1), ReLU(), MaxPool2D(2), Flatten(),
                        Dense(128, 10), Softmax()], rng=rng)
    return model, X, Y, CrossEntropy(), Momentum(eta=0.05, mu=0.9)


# ---- hand-fused loops: one function per network, everything inlined ----------------------

def fused_playground(p, X, Y, rng, eta=0.1):
    W1, b1, W2, b2 = p["dense1/W"], p["dense1/b"], p["dense2/W"], p["dense2/b"]
    order = rng.permutation(len(X))
    X, Y = X[order], Y[order]
    for i in range(0, len(X), BATCH):
        x, y = X[i:i + BATCH], Y[i:i + BATCH]
        n = len(x)
        a1 = np.tanh(x @ W1.T + b1)
        a2 = sigmoid(a1 @ W2.T + b2)
        a2c = np.minimum(np.maximum(a2, 1e-15), 1 - 1e-15)
        C = -np.sum(y * np.log(a2c) + (1 - y) * np.log1p(-a2c)) / n
        d2 = (a2c - y) / (n * a2c * (1 - a2c)) * a2 * (1 - a2)
        d1 = (d2 @ W2) * (1 - a1 * a1)
        W2 -= eta * (d2.T @ a1); b2 -= eta * d2.sum(0)
        W1 -= eta * (d1.T @ x); b1 -= eta * d1.sum(0)
    return C


def fused_mlp(p, X, Y, rng, eta=3.0):
    W1, b1, W2, b2 = p["dense1/W"], p["dense1/b"], p["dense2/W"], p["dense2/b"]
    order = rng.permutation(len(X))
    X, Y = X[order], Y[order]
    for i in range(0, len(X), BATCH):
        x, y = X[i:i + BATCH], Y[i:i + BATCH]
        n = len(x)
        a1 = sigmoid(x @ W1.T + b1)
        a2 = sigmoid(a1 @ W2.T + b2)
        diff = a2 - y
        C = 0.5 * np.sum(diff * diff) / n
        d2 = diff / n * a2 * (1 - a2)
        d1 = (d2 @ W2) * a1 * (1 - a1)
        W2 -= eta * (d2.T @ a1); b2 -= eta * d2.sum(0)
        W1 -= eta * (d1.T @ x); b1 -= eta * d1.sum(0)
    return C


def fused_cnn(p, X, Y, rng, v, eta=0.05, mu=0.9):
    """conv 3x3 (1 -> 8 channels, padding 1) -> ReLU -> 2x2 max pool -> dense -> softmax.
    Written channels-last inside (n, h, w, F), with the cheapest tricks we know."""
    K, bk, W, b = p["conv1/W"], p["conv1/b"], p["dense1/W"], p["dense1/b"]
    order = rng.permutation(len(X))
    X, Y = X[order], Y[order]
    xp = np.zeros((BATCH, 1, 10, 10))
    for i in range(0, len(X), BATCH):
        x, y = X[i:i + BATCH], Y[i:i + BATCH]
        n = len(x)
        xp = xp[:n]
        xp[:, :, 1:-1, 1:-1] = x
        s0, s1, s2, s3 = xp.strides
        win = as_strided(xp, (n, 8, 8, 1, 3, 3), (s0, s2, s3, s1, s2, s3), writeable=False)
        cols = win.reshape(n * 64, 9)                                    # im2col
        z1 = (cols @ K.reshape(8, 9).T + bk).reshape(n, 8, 8, 8)          # (n, h, w, F)
        a1 = np.maximum(z1, 0)
        q = [a1[:, 0::2, 0::2], a1[:, 0::2, 1::2], a1[:, 1::2, 0::2], a1[:, 1::2, 1::2]]
        pooled = np.maximum(np.maximum(q[0], q[1]), np.maximum(q[2], q[3]))  # (n, 4, 4, F)
        flat = pooled.transpose(0, 3, 1, 2).reshape(n, 128)
        z2 = flat @ W.T + b
        e = np.exp(z2 - z2.max(1, keepdims=True))
        a2 = e / e.sum(1, keepdims=True)
        C = -np.sum(y * np.log(np.maximum(a2, 1e-300))) / n
        d2 = (a2 - y) / n
        grads = {"dense1/W": d2.T @ flat, "dense1/b": d2.sum(0)}
        dpool = (d2 @ W).reshape(n, 8, 4, 4).transpose(0, 2, 3, 1)
        dz1 = np.zeros((n, 8, 8, 8))
        free = np.ones(pooled.shape, dtype=bool)            # route to the first maximum only
        for k, (r, c) in enumerate(((0, 0), (0, 1), (1, 0), (1, 1))):
            hit = (q[k] == pooled) & free
            free &= ~hit
            dz1[:, r::2, c::2] = dpool * hit
        dz1 = dz1.reshape(n * 64, 8) * (z1.reshape(n * 64, 8) > 0)
        grads["conv1/W"] = (dz1.T @ cols).reshape(8, 1, 3, 3)
        grads["conv1/b"] = dz1.sum(0)
        for name, g in grads.items():
            v[name] = mu * v[name] - eta * g if name in v else -eta * g
            p[name] += v[name]
    return C


# ---- measurement -------------------------------------------------------------------------

def library_epochs(model, X, Y, cost, opt, rng, epochs):
    train(model, X, Y, cost=cost, optimizer=opt, epochs=epochs, batch_size=BATCH, rng=rng)


def fused_epochs(fused, params, X, Y, rng, epochs):
    state = {}
    for _ in range(epochs):
        if fused is fused_cnn:
            fused(params, X, Y, rng, state)
        else:
            fused(params, X, Y, rng)


def same_maths(make, fused):
    model, X, Y, cost, opt = make()
    params = {k: v.copy() for k, v in model.params().items()}
    library_epochs(model, X, Y, cost, opt, np.random.default_rng(1), 2)
    fused_epochs(fused, params, X, Y, np.random.default_rng(1), 2)
    return max(float(np.max(np.abs(params[k] - v))) for k, v in model.params().items())


def bench(make, fused, repeats, epochs):
    """Median seconds per epoch for the library and the fused loop, interleaved."""
    lib, hand = [], []
    for r in range(repeats):
        model, X, Y, cost, opt = make()
        params = {k: v.copy() for k, v in model.params().items()}
        for first in ("lib", "fused") if r % 2 == 0 else ("fused", "lib"):
            rng = np.random.default_rng(r)
            t0 = time.perf_counter()
            if first == "lib":
                library_epochs(model, X, Y, cost, opt, rng, epochs)
            else:
                fused_epochs(fused, params, X, Y, rng, epochs)
            (lib if first == "lib" else hand).append((time.perf_counter() - t0) / epochs)
    return median(lib), median(hand), min(lib) / min(hand)


def cnn_child(epochs: int) -> None:
    model, X, Y, cost, opt = digits_cnn()
    train(model, X, Y, cost=cost, optimizer=opt, epochs=epochs, batch_size=BATCH,
          rng=np.random.default_rng(SEED))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--cnn-child", type=int, metavar="EPOCHS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cnn_child:
        return cnn_child(args.cnn_child)
    networks = [("playground MLP [2, 8, 1], circle", playground_net, fused_playground, 40),
                ("digits MLP [64, 30, 10]", digits_mlp, fused_mlp, 5),
                ("digits CNN conv-pool-dense", digits_cnn, fused_cnn, 2)]
    print(f"medians of {args.repeats} interleaved runs; ratio = library / fused "
          "(goal <= 1.5); best = ratio of the fastest runs; max |dW| = weight difference "
          "after 2 epochs")
    print(f"{'network':34} {'library ms/epoch':>16} {'fused ms/epoch':>14} {'ratio':>6} "
          f"{'best':>5}  max |dW|")
    for name, make, fused, epochs in networks:
        diff = same_maths(make, fused)
        lib, hand, best = bench(make, fused, args.repeats, epochs)
        print(f"{name:34} {lib * 1e3:16.2f} {hand * 1e3:14.2f} {lib / hand:6.2f} {best:5.2f}"
              f"  {diff:.1e}")
    subprocess.run([sys.executable, "-m", "benchmarks.bench_nn", "--cnn-child", "10"],
                   cwd=REPO, check=True)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024   # KB on Linux
    print(f"peak memory of a 10-epoch CNN training process: {peak_mb:.0f} MB (goal <= 500 MB)")


if __name__ == "__main__":
    main()

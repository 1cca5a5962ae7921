"""How much does a ``training.train`` step cost over a minimal hand-written NumPy step?

The hand-written step is what a learner would type for the same net: forward with
``np.maximum``, the loss on the logits, backward with ``(z > 0)`` masks, and a plain gradient
descent update. ``train`` does the same arithmetic plus its bookkeeping (one loss recorded per
step, the activation and loss looked up in their tables). Both start from the same weights
and must end on the same weights. Two nets are timed:

* the classic comparison ``[2, 10, 5, 1]`` (ReLU, sigmoid output) on 300 circles, full batch;
* the He 2015 miniature: 30 ReLU layers of 64, 4-class softmax, batches of 128.

Prints the best-of-rounds time per step and the ratio for each (target <= 1.3).

Run: ``OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/training_speed.py``
"""

from __future__ import annotations

import time

import numpy as np

from weight_init import datasets, training
from weight_init.experiment import he_init

ROUNDS = 5
LEARNING_RATE = 0.01


def hand_written_steps(weights, biases, x, y, steps, softmax):
    """Gradient descent on a ReLU net, written out as in a first course; returns the losses."""
    m = x.shape[0]
    losses = np.empty(steps)
    for step in range(steps):
        zs, activations = [], [x]
        a = x
        for w, b in zip(weights, biases):
            z = a @ w + b
            zs.append(z)
            a = np.maximum(z, 0.0)
            activations.append(a)
        z = zs[-1]
        if softmax:
            shifted = z - z.max(axis=1, keepdims=True)
            e = np.exp(shifted)
            total = e.sum(axis=1, keepdims=True)
            losses[step] = (np.sum(np.log(total)) - np.sum(shifted * y)) / m
            dz = (e / total - y) / m
        else:
            losses[step] = np.sum(np.logaddexp(0.0, z) - y * z) / m
            dz = (1.0 / (1.0 + np.exp(-z)) - y) / m
        for layer in range(len(weights) - 1, -1, -1):
            dw = activations[layer].T @ dz
            db = dz.sum(axis=0)
            if layer > 0:
                dz = (dz @ weights[layer].T) * (zs[layer - 1] > 0)
            weights[layer] -= LEARNING_RATE * dw
            biases[layer] -= LEARNING_RATE * db
    return losses


def hand_written_minibatches(weights, biases, x, y, steps, batch_size, seed):
    """The same loop over shuffled mini-batches (the order ``train`` uses for ``seed``)."""
    rng = np.random.default_rng(seed)
    losses = np.empty(steps)
    position, order = len(x), None
    for step in range(steps):
        if position >= len(x):
            order, position = rng.permutation(len(x)), 0
        batch = order[position : position + batch_size]
        position += batch_size
        losses[step] = hand_written_steps(weights, biases, x[batch], y[batch], 1, softmax=True)[0]
    return losses


def best_seconds_per_step(run, steps: int) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times) / steps


def compare(title, layer_sizes, loss, x, y, targets, steps, batch_size):
    model = training.build_mlp(layer_sizes, he_init, activation="relu", loss=loss, seed=0)

    def ours():
        trained = model.copy()
        return trained, training.train(
            trained, x, y, steps=steps, learning_rate=LEARNING_RATE, batch_size=batch_size
        )

    def by_hand():
        weights = [w.copy() for w in model.weights]
        biases = [b.copy() for b in model.biases]
        if batch_size is None:
            losses = hand_written_steps(
                weights, biases, x, targets, steps, softmax=loss.startswith("softmax")
            )
        else:
            losses = hand_written_minibatches(
                weights, biases, x, targets, steps, batch_size, seed=0
            )
        return weights, losses

    trained, history = ours()
    weights, losses = by_hand()
    assert all(
        np.allclose(a, b, rtol=1e-9, atol=1e-12) for a, b in zip(trained.weights, weights)
    ), "not the same work"
    assert np.allclose(history.loss, losses, rtol=1e-9), "not the same losses"

    bare_times, our_times = [], []
    for _ in range(3):  # interleave so that drift of the shared machine affects both alike
        bare_times.append(best_seconds_per_step(by_hand, steps))
        our_times.append(best_seconds_per_step(ours, steps))
    bare, mine = min(bare_times), min(our_times)
    print(title)
    print(f"  hand-written step : {bare * 1e6:8.1f} µs")
    print(f"  training.train    : {mine * 1e6:8.1f} µs")
    print(f"  ratio             : {mine / bare:8.3f}  (target <= 1.3)")


def main() -> None:
    x, y = datasets.make_circles(300, noise=0.05, seed=1)
    compare(
        "[2, 10, 5, 1] on 300 circles, full batch",
        [2, 10, 5, 1],
        "sigmoid_cross_entropy",
        x,
        y,
        y[:, None].astype(float),
        steps=2000,
        batch_size=None,
    )
    x, y = datasets.make_gaussian_clusters(512, n_classes=4, n_features=16, seed=0)
    compare(
        "30 ReLU layers of 64, 4 classes, batches of 128",
        [16] + [64] * 30 + [4],
        "softmax_cross_entropy",
        x,
        y,
        np.eye(4)[y],
        steps=100,
        batch_size=128,
    )


if __name__ == "__main__":
    main()

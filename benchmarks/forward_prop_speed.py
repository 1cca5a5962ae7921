"""How much does ``forward_prop`` cost over a bare NumPy loop doing the same work?

Both sides draw the same weights with the same generator, multiply and apply tanh for the
seed experiment (10 layers of 500, 1000 samples); ``forward_prop`` also validates its
arguments and records each layer's mean and std. Prints the ratio of the best of three
median times (target ≤ 1.15).

Run: ``OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/forward_prop_speed.py``
"""

from __future__ import annotations

import math
import statistics
import time

import numpy as np

from weight_init.experiment import forward_prop, lecun_init

LAYERS = [500] * 10
SAMPLES, INPUT_DIM = 1000, 500
REPEATS = 30


def bare_loop(seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((SAMPLES, INPUT_DIM))
    outputs = []
    for fan_out in LAYERS:
        w = (1.0 / math.sqrt(x.shape[1])) * rng.standard_normal((x.shape[1], fan_out))
        x = np.tanh(x @ w)
        outputs.append(x)
    return outputs


def packaged(seed: int = 0) -> list[np.ndarray]:
    acts, _, _ = forward_prop(LAYERS, lecun_init, seed=seed)
    return list(acts.values())


def median_seconds(function) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    assert all(np.array_equal(a, b) for a, b in zip(bare_loop(), packaged())), "not the same work"
    bare_loop(), packaged()  # warm up
    # Interleave the two so that drift of the machine affects both alike.
    bare_times, packaged_times = [], []
    for _ in range(3):
        bare_times.append(median_seconds(bare_loop))
        packaged_times.append(median_seconds(packaged))
    bare, ours = min(bare_times), min(packaged_times)
    print(f"bare NumPy loop : {bare * 1e3:7.2f} ms")
    print(f"forward_prop    : {ours * 1e3:7.2f} ms")
    print(f"ratio           : {ours / bare:7.3f}  (target <= 1.15)")


if __name__ == "__main__":
    main()

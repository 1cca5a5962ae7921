"""weight_init.initializers against Keras 3.15.1 on its NumPy backend: the same seeded draws.

Run with Keras installed (``make keras-benchmark``). For each case it checks that both give the
same array (bit for bit; Orthogonal to float32 rounding), then prints the best and median of
several timed calls and the ratio
ours / Keras per call (below 1.0: ours is faster). The target is a ratio of at most 1.0.
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("KERAS_BACKEND", "numpy")

import keras
import numpy as np

from weight_init import initializers as ours

CASES = [
    ("GlorotNormal", (2048, 2048)),
    ("Orthogonal", (768, 768)),
    ("GlorotUniform", (3, 3, 256, 256)),
    ("HeNormal", (3, 3, 256, 256)),
]
REPEATS = 7


def timings(initializer, shape) -> list[float]:
    """Seconds per call, from REPEATS rounds of enough calls to last about 50 ms each."""
    start = time.perf_counter()
    initializer(shape)  # warm-up, and a first estimate
    calls = max(1, int(0.05 / (time.perf_counter() - start)))
    seconds = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(calls):
            initializer(shape)
        seconds.append((time.perf_counter() - start) / calls)
    return seconds


def main() -> None:
    print(
        f"Keras {keras.__version__} ({keras.backend.backend()} backend), NumPy {np.__version__}; "
        f"best / median of {REPEATS} rounds"
    )
    print(f"{'initializer':<14} {'shape':<18} {'Keras ms':>15} {'ours ms':>15} {'ratio':>13}")
    for name, shape in CASES:
        theirs = getattr(keras.initializers, name)(seed=1)
        mine = getattr(ours, name)(seed=1)
        if name == "Orthogonal":  # its QR comes from LAPACK: equal to float32 rounding
            same = np.allclose(
                mine(shape), theirs(shape), rtol=0, atol=8 * np.finfo(np.float32).eps
            )
        else:  # the rest are bit-identical
            same = np.array_equal(mine(shape), theirs(shape))
        if not same:
            raise SystemExit(f"{name}{shape}: the two arrays differ, timing them means nothing")
        k, m = timings(theirs, shape), timings(mine, shape)
        best = min(m) / min(k)
        median = statistics.median(m) / statistics.median(k)
        print(
            f"{name:<14} {shape!s:<18} {min(k) * 1e3:6.1f} / {statistics.median(k) * 1e3:6.1f} "
            f"{min(m) * 1e3:6.1f} / {statistics.median(m) * 1e3:6.1f} "
            f"{best:5.2f} / {median:5.2f}"
        )


if __name__ == "__main__":
    main()

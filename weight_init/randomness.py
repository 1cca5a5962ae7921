"""One way to turn a seed into a random generator, so no code touches NumPy's global state."""

from __future__ import annotations

from typing import Union

import numpy as np

SeedLike = Union[None, int, np.random.Generator]


def make_rng(seed: SeedLike = None) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` for ``seed``.

    ``None`` gives a freshly seeded generator (different every call), an ``int`` gives a
    reproducible one, and a ``Generator`` is returned unchanged so that successive draws
    continue its stream.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(
            "seed must be None, an int or a numpy.random.Generator; "
            f"received seed={seed!r} of type {type(seed).__name__}."
        )
    if seed < 0:
        raise ValueError(f"seed must be a non-negative int; received seed={seed}.")
    return np.random.default_rng(int(seed))

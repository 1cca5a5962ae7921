"""Toy data sets made in NumPy, small enough to train on in a second (no downloads).

Every function returns ``(x, y)``: ``x`` of shape ``(samples, features)`` (float64) and ``y``
of shape ``(samples,)`` holding integer class labels ``0 .. n_classes - 1``, in a shuffled
order. The same ``seed`` always gives the same data; use two seeds for a training set and a
test set drawn from the same distribution.

* :func:`make_circles`: two concentric rings (the classic "circles" of the initialization
  assignment; a line cannot separate them).
* :func:`make_moons`: two interleaving half circles.
* :func:`make_spirals`: ``n_classes`` interleaved spiral arms.
* :func:`make_gaussian_clusters`: ``n_classes`` Gaussian blobs in ``n_features`` dimensions.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import check_int, check_number
from .randomness import SeedLike, make_rng


def _check_classes(n_classes: int, n_samples: int) -> int:
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    if n_classes > n_samples:
        raise ValueError(
            f"n_classes must be at most n_samples ({n_samples}), so that every class has a point; "
            f"received n_classes={n_classes}."
        )
    return n_classes


def _shuffled(
    x: np.ndarray, y: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(y))
    return x[order], y[order]


def make_circles(
    n_samples: int = 300, noise: float = 0.05, factor: float = 0.8, seed: SeedLike = 0
) -> tuple[np.ndarray, np.ndarray]:
    r"""Two concentric circles: the outer one (radius 1) is class 0, the inner one class 1.

    The inner radius is ``factor``.

    Points sit at evenly spaced angles on each circle plus :math:`\mathcal{N}(0, \text{noise}^2)`
    noise per coordinate (the layout of scikit-learn's ``make_circles``). Returns ``x`` of shape
    ``(n_samples, 2)`` and ``y`` of shape ``(n_samples,)``; the outer circle gets
    ``n_samples // 2`` points.
    """
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    noise = check_number(noise, "noise", minimum=0.0)
    factor = check_number(factor, "factor", minimum=0.0, below=1.0)  # inner radius / outer radius
    rng = make_rng(seed)
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    outer = np.linspace(0.0, 2.0 * np.pi, n_outer, endpoint=False)
    inner = np.linspace(0.0, 2.0 * np.pi, n_inner, endpoint=False)
    x = np.concatenate(
        [
            np.column_stack([np.cos(outer), np.sin(outer)]),
            factor * np.column_stack([np.cos(inner), np.sin(inner)]),
        ]
    )
    y = np.concatenate([np.zeros(n_outer, dtype=np.int64), np.ones(n_inner, dtype=np.int64)])
    x = x + noise * rng.standard_normal(x.shape)
    return _shuffled(x, y, rng)


def make_moons(
    n_samples: int = 300, noise: float = 0.1, seed: SeedLike = 0
) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaving half circles (class 0 on top, class 1 below and shifted right).

    Returns ``x`` of shape ``(n_samples, 2)`` and ``y`` of shape ``(n_samples,)``, with
    :math:`\mathcal{N}(0, \text{noise}^2)` noise added to every coordinate.
    """
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    noise = check_number(noise, "noise", minimum=0.0)
    rng = make_rng(seed)
    n_top = n_samples // 2
    n_bottom = n_samples - n_top
    top = np.linspace(0.0, np.pi, n_top)
    bottom = np.linspace(0.0, np.pi, n_bottom)
    x = np.concatenate(
        [
            np.column_stack([np.cos(top), np.sin(top)]),
            np.column_stack([1.0 - np.cos(bottom), 0.5 - np.sin(bottom)]),
        ]
    )
    y = np.concatenate([np.zeros(n_top, dtype=np.int64), np.ones(n_bottom, dtype=np.int64)])
    x = x + noise * rng.standard_normal(x.shape)
    return _shuffled(x, y, rng)


def make_spirals(
    n_samples: int = 300, n_classes: int = 3, noise: float = 0.2, seed: SeedLike = 0
) -> tuple[np.ndarray, np.ndarray]:
    r"""``n_classes`` spiral arms around the origin, one class per arm.

    Arm ``k`` has radii evenly spaced in ``[0, 1]`` and angles
    :math:`4 r + 2\pi k / \text{n\_classes}` plus :math:`\mathcal{N}(0, \text{noise}^2)` angular
    noise. Returns ``x`` of shape ``(n_samples, 2)`` and ``y`` of shape ``(n_samples,)``; the arms
    differ in size by at most one point.
    """
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    n_classes = _check_classes(n_classes, n_samples)
    noise = check_number(noise, "noise", minimum=0.0)
    rng = make_rng(seed)
    sizes = [len(part) for part in np.array_split(np.arange(n_samples), n_classes)]
    points, labels = [], []
    for label, size in enumerate(sizes):
        radius = np.linspace(0.0, 1.0, size)
        angle = 4.0 * radius + 2.0 * np.pi * label / n_classes + noise * rng.standard_normal(size)
        points.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
        labels.append(np.full(size, label, dtype=np.int64))
    return _shuffled(np.concatenate(points), np.concatenate(labels), rng)


def make_gaussian_clusters(
    n_samples: int = 400,
    n_classes: int = 4,
    n_features: int = 2,
    cluster_std: float = 1.0,
    center_distance: float = 4.0,
    seed: SeedLike = 0,
) -> tuple[np.ndarray, np.ndarray]:
    r"""``n_classes`` Gaussian blobs, one class each, in ``n_features`` dimensions.

    The centres are drawn once from :math:`\mathcal{N}(0, \text{center\_distance}^2 / 2)` per
    coordinate (so two centres are about
    :math:`\text{center\_distance} \cdot \sqrt{\text{n\_features}}` apart) and every point adds
    :math:`\mathcal{N}(0, \text{cluster\_std}^2)` noise per coordinate. Returns ``x`` of shape
    ``(n_samples, n_features)`` and ``y`` of shape ``(n_samples,)``.
    """
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    n_classes = _check_classes(n_classes, n_samples)
    n_features = check_int(n_features, "n_features")
    cluster_std = check_number(cluster_std, "cluster_std", minimum=0.0)
    center_distance = check_number(center_distance, "center_distance", minimum=0.0)
    rng = make_rng(seed)
    centres = (center_distance / math.sqrt(2.0)) * rng.standard_normal((n_classes, n_features))
    y = np.arange(n_samples, dtype=np.int64) % n_classes
    x = centres[y] + cluster_std * rng.standard_normal((n_samples, n_features))
    return _shuffled(x, y, rng)

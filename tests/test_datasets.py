"""The toy data sets: shapes, labels, geometry, determinism and clear errors."""

import numpy as np
import pytest

from weight_init import datasets

MAKERS = [
    datasets.make_circles,
    datasets.make_moons,
    datasets.make_spirals,
    datasets.make_gaussian_clusters,
]


@pytest.mark.parametrize("make", MAKERS)
def test_shapes_labels_and_determinism(make):
    x, y = make(101, seed=4)
    assert x.shape[0] == y.shape[0] == 101 and x.dtype == np.float64 and y.dtype == np.int64
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1
    again_x, again_y = make(101, seed=4)
    assert np.array_equal(x, again_x) and np.array_equal(y, again_y)
    assert not np.array_equal(x, make(101, seed=5)[0])
    assert len(np.unique(y[:20])) > 1, "the samples are shuffled, not sorted by class"


def test_circles_without_noise_lie_on_their_radii():
    x, y = datasets.make_circles(300, noise=0.0, factor=0.8, seed=0)
    radius = np.hypot(x[:, 0], x[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.8)
    assert x.shape == (300, 2) and np.sum(y == 0) == 150


def test_moons_without_noise():
    x, y = datasets.make_moons(200, noise=0.0, seed=0)
    np.testing.assert_allclose(np.hypot(x[y == 0, 0], x[y == 0, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(x[y == 1, 0] - 1.0, x[y == 1, 1] - 0.5), 1.0)


def test_spirals_have_one_arm_per_class():
    x, y = datasets.make_spirals(300, n_classes=3, noise=0.0, seed=0)
    assert set(np.unique(y)) == {0, 1, 2}
    assert np.max(np.hypot(x[:, 0], x[:, 1])) == pytest.approx(1.0)


def test_gaussian_clusters_gather_around_their_centres():
    x, y = datasets.make_gaussian_clusters(4000, n_classes=4, n_features=8, cluster_std=0.5, seed=0)
    assert x.shape == (4000, 8)
    within = np.mean([x[y == k].std(axis=0).mean() for k in range(4)])
    assert within == pytest.approx(0.5, rel=0.05)


def test_clear_errors():
    with pytest.raises(ValueError, match="n_samples must be at least 2; received n_samples=1"):
        datasets.make_circles(1)
    with pytest.raises(TypeError, match="n_samples must be an int"):
        datasets.make_moons(10.0)
    with pytest.raises(
        ValueError, match=r"noise must be a finite number >= 0; received noise=-0\.1"
    ):
        datasets.make_circles(10, noise=-0.1)
    with pytest.raises(
        ValueError, match=r"factor must be a finite number >= 0 and < 1; received factor=1\.5"
    ):
        datasets.make_circles(10, factor=1.5)
    with pytest.raises(ValueError, match="n_classes must be at most n_samples"):
        datasets.make_gaussian_clusters(3, n_classes=4)
    with pytest.raises(ValueError, match="n_classes must be at least 2"):
        datasets.make_spirals(10, n_classes=1)
    with pytest.raises(TypeError, match="seed must be None, an int"):
        datasets.make_gaussian_clusters(10, seed="x")


def test_noise_free_circles_and_moons_are_evenly_spaced_angles():
    x, y = datasets.make_circles(8, noise=0.0, factor=0.5, seed=0)
    outer = np.sort(np.mod(np.arctan2(x[y == 0, 1], x[y == 0, 0]), 2 * np.pi))
    np.testing.assert_allclose(outer, np.arange(4) * np.pi / 2, atol=1e-12)  # 2π is not repeated
    x, y = datasets.make_moons(6, noise=0.0, seed=0)
    top = np.sort(np.arctan2(x[y == 0, 1], x[y == 0, 0]))
    np.testing.assert_allclose(top, [0.0, np.pi / 2, np.pi], atol=1e-12)  # from angle 0 to π

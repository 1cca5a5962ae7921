"""The residual MLP: gradients, the 3^L growth under He init, Fixup's identity start."""

import math

import numpy as np
import pytest

from weight_init import datasets, residual
from weight_init.experiment import he_init, lecun_init


def test_gradients_match_finite_differences():
    model = residual.build_residual_mlp(3, 5, 3, 2, he_init, seed=2)
    rng = np.random.default_rng(3)
    for block in model.blocks:  # make every path non-trivial
        block[1][:] = 0.1 * rng.standard_normal(5)
        block[3][:] = 0.1 * rng.standard_normal(5)
    x = rng.standard_normal((7, 3))
    y = np.array([0, 1, 1, 0, 1, 0, 0])
    gradients = model.loss_and_gradients(x, y).parameters
    for parameter, gradient in zip(model.parameters, gradients):
        for index in [(0,) * parameter.ndim, tuple(s - 1 for s in parameter.shape)]:
            old = parameter[index]
            parameter[index] = old + 1e-6
            plus = model.loss_and_gradients(x, y).loss
            parameter[index] = old - 1e-6
            minus = model.loss_and_gradients(x, y).loss
            parameter[index] = old
            assert (plus - minus) / 2e-6 == pytest.approx(gradient[index], abs=1e-7)


def test_he_init_grows_by_about_three_per_block_and_lecun_on_b_by_two():
    x = np.random.default_rng(0).standard_normal((400, 128))
    model = residual.build_residual_mlp(128, 128, 20, 4, he_init, seed=1)
    moments = model.stream_second_moments(x)
    growth = (moments[-1] / moments[0]) ** (1 / 20)
    assert residual.he_growth_factor() == 3.0
    assert growth == pytest.approx(3.0, rel=0.1)
    assert residual.he_growth_factor(1.0) == 2.0


def test_fixup_starts_as_the_identity_and_the_head_at_zero():
    x = np.random.default_rng(0).standard_normal((50, 16))
    model = residual.build_residual_mlp(16, 16, 9, 3, he_init, fixup=True, seed=1)
    forward = model.forward(x)
    stream, logits = forward.stream, forward.logits
    for h in stream[1:]:
        np.testing.assert_array_equal(h, stream[0])
    np.testing.assert_array_equal(logits, 0.0)
    unscaled = residual.build_residual_mlp(16, 16, 9, 3, he_init, fixup=False, seed=1)
    assert residual.fixup_scale(9) == pytest.approx(1 / 3)
    np.testing.assert_allclose(model.blocks[0][0], unscaled.blocks[0][0] / 3)


def test_a_deep_fixup_net_trains_and_he_diverges():
    x, y = datasets.make_gaussian_clusters(
        120, n_classes=3, n_features=2, center_distance=6.0, seed=0
    )
    fixup = residual.build_residual_mlp(2, 16, 20, 3, he_init, fixup=True, seed=1)
    losses = residual.train_residual(fixup, x, y, steps=150, learning_rate=0.1)
    assert losses[0] == pytest.approx(math.log(3)) and losses[-1] < 0.5 * losses[0]
    he = residual.build_residual_mlp(2, 16, 20, 3, he_init, seed=1)
    with np.errstate(all="ignore"):
        he_losses = residual.train_residual(he, x, y, steps=20, learning_rate=0.1)
    assert he_losses[0] > 1e3 and np.isinf(he_losses[-1])


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="layers_per_branch=1"):
        residual.fixup_scale(4, 1)
    with pytest.raises(ValueError, match="blocks"):
        residual.build_residual_mlp(2, 4, 0, 2, lecun_init)
    with pytest.raises(TypeError, match="fixup="):
        residual.build_residual_mlp(2, 4, 1, 2, lecun_init, fixup="yes")
    model = residual.build_residual_mlp(2, 4, 1, 2, lecun_init)
    with pytest.raises(ValueError, match=r"\(samples, 2\)"):
        model.forward(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="branch_gain_squared"):
        residual.he_growth_factor(-1.0)

"""SELU's constants, its moment map and the fixed point (0, 1)."""

import numpy as np
import pytest

from weight_init import self_normalizing as sn
from weight_init import theory
from weight_init.activations import SELU_ALPHA, SELU_SCALE, get_activation
from weight_init.experiment import layer_stats, lecun_init, propagate


def test_the_fixed_point_equations_give_selus_constants():
    alpha, scale = sn.selu_constants()
    assert alpha == pytest.approx(SELU_ALPHA, rel=1e-12)
    assert scale == pytest.approx(SELU_SCALE, rel=1e-12)


def test_zero_one_is_the_fixed_point_of_the_map():
    mean, variance = sn.selu_moment_map(0.0, 1.0)
    assert abs(mean) < 1e-12 and variance == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize(
    "mean, variance, omega, tau",
    [(0.3, 1.2, 0.05, 1.02), (-1.0, 4.0, 0.5, 0.9), (2.0, 0.3, 1.0, 1.0)],
)
def test_the_closed_form_matches_numerical_integration(mean, variance, omega, tau):
    # theory's quadrature on a fine standard-normal grid (SELU's kink at 0 defeats Gauss-Hermite)
    selu = get_activation("selu").forward
    shift = mean * omega
    expected_mean = theory.gaussian_expectation(lambda z: selu(shift + z), variance * tau)
    expected_variance = (
        theory.gaussian_expectation(lambda z: selu(shift + z) ** 2, variance * tau)
        - expected_mean**2
    )
    got_mean, got_variance = sn.selu_moment_map(mean, variance, omega, tau)
    assert got_mean == pytest.approx(expected_mean, abs=1e-6)
    assert got_variance == pytest.approx(expected_variance, rel=1e-5)


def test_the_jacobian_at_the_fixed_point_contracts_as_in_the_paper():
    jacobian = sn.moment_map_jacobian()
    # with omega = 0 the output cannot depend on the input mean: the first column is zero
    np.testing.assert_allclose(jacobian[:, 0], 0.0, atol=1e-8)
    assert jacobian[0, 1] == pytest.approx(0.0888, abs=1e-3)
    assert jacobian[1, 1] == pytest.approx(0.7826, abs=1e-3)
    assert np.linalg.norm(jacobian, 2) == pytest.approx(0.7877, abs=1e-3)


def test_layer_moments_converge_to_zero_one_from_a_badly_scaled_input():
    moments = sn.layer_moments(3.0, 25.0, 60)
    assert len(moments) == 60
    assert moments[0][1] > 10
    assert abs(moments[-1][0]) < 1e-4 and moments[-1][1] == pytest.approx(1.0, abs=1e-4)


def test_a_deep_selu_net_with_lecun_weights_follows_the_prediction():
    rng = np.random.default_rng(0)
    inputs = 2.0 + 3.0 * rng.standard_normal((200, 400))
    run = propagate(
        [400] * 20, lecun_init, activation="selu", inputs=inputs, seed=0, backward=False
    )
    means, stds = layer_stats(run.activations)
    predicted = sn.layer_moments(2.0, 9.0, 20)
    for layer in (0, 4, 19):
        assert means[layer] == pytest.approx(predicted[layer][0], abs=0.15)
        assert stds[layer] ** 2 == pytest.approx(predicted[layer][1], rel=0.15)
    assert stds[0] ** 2 > 4 and stds[-1] ** 2 == pytest.approx(1.0, abs=0.15)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="variance="):
        sn.selu_moment_map(0.0, 0.0)
    with pytest.raises(TypeError, match="mean="):
        sn.selu_moment_map("0", 1.0)
    with pytest.raises(ValueError, match="layers="):
        sn.layer_moments(0.0, 1.0, 0)
    with pytest.raises(ValueError, match="input_variance="):
        sn.layer_moments(0.0, -1.0, 3)

"""Each activation's derivative and gain."""

import math

import numpy as np
import pytest

from weight_init.activations import ACTIVATIONS, LEAKY_RELU_SLOPE, gain, get_activation


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_central_differences(name):
    act = get_activation(name)
    z = np.linspace(-3, 3, 61) + 0.013  # avoid the kink at exactly 0
    step = 1e-6
    numeric = (act.forward(z + step) - act.forward(z - step)) / (2 * step)
    assert np.allclose(act.derivative(z), numeric, atol=1e-6)


def test_gains_match_pytorch_calculate_gain():
    assert gain("linear") == 1.0 and gain("sigmoid") == 1.0
    assert gain("tanh") == pytest.approx(5 / 3)
    assert gain("relu") == pytest.approx(math.sqrt(2))
    assert gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert gain("selu") == 0.75


def test_relu_gain_restores_the_second_moment():
    z = np.random.default_rng(0).standard_normal(1_000_000)
    a = get_activation("relu").forward(gain("relu") * z)
    assert np.mean(a**2) == pytest.approx(1.0, rel=0.01)


def test_sigmoid_is_stable_for_huge_inputs():
    with np.errstate(over="raise", invalid="raise"):
        values = get_activation("sigmoid").forward(np.array([-1000.0, 0.0, 1000.0]))
    assert np.allclose(values, [0.0, 0.5, 1.0])


def test_a_callable_gets_a_numerical_derivative():
    act = get_activation(np.sin)
    z = np.linspace(-2, 2, 9)
    assert np.allclose(act.derivative(z), np.cos(z), atol=1e-8)


def test_bad_activation_arguments():
    with pytest.raises(ValueError, match="activation='softplus'"):
        get_activation("softplus")
    with pytest.raises(TypeError, match="activation=3"):
        get_activation(3)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_slopes_are_the_derivative_on_each_side_of_zero_when_given(name):
    act = ACTIVATIONS[name]
    z = np.array([0.3, 2.0, -0.3, -2.0])
    if act.slopes is None:
        # not piecewise linear: the derivative changes on one side of 0
        assert act.derivative_moment(2) is None
        derivative = act.derivative(z)
        assert derivative[0] != derivative[1] or derivative[2] != derivative[3]
        return
    positive, negative = act.slopes
    np.testing.assert_array_equal(act.derivative(z), [positive, positive, negative, negative])
    np.testing.assert_allclose(act.forward(z), np.where(z > 0, positive, negative) * z)
    assert act.derivative_moment(2) == pytest.approx((positive**2 + negative**2) / 2)
    assert act.derivative_moment(4) == pytest.approx((positive**4 + negative**4) / 2)


def test_the_piecewise_linear_slopes():
    assert ACTIVATIONS["relu"].slopes == (1.0, 0.0)
    assert ACTIVATIONS["linear"].slopes == (1.0, 1.0)
    assert ACTIVATIONS["leaky_relu"].slopes == (1.0, LEAKY_RELU_SLOPE)
    assert ACTIVATIONS["leaky_relu"].derivative_moment(2) == pytest.approx(
        (1 + LEAKY_RELU_SLOPE**2) / 2, rel=1e-15
    )


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_float32_stays_float32(name):
    z = np.linspace(-2.0, 2.0, 9, dtype=np.float32)
    act = ACTIVATIONS[name]
    assert act.forward(z).dtype == np.float32 and act.derivative(z).dtype == np.float32

"""Measurements behind the classic rules (Glorot 2010, LeCun vs Glorot, He): shrink factors,
layer Jacobians and the activation × initializer table."""

import math

import numpy as np
import pytest

from weight_init import experiment as ex


def standard_uniform_init(fan_in, fan_out, rng=None):
    """Glorot & Bengio's "standard" init U[±1/sqrt(fan_in)]."""
    limit = 1 / math.sqrt(fan_in)
    return rng.uniform(-limit, limit, (fan_in, fan_out))


def normalized_uniform_init(fan_in, fan_out, rng=None):
    """Glorot & Bengio's "normalized" init U[±sqrt(6 / (fan_in + fan_out))]."""
    limit = math.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out))


def glorot_2010_pass(init_fn, seed=0):
    x = 0.3 * np.random.default_rng(100 + seed).standard_normal((400, 300))
    return ex.propagate([300] * 5, init_fn, activation="tanh", inputs=x, seed=seed)


def geometric_mean(values):
    return float(np.exp(np.mean(np.log(values))))


def test_layer_ratios_and_backward_ratios():
    assert ex.layer_ratios([1.0, 0.5, 0.25]) == [0.5, 0.5]
    assert ex.backward_ratios([0.25, 0.5, 1.0]) == [0.5, 0.5]
    with pytest.raises(ValueError, match="values="):
        ex.layer_ratios([1.0])
    with pytest.raises(ValueError, match="non-zero"):
        ex.layer_ratios([0.0, 1.0])


@pytest.mark.parametrize(
    "init_fn, factor", [(standard_uniform_init, 1 / math.sqrt(3)), (normalized_uniform_init, 0.94)]
)
def test_glorot_2010_shrink_factors_of_activations_and_gradients(init_fn, factor):
    net = glorot_2010_pass(init_fn)
    _, act_stds = ex.layer_stats(net.activations)
    _, grad_stds = ex.layer_stats(net.pre_activation_grads)
    assert geometric_mean(ex.layer_ratios(act_stds)) == pytest.approx(factor, rel=0.03)
    assert geometric_mean(ex.backward_ratios(grad_stds)) == pytest.approx(factor, rel=0.03)


def test_glorot_2010_weight_gradients_are_equal_across_layers_under_the_standard_init():
    _, weight_grad_stds = ex.layer_stats(glorot_2010_pass(standard_uniform_init).weight_grads)
    assert max(weight_grad_stds) / min(weight_grad_stds) < 1.06


@pytest.mark.parametrize(
    "init_fn, mean_value", [(standard_uniform_init, 0.49), (normalized_uniform_init, 0.80)]
)
def test_glorot_2010_mean_jacobian_singular_value(init_fn, mean_value):
    net = glorot_2010_pass(init_fn)
    means = [
        ex.layer_jacobian_singular_values(net, layer, "tanh", samples=2).mean()
        for layer in range(5)
    ]
    assert np.mean(means) == pytest.approx(mean_value, abs=0.03)


def test_jacobian_matches_finite_differences():
    net = ex.propagate([4, 3], ex.lecun_init, activation="tanh", n_samples=2, input_dim=5, seed=1)
    x, w = net.activations[0][0], net.weights[1]
    step = 1e-6
    numeric = np.column_stack(
        [
            (np.tanh((x + step * e) @ w) - np.tanh((x - step * e) @ w)) / (2 * step)
            for e in np.eye(4)
        ]
    )
    expected = np.linalg.svd(numeric, compute_uv=False)
    values = ex.layer_jacobian_singular_values(net, 1, "tanh", samples=2)
    assert values.shape == (2, 3)
    np.testing.assert_allclose(values[0], expected, atol=1e-8)


def test_linear_layer_jacobian_is_the_weight_matrix():
    net = ex.propagate([6], ex.lecun_init, activation="linear", n_samples=1, input_dim=4, seed=2)
    np.testing.assert_allclose(
        ex.layer_jacobian_singular_values(net, 0, "linear", samples=1)[0],
        np.linalg.svd(net.weights[0], compute_uv=False),
    )


def test_jacobian_arguments_are_checked():
    net = ex.propagate([3], ex.lecun_init, n_samples=2, input_dim=2, seed=0)
    with pytest.raises(ValueError, match="layer=1"):
        ex.layer_jacobian_singular_values(net, 1, "tanh")
    with pytest.raises(ValueError, match="samples=5"):
        ex.layer_jacobian_singular_values(net, 0, "tanh", samples=5)
    forward_only = ex.propagate(
        [3], ex.lecun_init, n_samples=2, input_dim=2, seed=0, backward=False
    )
    with pytest.raises(ValueError, match="backward=True"):
        ex.layer_jacobian_singular_values(forward_only, 0, "tanh")


def test_funnel_lecun_keeps_the_std_and_glorot_drifts_up():
    widths = [800, 600, 400, 200, 100]
    for init_fn, expected in [
        (ex.lecun_init, [1.0] * 5),
        (
            ex.glorot_init,
            np.sqrt(np.cumprod([2 * a / (a + b) for a, b in zip([1000, *widths], widths)])),
        ),
    ]:
        net = ex.propagate(
            widths, init_fn, activation="linear", n_samples=2000, input_dim=1000, backward=False
        )
        _, stds = ex.layer_stats(net.activations)
        np.testing.assert_allclose(stds, expected, rtol=0.04)
    assert expected[0] == pytest.approx(1.054, abs=1e-3) and expected[-1] == pytest.approx(
        1.646, abs=1e-3
    )


def test_signal_ratios_for_relu_with_lecun_and_he():
    lecun = ex.signal_ratios(
        ex.propagate([300] * 8, ex.lecun_init, activation="relu", n_samples=300, input_dim=300)
    )
    assert lecun[0] == pytest.approx(2.0**-7, rel=0.3)
    assert lecun[1] == pytest.approx(2.0**-7, rel=0.3)
    he = ex.signal_ratios(
        ex.propagate([300] * 8, ex.he_init, activation="relu", n_samples=300, input_dim=300)
    )
    assert 0.5 < he[0] < 2 and 0.5 < he[1] < 2
    with pytest.raises(ValueError, match="backward=True"):
        ex.signal_ratios(ex.propagate([3], ex.he_init, n_samples=2, input_dim=2, backward=False))


def test_activation_initializer_table():
    table = ex.activation_initializer_table(
        ["relu", "tanh"],
        {"LeCun": ex.lecun_init, "He": ex.he_init},
        [64] * 6,
        seeds=(0, 1),
        n_samples=100,
    )
    assert sorted(table) == [("relu", "He"), ("relu", "LeCun"), ("tanh", "He"), ("tanh", "LeCun")]
    assert all(runs.shape == (2, 3) for runs in table.values())
    assert np.all(table[("relu", "LeCun")] < 0.1)
    assert np.all((table[("relu", "He")][:, :2] > 0.3) & (table[("relu", "He")][:, :2] < 3))
    first_seed = ex.signal_ratios(
        ex.propagate([64] * 6, ex.he_init, activation="tanh", n_samples=100, input_dim=64, seed=0)
    )
    np.testing.assert_allclose(table[("tanh", "He")][0, :2], first_seed)


def test_input_dependent_ratio_ignores_a_shared_offset():
    sigmoid = ex.propagate([64] * 8, ex.lecun_init, activation="sigmoid", n_samples=100)
    # E[z²] keeps a sizeable share (sigmoid's 1/2 pushed through the weights) ...
    assert ex.signal_ratios(sigmoid)[0] > 0.1
    # ... but every unit outputs nearly the same number for every input.
    assert ex.input_dependent_ratio(sigmoid) < 1e-4
    # tanh is odd and zero-mean: almost all of E[z²] depends on the input.
    tanh = ex.propagate([64] * 4, ex.lecun_init, activation="tanh", n_samples=400)
    forward = ex.signal_ratios(tanh)[0]
    assert ex.input_dependent_ratio(tanh) == pytest.approx(forward, rel=0.05)
    first, last = tanh.pre_activations[0], tanh.pre_activations[-1]
    expected = np.mean(last.var(axis=0)) / np.mean(first.var(axis=0))
    assert ex.input_dependent_ratio(tanh) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="seeds="):
        ex.activation_initializer_table(["relu"], {"He": ex.he_init}, [4], seeds=())

"""Normalization layers: backward passes against finite differences, scale invariance, residual
nets."""

import math

import numpy as np
import pytest

from weight_init import normalization as nz


def _numerical_gradient(function, array, step=1e-6):
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + step
        plus = function()
        array[index] = saved - step
        minus = function()
        array[index] = saved
        grad[index] = (plus - minus) / (2 * step)
    return grad


@pytest.mark.parametrize("kind", ["batch", "layer"])
def test_forward_standardizes_along_the_right_axis(kind):
    x = 3.0 + 2.0 * np.random.default_rng(0).standard_normal((50, 8))
    y, _ = nz.normalize(x, np.ones(8), np.zeros(8), kind, eps=1e-12)
    axis = 0 if kind == "batch" else 1
    np.testing.assert_allclose(y.mean(axis=axis), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.std(axis=axis), 1.0, atol=1e-9)
    other = 1 - axis
    assert np.max(np.abs(y.mean(axis=other))) > 1e-3  # the other axis is left alone


def test_gamma_and_beta_scale_and_shift():
    x = np.random.default_rng(1).standard_normal((20, 4))
    gamma, beta = np.array([1.0, 2.0, 0.5, 0.0]), np.array([0.0, 1.0, -1.0, 3.0])
    y, cache = nz.batch_norm(x, gamma, beta)
    np.testing.assert_allclose(y, gamma * cache.x_hat + beta)
    np.testing.assert_allclose(y[:, 3], 3.0)


@pytest.mark.parametrize("kind", ["batch", "layer"])
def test_backward_matches_finite_differences(kind):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((6, 5))
    gamma, beta = 1.0 + 0.3 * rng.standard_normal(5), 0.2 * rng.standard_normal(5)
    weights = rng.standard_normal((6, 5))

    def loss():
        return float(np.sum(weights * nz.normalize(x, gamma, beta, kind)[0]))

    _, cache = nz.normalize(x, gamma, beta, kind)
    grad_x, grad_gamma, grad_beta = nz.normalize_backward(weights, cache)
    np.testing.assert_allclose(grad_x, _numerical_gradient(loss, x), rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(grad_gamma, _numerical_gradient(loss, gamma), rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(grad_beta, _numerical_gradient(loss, beta), rtol=1e-5, atol=1e-8)


def test_layer_norm_works_on_sequences():
    x = np.random.default_rng(3).standard_normal((2, 7, 6))
    y, cache = nz.layer_norm(x, np.ones(6), np.zeros(6), eps=1e-12)
    np.testing.assert_allclose(y.std(axis=-1), 1.0, atol=1e-9)
    grad_x, grad_gamma, _ = nz.normalize_backward(np.ones_like(y), cache)
    assert grad_x.shape == x.shape and grad_gamma.shape == (6,)


@pytest.mark.parametrize("kind", ["batch", "layer"])
@pytest.mark.parametrize("c", [1e-3, 7.0])
def test_scale_invariance_output_same_gradient_over_c(kind, c):
    rng = np.random.default_rng(4)
    x, kernel, upstream = rng.standard_normal((32, 10)), rng.standard_normal((10, 6)), None
    upstream = rng.standard_normal((32, 6))
    y1, g1 = nz.normalized_linear(x, kernel, upstream, kind, eps=1e-12)
    y2, g2 = nz.normalized_linear(x, c * kernel, upstream, kind, eps=1e-12)
    np.testing.assert_allclose(y2, y1, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(g2, g1 / c, rtol=1e-3, atol=1e-6 * np.abs(g1).max() / c)


def test_without_a_norm_the_output_scales_and_the_gradient_does_not():
    rng = np.random.default_rng(5)
    x, kernel, upstream = (
        rng.standard_normal((8, 4)),
        rng.standard_normal((4, 3)),
        rng.standard_normal((8, 3)),
    )
    y1, g1 = nz.normalized_linear(x, kernel, upstream, None)
    y2, g2 = nz.normalized_linear(x, 3.0 * kernel, upstream, None)
    np.testing.assert_allclose(y2, 3.0 * y1)
    np.testing.assert_allclose(g2, g1)


@pytest.mark.parametrize("norm", ["batch", "layer", None])
def test_normalized_mlp_gradients_match_finite_differences(norm):
    rng = np.random.default_rng(6)
    model = nz.build_normalized_mlp([3, 5, 4, 3], 0.7, norm=norm, seed=1)
    x, y = rng.standard_normal((10, 3)), rng.integers(0, 3, 10)
    for gamma in model.gammas:
        gamma += 0.2 * rng.standard_normal(gamma.shape)
    grads = model.loss_and_gradients(x, y)[1]
    for parameter, grad in zip(model.parameters, grads):
        numeric = _numerical_gradient(lambda: model.loss_and_gradients(x, y)[0], parameter)
        np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-7)


def test_epsilon_sets_a_floor_to_the_scale_invariance():
    x, upstream = np.ones((4, 1)) * np.arange(4.0)[:, None], np.ones((4, 1))
    kernel = np.array([[1e-4]])
    y = nz.normalized_linear(x, kernel, upstream, "batch")[0]
    variance = np.var(x @ kernel)
    np.testing.assert_allclose(np.std(y), math.sqrt(variance / (variance + nz.EPSILON)))


def test_normalized_mlp_ignores_the_weight_scale_at_every_hidden_layer():
    x = np.random.default_rng(7).standard_normal((64, 5))
    small = nz.build_normalized_mlp([5, 16, 16, 3], 1e-4, eps=1e-14, seed=0)
    large = nz.build_normalized_mlp([5, 16, 16, 3], 1.0, eps=1e-14, seed=0)
    np.testing.assert_allclose(small.hidden_stds(x), large.hidden_stds(x), rtol=1e-5)
    plain = nz.build_normalized_mlp([5, 16, 16, 3], 1e-4, norm=None, seed=0)
    assert plain.hidden_stds(x)[-1] < 1e-6
    floored = nz.build_normalized_mlp([5, 16, 16, 3], 1e-4, seed=0)
    assert floored.hidden_stds(x)[-1] < 0.1 * large.hidden_stds(x)[-1]


def test_training_lowers_the_loss_and_reports_every_step():
    rng = np.random.default_rng(8)
    x = rng.standard_normal((128, 4))
    y = (x[:, 0] > 0).astype(int)
    model = nz.build_normalized_mlp([4, 16, 2], 0.1, seed=0)
    losses = nz.train_normalized(model, x, y, steps=60, learning_rate=0.2, batch_size=32)
    assert losses.shape == (60,) and np.all(np.isfinite(losses))
    assert losses[-10:].mean() < 0.5 * losses[:5].mean()


@pytest.mark.parametrize("placement", nz.PLACEMENTS)
@pytest.mark.parametrize("norm", ["batch", "layer"])
def test_residual_kernel_gradients_match_finite_differences(placement, norm):
    rng = np.random.default_rng(9)
    net = nz.build_normalized_residual_net(4, 3, placement=placement, norm=norm, alpha=0.7, seed=2)
    for gamma in net.gammas:
        gamma += 0.3 * rng.standard_normal(gamma.shape)
    x, upstream = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    norms = net.kernel_gradients(x, upstream)
    for index, (a_kernel, b_kernel) in enumerate(net.kernels):
        for which, kernel in enumerate((a_kernel, b_kernel)):
            numeric = _numerical_gradient(
                lambda: float(np.sum(upstream * net.forward(x)[2])), kernel
            )
            assert norms[index][which] == pytest.approx(np.linalg.norm(numeric), rel=1e-5)


@pytest.mark.parametrize("placement", nz.PLACEMENTS)
def test_jacobian_matches_finite_differences(placement):
    net = nz.build_normalized_residual_net(
        5, 3, placement=placement, norm="layer", alpha=0.5, seed=3
    )
    x = np.random.default_rng(10).standard_normal(5)
    jacobian = net.input_output_jacobian(x)
    numeric = np.zeros((5, 5))
    for i in range(5):
        step = np.zeros(5)
        step[i] = 1e-6
        plus = net.forward((x + step)[None])[2][0]
        minus = net.forward((x - step)[None])[2][0]
        numeric[i] = (plus - minus) / 2e-6
    np.testing.assert_allclose(jacobian, numeric, rtol=1e-5, atol=1e-7)


def test_rezero_is_exactly_the_identity():
    net = nz.build_normalized_residual_net(6, 10, placement="none", alpha=0.0, seed=0)
    x = np.random.default_rng(11).standard_normal(6)
    assert np.array_equal(net.input_output_jacobian(x), np.eye(6))
    assert np.array_equal(net.forward(x[None])[2][0], x)


def test_zero_gamma_blocks_start_as_the_identity():
    net = nz.build_normalized_residual_net(8, 5, placement="branch", zero_gamma=True, seed=0)
    x = np.random.default_rng(12).standard_normal((16, 8))
    assert np.array_equal(net.forward(x)[2], x)


def test_branch_normalized_stream_grows_linearly_not_geometrically():
    net = nz.build_normalized_residual_net(256, 16, placement="branch", norm="batch", seed=0)
    x = np.random.default_rng(13).standard_normal((512, 256))
    second_moments = [float(np.mean(h**2)) for h in net.forward(x)[0]]
    expected = [1.0 + block for block in range(17)]
    np.testing.assert_allclose(second_moments, expected, rtol=0.05)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="kind"):
        nz.normalize(np.ones((2, 2)), np.ones(2), np.zeros(2), "group")
    with pytest.raises(ValueError, match="gamma"):
        nz.batch_norm(np.ones((2, 3)), np.ones(2), np.zeros(3))
    with pytest.raises(ValueError, match="placement"):
        nz.build_normalized_residual_net(4, 2, placement="middle")
    with pytest.raises(ValueError, match="zero_gamma"):
        nz.build_normalized_residual_net(4, 2, placement="pre", zero_gamma=True)
    with pytest.raises(ValueError, match="width"):
        nz.build_normalized_residual_net(0, 2)
    with pytest.raises(ValueError, match="weight_std"):
        nz.build_normalized_mlp([2, 3, 2], 0.0)
    with pytest.raises(ValueError, match="norm='layer'"):
        nz.build_normalized_residual_net(4, 2, placement="pre").input_output_jacobian(np.ones(4))
    assert math.isclose(nz.EPSILON, 1e-5)

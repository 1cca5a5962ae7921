"""Spectra of products of random matrices and of input-output Jacobians (dynamical isometry)."""

import math

import numpy as np
import pytest

from weight_init import isometry
from weight_init.experiment import propagate
from weight_init.init_fns import catalogue_init


def orthogonal_matrices(count, n, gain=1.0, seed=0):
    init = catalogue_init("orthogonal", gain=gain)
    rng = np.random.default_rng(seed)
    return [init(n, n, rng=rng) for _ in range(count)]


def test_products_of_orthogonal_matrices_keep_every_singular_value_at_one():
    spectra = isometry.product_singular_values(orthogonal_matrices(30, 40))
    assert len(spectra) == 30
    for spectrum in spectra:
        np.testing.assert_allclose(spectrum, 1.0, atol=1e-10)
    scaled = isometry.product_singular_values(orthogonal_matrices(10, 20, gain=1.1))[-1]
    np.testing.assert_allclose(scaled, 1.1**10, rtol=1e-10)


def test_products_of_gaussian_matrices_spread_with_depth():
    rng = np.random.default_rng(0)
    matrices = [rng.standard_normal((60, 60)) / math.sqrt(60) for _ in range(16)]
    spectra = isometry.product_singular_values(matrices)
    np.testing.assert_allclose(spectra[0], np.linalg.svd(matrices[0], compute_uv=False))
    condition = [s[0] / s[-1] for s in spectra]
    assert condition[-1] > 1e3 * condition[0]
    # entry l holds the product of the first l + 1 matrices: its squared singular values add up
    # to the product's squared Frobenius norm
    product = np.eye(60)
    for matrix, spectrum in zip(matrices, spectra, strict=True):
        product = product @ matrix
        assert np.sum(spectrum**2) == pytest.approx(np.sum(product**2), rel=1e-10)
        assert np.all(np.diff(spectrum) <= 0)  # largest first


def test_one_over_n_scaling_keeps_the_mean_squared_singular_value_at_one():
    # E[‖M_1 ⋯ M_L‖_F² / n] = 1 for N(0, 1/n) entries; one product fluctuates by ~20 % at depth
    # 16, the mean over 40 products by ~3 %
    means = []
    for seed in range(40):
        rng = np.random.default_rng(seed)
        matrices = [rng.standard_normal((60, 60)) / math.sqrt(60) for _ in range(16)]
        means.append(np.mean(isometry.product_singular_values(matrices)[-1] ** 2))
    assert np.mean(means) == pytest.approx(1.0, abs=0.1)


def test_rectangular_products_and_bad_shapes():
    spectra = isometry.product_singular_values([np.ones((3, 5)), np.ones((5, 2))])
    assert [s.shape for s in spectra] == [(3,), (2,)]
    with pytest.raises(ValueError, match=r"matrices\[1\]"):
        isometry.product_singular_values([np.ones((3, 5)), np.ones((4, 2))])
    with pytest.raises(ValueError, match="at least one"):
        isometry.product_singular_values([])


def test_the_jacobian_of_a_linear_orthogonal_net_is_an_isometry():
    run = propagate(
        [32] * 12, catalogue_init("orthogonal"), activation="linear", n_samples=3, input_dim=32
    )
    singular_values = isometry.jacobian_singular_values(run, "linear", samples=3)
    assert singular_values.shape == (3, 32)
    np.testing.assert_allclose(singular_values, 1.0, atol=1e-10)


def test_the_jacobian_matches_finite_differences_for_tanh():
    init = catalogue_init(
        "variance_scaling", scale=1.5, mode="fan_in", distribution="untruncated_normal"
    )
    run = propagate(
        [6, 5, 4], init, activation="tanh", n_samples=1, input_dim=6, seed=3, bias_std=0.2
    )

    def forward(x):
        for w, b in zip(run.weights, run.biases):
            x = np.tanh(x @ w + b)
        return x

    x0 = run.inputs[0]
    columns = [(forward(x0 + 1e-6 * e) - forward(x0 - 1e-6 * e)) / 2e-6 for e in np.eye(6)]
    numerical = np.array(columns).T  # (n_L, n_0)
    expected = np.linalg.svd(numerical, compute_uv=False)
    np.testing.assert_allclose(
        isometry.jacobian_singular_values(run, "tanh")[0], expected, rtol=1e-6
    )


def test_critical_point_puts_q_star_at_chi_one():
    sigma_w2, sigma_b2 = isometry.critical_point(1 / 64, "tanh")
    assert 1.0 < sigma_w2 < 1.05 and 0 <= sigma_b2 < 1e-4
    assert isometry.critical_point(0.7, "relu") == (2.0, 0.0)
    assert isometry.critical_point(1.0, "linear") == (1.0, 0.0)
    with pytest.raises(ValueError, match="q_star="):
        isometry.critical_point(0.0)


def test_predicted_variance_in_the_known_cases():
    assert isometry.predicted_jacobian_variance(20, "linear", 1.0, "gaussian") == pytest.approx(20)
    assert isometry.predicted_jacobian_variance(20, "linear", 1.0, "orthogonal") == pytest.approx(
        0, abs=1e-12
    )
    assert isometry.predicted_jacobian_variance(10, "relu", 1.0, "orthogonal") == pytest.approx(10)
    assert isometry.predicted_jacobian_variance(10, "relu", 1.0, "gaussian") == pytest.approx(20)
    small = isometry.predicted_jacobian_variance(10, "tanh", 1 / 64, "orthogonal")
    large = isometry.predicted_jacobian_variance(10, "tanh", 1.0, "orthogonal")
    assert 0 < small < 0.1 < large
    with pytest.raises(ValueError, match="weights="):
        isometry.predicted_jacobian_variance(3, "tanh", 1.0, "uniform")


@pytest.mark.parametrize(
    "activation, q_star, kind",
    [("linear", 1.0, "gaussian"), ("tanh", 1 / 64, "orthogonal"), ("relu", 1.0, "orthogonal")],
)
def test_measured_jacobian_spread_follows_the_prediction(activation, q_star, kind):
    sigma_w2, sigma_b2 = isometry.critical_point(q_star, activation)
    if kind == "orthogonal":
        init = catalogue_init("orthogonal", gain=math.sqrt(sigma_w2))
    else:
        init = catalogue_init(
            "variance_scaling", scale=sigma_w2, mode="fan_in", distribution="untruncated_normal"
        )
    x = math.sqrt(q_star) * np.random.default_rng(0).standard_normal((4, 200))
    run = propagate(
        [200] * 8, init, activation=activation, inputs=x, seed=1, bias_std=math.sqrt(sigma_b2)
    )
    squared = isometry.jacobian_singular_values(run, activation, samples=4) ** 2
    predicted = isometry.predicted_jacobian_variance(8, activation, q_star, kind)
    assert np.mean(squared) == pytest.approx(1.0, abs=0.2)
    assert float(np.mean(np.var(squared, axis=1))) == pytest.approx(predicted, rel=0.35)

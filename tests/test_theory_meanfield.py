"""theory's mean-field maps: variance map, q*, χ₁, critical line, correlations, depth scales."""

import math

import numpy as np
import pytest

from weight_init import theory
from weight_init.activations import Activation


def test_variance_map_matches_a_monte_carlo_estimate():
    z = np.random.default_rng(0).standard_normal(2_000_000)
    sampled = 2.5 * np.mean(np.tanh(math.sqrt(0.7) * z) ** 2) + 0.1
    assert theory.variance_map(0.7, 2.5, 0.1) == pytest.approx(sampled, rel=2e-3)


@pytest.mark.parametrize("activation, half", [("linear", 1.0), ("relu", 0.5)])
def test_piecewise_linear_nets_have_closed_form_fixed_points(activation, half):
    # q* = σ_b² + σ_w² · half · q*  =>  q* = σ_b² / (1 - half · σ_w²);  χ₁ = half · σ_w².
    sigma_w2, sigma_b2 = 0.8, 0.1
    assert theory.fixed_point(sigma_w2, sigma_b2, activation) == pytest.approx(
        sigma_b2 / (1 - half * sigma_w2), rel=1e-10
    )
    assert theory.chi_1(sigma_w2, sigma_b2, activation) == pytest.approx(half * sigma_w2, rel=1e-12)


@pytest.mark.parametrize("sigma_w2, sigma_b2", [(0.5, 0.05), (1.76, 0.05), (3.0, 0.2), (2.0, 0.0)])
def test_the_fixed_point_is_a_fixed_point_of_the_tanh_map(sigma_w2, sigma_b2):
    q_star = theory.fixed_point(sigma_w2, sigma_b2)
    assert q_star > 0
    assert theory.variance_map(q_star, sigma_w2, sigma_b2) == pytest.approx(q_star, rel=1e-10)


def test_tanh_without_bias_at_unit_weight_variance_sits_at_zero_and_on_the_edge():
    assert theory.fixed_point(1.0, 0.0) == 0.0
    assert theory.chi_1(1.0, 0.0) == pytest.approx(1.0, abs=1e-12)
    # Below the edge the signal dies and χ₁ is σ_w² (tanh'(0) = 1).
    assert theory.fixed_point(0.5, 0.0) == 0.0
    assert theory.chi_1(0.5, 0.0) == pytest.approx(0.5, abs=1e-12)
    assert theory.critical_sigma_w2(0.0) == pytest.approx(1.0, abs=1e-6)


def test_critical_line_at_the_classic_bias_variance():
    critical = theory.critical_sigma_w2(0.05)
    assert critical == pytest.approx(1.76, abs=0.005)
    assert theory.chi_1(critical, 0.05) == pytest.approx(1.0, abs=1e-9)
    assert theory.chi_1(0.9 * critical, 0.05) < 1 < theory.chi_1(1.1 * critical, 0.05)
    # A larger bias variance moves the edge to larger weight variances.
    assert theory.critical_sigma_w2(0.2) > critical


def test_depth_scale():
    assert theory.depth_scale(math.exp(-1 / 10)) == pytest.approx(10.0)
    assert theory.depth_scale(1.0) == math.inf
    assert theory.depth_scale(math.e) == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="chi=0"):
        theory.depth_scale(0.0)
    with pytest.raises(TypeError, match="chi='1'"):
        theory.depth_scale("1")


def test_linear_correlation_map_is_an_affine_line():
    # q* = 0.5, so c' = (σ_w² q* c + σ_b²) / q* = 0.8 c + 0.2.
    assert theory.correlation_map(0.3, 0.8, 0.1, "linear") == pytest.approx(0.44, rel=1e-9)
    assert theory.correlation_map(1.0, 0.8, 0.1, "linear") == pytest.approx(1.0, rel=1e-12)


def test_correlation_map_matches_a_monte_carlo_estimate():
    sigma_w2, sigma_b2, c = 2.5, 0.05, 0.5
    q_star = theory.fixed_point(sigma_w2, sigma_b2)
    z1, z2 = np.random.default_rng(1).standard_normal((2, 2_000_000))
    u1 = math.sqrt(q_star) * z1
    u2 = math.sqrt(q_star) * (c * z1 + math.sqrt(1 - c * c) * z2)
    sampled = (sigma_w2 * np.mean(np.tanh(u1) * np.tanh(u2)) + sigma_b2) / q_star
    assert theory.correlation_map(c, sigma_w2, sigma_b2) == pytest.approx(sampled, rel=5e-3)


def test_ordered_and_chaotic_phases():
    # Ordered: all inputs end up the same (c* = 1) and χ_c is χ₁.
    assert theory.correlation_fixed_point(1.0, 0.05) == 1.0
    assert theory.chi_c(1.0, 0.05) == theory.chi_1(1.0, 0.05) < 1
    # Chaotic: c* < 1 is a fixed point of the map, attracting (χ_c < 1) although χ₁ > 1.
    c_star = theory.correlation_fixed_point(3.0, 0.05)
    assert 0 < c_star < 1
    assert theory.correlation_map(c_star, 3.0, 0.05) == pytest.approx(c_star, abs=1e-9)
    assert theory.chi_c(3.0, 0.05) < 1 < theory.chi_1(3.0, 0.05)
    # Without bias, tanh decorrelates inputs completely.
    assert theory.correlation_fixed_point(2.0, 0.0) == pytest.approx(0.0, abs=1e-12)


def test_correlation_depth_scale_diverges_at_the_edge_only():
    critical = theory.critical_sigma_w2(0.05)
    assert theory.correlation_depth_scale(critical, 0.05) > 1e4
    for sigma_w2 in (1.0, 1.3, 2.5, 4.0):
        assert 1 < theory.correlation_depth_scale(sigma_w2, 0.05) < 30
    assert theory.correlation_depth_scale(1.0, 0.05) == pytest.approx(
        theory.depth_scale(theory.chi_1(1.0, 0.05))
    )


def test_lecun_scaled_tanh_with_unit_weight_variance_is_nearly_critical():
    a, b = 1.7159, 2.0 / 3.0
    scaled_tanh = Activation(
        "lecun_tanh", lambda z: a * np.tanh(b * z), lambda z: a * b * (1 - np.tanh(b * z) ** 2), 1.0
    )
    assert theory.chi_1(1.0, 0.0, scaled_tanh) == pytest.approx(1.0, abs=0.03)


def test_bad_arguments_name_the_argument():
    with pytest.raises(ValueError, match="sigma_w2=-1"):
        theory.variance_map(1.0, -1.0, 0.0)
    with pytest.raises(TypeError, match=r"sigma_b2='0\.05'"):
        theory.fixed_point(1.5, "0.05")
    with pytest.raises(ValueError, match=r"no finite fixed point.*sigma_w2=1\.5"):
        theory.fixed_point(1.5, 0.1, "linear")
    with pytest.raises(ValueError, match=r"c=1\.5"):
        theory.correlation_map(1.5, 2.0, 0.05)


def test_edge_of_chaos_figures_are_labelled():
    import matplotlib.pyplot as plt

    from weight_init import plots

    plots.use_classroom_style()
    sigma_w2, sigma_b2 = [1.0, 2.0, 3.0], [0.0, 0.1]
    chi = np.array([[1.0, 1.2, 1.3], [0.8, 1.05, 1.2]])
    phase = plots.plot_phase_diagram(sigma_w2, sigma_b2, chi, ([1.0, 1.9], sigma_b2), "phases")
    ax = phase.axes[0]
    assert ax.get_xlabel().startswith("weight variance") and ax.get_ylabel() == "bias variance σ_b²"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["edge of chaos, χ₁ = 1"]
    grid = plots.plot_trainability(
        sigma_w2,
        [3, 6],
        np.array([[1.0, 1.0, 0.9], [0.3, 1.0, 0.25]]),
        ([1.0, 3.0], [5.0, 5.0]),
        1.76,
        "trainability",
    )
    ax = grid.axes[0]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert ax.get_ylabel() == "depth (hidden layers)" and ax.get_title() == "trainability"
    assert len(ax.get_legend().get_texts()) == 2
    plt.close("all")


def test_the_activation_reaches_every_map():
    # SELU's edge of chaos is its own: χ₁ = 1 there, far from tanh's σ_w² ≈ 1.76
    selu_edge = theory.critical_sigma_w2(0.05, "selu")
    assert theory.chi_1(selu_edge, 0.05, "selu") == pytest.approx(1.0, abs=1e-9)
    assert selu_edge < 0.6 * theory.critical_sigma_w2(0.05)
    # ordered tanh without bias: q* = 0, every pair of inputs ends up identical (c = 1)
    assert theory.correlation_map(0.3, 0.5, 0.0) == 1.0


def test_length_depth_scale_is_minus_one_over_log_of_the_variance_maps_slope_at_q_star():
    for sigma_w2 in (1.0, 1.76, 4.0):
        q_star = theory.fixed_point(sigma_w2, 0.05)
        h = 1e-5 * q_star
        slope = (
            theory.variance_map(q_star + h, sigma_w2, 0.05)
            - theory.variance_map(q_star - h, sigma_w2, 0.05)
        ) / (2 * h)
        assert theory.length_depth_scale(sigma_w2, 0.05) == pytest.approx(
            -1 / math.log(slope), rel=1e-5
        )
    # finite at the edge of chaos, where the correlation scale diverges
    critical = theory.critical_sigma_w2(0.05)
    assert 1.0 < theory.length_depth_scale(critical, 0.05) < 2.0
    assert theory.correlation_depth_scale(critical, 0.05) > 1000
    with pytest.raises(ValueError, match="q\\* = 0"):
        theory.length_depth_scale(1.0, 0.0)

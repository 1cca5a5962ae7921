"""The variance rule and the shared figures."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from weight_init import activations, experiment, plots, theory


def test_variance_rule_against_a_measurement():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4000, 300)) * 1.5
    w = rng.standard_normal((300, 200)) * 0.05
    predicted = theory.preactivation_variance(300, 0.05**2, float(np.mean(x**2)))
    assert (x @ w).var() == pytest.approx(predicted, rel=0.05)


def test_variance_rule_rejects_bad_arguments():
    with pytest.raises(ValueError, match="fan_in=0"):
        theory.preactivation_variance(0, 1.0, 1.0)
    with pytest.raises(ValueError, match="weight_variance=-1"):
        theory.preactivation_variance(3, -1.0, 1.0)


def test_figures_are_labelled():
    plots.use_classroom_style()
    stats = plots.plot_layer_stats([0.0, 0.1], [1.0, 0.5], "title")
    assert [ax.get_xlabel() for ax in stats.axes] == ["layer", "layer"]
    assert all(ax.get_ylabel() and ax.get_title() for ax in stats.axes)
    strip = plots.plot_layer_histograms([np.zeros(10), np.ones(10)], "strip")
    assert strip.axes[0].get_ylabel() == "fraction"
    curves = plots.plot_layer_curves(
        {"a": [1, 2], "b": [2, 1]}, "t", "std", log_scale=True, reference=("theory", [1, 1])
    )
    ax = curves.axes[0]
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "theory"]
    plt.close("all")


def test_second_moments_of_the_activations_under_a_gaussian():
    assert theory.activation_second_moment("linear", 2.5) == 2.5
    assert theory.activation_second_moment("relu", 3.0) == 1.5
    assert theory.derivative_second_moment("relu", 3.0) == 0.5
    assert theory.derivative_second_moment("leaky_relu", 1.0) == pytest.approx(0.50005)
    # The quadrature reproduces the closed forms and a large Monte Carlo sample.
    assert theory.gaussian_expectation(lambda z: np.maximum(z, 0) ** 2, 3.0) == pytest.approx(
        1.5, rel=1e-9
    )
    z = np.random.default_rng(0).standard_normal(1_000_000) * math.sqrt(0.8)
    for name in ["tanh", "sigmoid", "selu"]:
        act = activations.get_activation(name)
        assert theory.activation_second_moment(name, 0.8) == pytest.approx(
            np.mean(act.forward(z) ** 2), rel=5e-3
        )
        assert theory.derivative_second_moment(name, 0.8) == pytest.approx(
            np.mean(act.derivative(z) ** 2), rel=5e-3
        )
    # Saturated tanh (q = 500, the 1·randn net): only a window of width ~1 around 0 is not
    # at ±1, so E[tanh²] ≈ 1 - 2/sqrt(2πq) and E[tanh'²] ≈ (4/3)/sqrt(2πq).
    window = 1 / math.sqrt(2 * math.pi * 500)
    assert theory.activation_second_moment("tanh", 500.0) == pytest.approx(1 - 2 * window, rel=1e-4)
    assert theory.derivative_second_moment("tanh", 500.0) == pytest.approx(4 / 3 * window, rel=1e-2)


def test_predicted_signal_matches_the_measured_deep_net():
    sizes = [300] * 8
    run = experiment.propagate(
        sizes, experiment.lecun_init, "tanh", n_samples=400, input_dim=300, seed=1
    )
    prediction = theory.predict_signal("tanh", [300, *sizes], [1 / 300] * 8)
    measured_forward = experiment.second_moments(run.activations)
    measured_backward = experiment.second_moments(run.pre_activation_grads)
    np.testing.assert_allclose(measured_forward, prediction.activation_second_moments, rtol=0.05)
    np.testing.assert_allclose(measured_backward, prediction.gradient_second_moments, rtol=0.05)
    # The seed net's LeCun/tanh std table, first and last layer.
    seed_net = theory.predict_signal("tanh", [500] * 11, [1 / 500] * 10)
    stds = np.sqrt(seed_net.activation_second_moments)
    assert stds[0] == pytest.approx(0.628, abs=2e-3) and stds[-1] == pytest.approx(0.227, abs=3e-3)


def test_he_keeps_relu_second_moments_and_bias_adds_its_variance():
    he = theory.predict_signal("relu", [256] * 6, [2 / 256] * 5)
    assert he.activation_second_moments == pytest.approx([1.0] * 5)
    assert he.gradient_second_moments == pytest.approx([0.5] * 5)
    lecun = theory.predict_signal("relu", [256] * 4, [1 / 256] * 3, input_second_moment=2.0)
    assert lecun.activation_second_moments == pytest.approx([1.0, 0.5, 0.25])
    biased = theory.predict_signal(
        "linear", [10, 10], [0.1], input_second_moment=1.0, bias_variance=0.25
    )
    assert biased.pre_activation_variances == pytest.approx([1.25])


def test_the_prediction_follows_each_layer_s_own_width_and_variance():
    # Unequal widths and variances, so a fan_in taken for a fan_out (or a layer for its
    # neighbour) changes the answer. Linear: E[φ(z)²] = q and E[φ'(z)²] = 1, so
    #   q_l = n_{l-1} v_l E[a_{l-1}²] (+ σ_b²),  E[δ_L²] = g,  E[δ_{l-1}²] = n_l v_l E[δ_l²].
    sizes, variances, m0, g = [3, 5, 7, 11], [0.5, 0.25, 0.125], 2.0, 3.0
    linear = theory.predict_signal(
        "linear", sizes, variances, input_second_moment=m0, upstream_second_moment=g
    )
    q1 = 3 * 0.5 * m0
    q2 = 5 * 0.25 * q1
    q3 = 7 * 0.125 * q2
    assert linear.pre_activation_variances == pytest.approx([q1, q2, q3], rel=1e-12)
    assert linear.activation_second_moments == pytest.approx([q1, q2, q3], rel=1e-12)
    d3 = g
    d2 = 11 * 0.125 * d3
    d1 = 7 * 0.25 * d2
    assert linear.gradient_second_moments == pytest.approx([d1, d2, d3], rel=1e-12)
    # ReLU halves both moments at every layer; a bias adds σ_b² to every q_l.
    relu = theory.predict_signal(
        "relu",
        sizes,
        variances,
        input_second_moment=m0,
        upstream_second_moment=g,
        bias_variance=0.1,
    )
    r1 = 3 * 0.5 * m0 + 0.1
    r2 = 5 * 0.25 * (r1 / 2) + 0.1
    r3 = 7 * 0.125 * (r2 / 2) + 0.1
    assert relu.pre_activation_variances == pytest.approx([r1, r2, r3], rel=1e-12)
    assert relu.activation_second_moments == pytest.approx([r1 / 2, r2 / 2, r3 / 2], rel=1e-12)
    e3 = g / 2
    e2 = 11 * 0.125 * e3 / 2
    e1 = 7 * 0.25 * e2 / 2
    assert relu.gradient_second_moments == pytest.approx([e1, e2, e3], rel=1e-12)


def test_predicted_signal_rejects_bad_arguments():
    with pytest.raises(ValueError, match="layer_sizes"):
        theory.predict_signal("tanh", [10], [])
    with pytest.raises(TypeError, match=r"layer_sizes=\[10, 2.5\]"):
        theory.predict_signal("tanh", [10, 2.5], [0.1])
    with pytest.raises(ValueError, match="one entry per layer"):
        theory.predict_signal("tanh", [10, 10, 10], [0.1])
    with pytest.raises(ValueError, match="bias_variance=-1"):
        theory.predict_signal("tanh", [10, 10], [0.1], bias_variance=-1.0)
    with pytest.raises(TypeError, match="variance='big'"):
        theory.gaussian_expectation(np.tanh, "big")
    with pytest.raises(ValueError, match="Unknown activation"):
        theory.activation_second_moment("softsign", 1.0)


def test_diagrams_and_layer_distributions_are_labelled():
    plots.use_classroom_style()
    net = plots.draw_network([3, 20, 1], "net", max_units_drawn=5)
    texts = [t.get_text() for t in net.axes[0].texts]
    assert "⋮" in texts and any("W1: (20, 3)" in t for t in texts)
    layouts = plots.draw_weight_layouts(fan_in=2, fan_out=3)
    assert ["(out, in)" in ax.get_title() for ax in layouts.axes] == [True, False]
    lines = plots.plot_layer_distributions(
        [np.zeros(4), np.ones(4)], "t", (-1.0, 1.0), "activation"
    )
    ax = lines.axes[0]
    assert ax.get_xlabel() == "activation" and ax.get_ylabel() == "fraction per bin"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["layer 1", "layer 2"]
    plt.close("all")


def test_ratio_heatmaps_annotate_every_cell():
    plots.use_classroom_style()
    values = np.array([[1.0, 1e-15], [0.5, 30.0]])
    fig = plots.plot_ratio_heatmaps(
        {"forward": values, "backward": values}, ["a", "b"], ["x", "y"], "t"
    )
    heat_axes = [ax for ax in fig.axes if ax.get_title() in ("forward", "backward")]
    assert len(heat_axes) == 2
    labels = [t.get_text() for t in heat_axes[0].texts]
    assert labels == ["1", "1e-15", "0.5", "3e+01"]
    assert heat_axes[0].get_ylabel() == "activation"
    plt.close("all")


def test_layer_distribution_grid_shares_axes_per_column():
    plots.use_classroom_style()
    rng = np.random.default_rng(0)
    layers = [rng.standard_normal(50) for _ in range(3)]
    fig = plots.plot_layer_distribution_grid(
        {"a": [layers, layers], "b": [layers, layers]},
        [("x", (-1.0, 1.0), 10), ("g", (-2.0, 2.0), 20)],
        "grid",
    )
    axes = np.array(fig.axes).reshape(2, 2)
    assert axes[0, 0].get_xlim() == (-1.0, 1.0) and axes[1, 1].get_xlim() == (-2.0, 2.0)
    assert [ax.get_xlabel() for ax in axes[1]] == ["x", "g"]
    assert axes[0, 0].get_shared_y_axes().joined(axes[0, 0], axes[1, 0])
    assert len(axes[0, 0].get_lines()) == 3
    plt.close("all")


def test_repeated_product_marks_the_float32_stop():
    plots.use_classroom_style()
    grow = [22.6**k for k in range(1, 41)]
    stopped = grow[:28] + [float("inf")] * 12
    fig = plots.plot_repeated_product(
        {("1", "float64"): grow, ("1", "float32"): stopped, ("x", "float64"): [1.0] * 40},
        29,
        3.4e38,
    )
    left, right = fig.axes
    assert left.get_yscale() == "log" and right.get_yscale() == "linear"
    labels = [t.get_text() for t in left.get_legend().get_texts()]
    assert "float32 stops (step 29)" in labels and "float32 maximum" in labels
    plt.close("all")


def test_the_cobweb_walks_between_the_diagonal_and_the_map():
    fig, ax = plt.subplots()
    plots.draw_cobweb(ax, [2.0, 1.0, 0.5], "#0072B2")
    path, start = ax.lines
    assert path.get_xdata().tolist() == [2.0, 2.0, 1.0, 1.0, 0.5]
    assert path.get_ydata().tolist() == [2.0, 1.0, 1.0, 0.5, 0.5]
    assert start.get_xdata().tolist() == [2.0] and start.get_ydata().tolist() == [2.0]
    plt.close(fig)
    with pytest.raises(ValueError, match="iterates"):
        plots.draw_cobweb(ax, [1.0], "#0072B2")

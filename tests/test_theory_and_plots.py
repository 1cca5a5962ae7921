"""The variance rule and the shared figures."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from weight_init import plots, theory


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
    curves = plots.plot_layer_curves({"a": [1, 2], "b": [2, 1]}, "t", "std", log_scale=True,
                                     reference=("theory", [1, 1]))
    ax = curves.axes[0]
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "theory"]
    plt.close("all")

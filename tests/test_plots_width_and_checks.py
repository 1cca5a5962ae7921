"""The figures of notebooks 14 and 15 draw what they are given, labelled."""

import matplotlib.pyplot as plt
import numpy as np

from weight_init import plots


def test_coordinate_check_has_one_panel_per_step_and_log_axes():
    sizes = np.arange(1, 1 + 3 * 5 * 3, dtype=float).reshape(3, 5, 3)
    fig = plots.plot_coordinate_check([64, 128, 256], sizes, "check")
    axes = fig.axes
    assert len(axes) == 4 and axes[0].get_yscale() == "log" and axes[0].get_xscale() == "log"
    np.testing.assert_array_equal(axes[0].lines[2].get_ydata(), sizes[:, 1, 2])
    assert axes[0].get_xlabel() == "width n (units)" and axes[-1].get_legend() is not None
    plt.close(fig)


def test_learning_rate_transfer_marks_each_widths_best():
    losses = {"SP": {32: [3.0, 1.0, 2.0], 64: [1.0, 2.0, 3.0]}, "μP": {32: [3.0, 2.0, 1.0]}}
    fig = plots.plot_learning_rate_transfer([-3, -2, -1], losses, "transfer")
    left = fig.axes[0]
    stars = [line for line in left.lines if line.get_marker() == "*"]
    assert [float(s.get_xdata()[0]) for s in stars] == [-2.0, -3.0]
    assert left.get_title() == "SP" and left.get_xlabel().startswith("log₂")
    plt.close(fig)


def test_value_histograms_and_norms_over_time():
    fig = plots.plot_value_histograms({"a": np.zeros(10), "b": np.ones(10)}, "t", "value")
    assert len(fig.axes) == 2 and fig.axes[0].get_ylabel() == "fraction of values"
    plt.close(fig)
    fig = plots.plot_norm_over_time([1, 2], {"x": [1.0, 10.0]}, "t")
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and list(ax.lines[0].get_ydata()) == [1.0, 10.0]
    plt.close(fig)

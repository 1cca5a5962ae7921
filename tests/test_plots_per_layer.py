"""The per-layer figures of notebooks 03, 05, 06 and 07 draw what they are given, on shared
axes where the lesson is a comparison of scale."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from weight_init import plots


def test_histogram_rows_share_both_axes_and_name_each_panel():
    rows = {"LeCun": [np.full(4, 0.1), np.full(4, 0.05)], "He": [np.ones(4), np.ones(4)]}
    fig = plots.plot_histogram_rows(rows, [1, 10], "t", value_range=(0.0, 2.0))
    axes = fig.axes
    assert [ax.get_title() for ax in axes] == [
        "LeCun: layer 1",
        "LeCun: layer 10",
        "He: layer 1",
        "He: layer 10",
    ]
    assert all(ax.get_xlim() == (0.0, 2.0) for ax in axes)
    heights = [patch.get_height() for patch in axes[0].patches]
    assert max(heights) == pytest.approx(1.0) and axes[0].get_ylabel() == "fraction"
    plt.close(fig)


def test_histogram_rows_refuse_a_row_of_the_wrong_length():
    with pytest.raises(ValueError, match="rows\\['He'\\]"):
        plots.plot_histogram_rows({"He": [np.ones(3)]}, [1, 2], "t", (0.0, 1.0))
    with pytest.raises(ValueError, match="rows"):
        plots.plot_histogram_rows({}, [1], "t", (0.0, 1.0))


def test_measured_and_predicted_share_a_colour_per_setting():
    fig = plots.plot_measured_and_predicted(
        {"a": [1.0, 2.0], "b": [3.0, 4.0, 5.0]}, {"a": [1.0, 2.5], "b": [3.0, 4.0, 6.0]}, "t", "y"
    )
    ax = fig.axes[0]
    measured_a, predicted_a, measured_b, predicted_b = ax.lines
    assert measured_a.get_color() == predicted_a.get_color() != measured_b.get_color()
    assert predicted_b.get_linestyle() == "--" and list(predicted_b.get_ydata()) == [3, 4, 6]
    assert list(ax.get_xticks()) == [1, 2, 3] and ax.get_legend() is not None
    plt.close(fig)
    with pytest.raises(ValueError, match="predicted"):
        plots.plot_measured_and_predicted({"a": [1.0]}, {"b": [1.0]}, "t", "y")


def test_layer_bars_draw_one_bar_per_layer_and_the_reference():
    values = -np.linspace(14, 16, 31)
    fig = plots.plot_layer_bars(values, "t", "log₂", reference=("2^-14.5", -14.5))
    ax = fig.axes[0]
    assert [patch.get_height() for patch in ax.patches] == pytest.approx(values)
    assert list(ax.get_xticks()) == [1, 5, 10, 15, 20, 25, 30]
    assert any(list(line.get_ydata()) == [-14.5, -14.5] for line in ax.lines)
    plt.close(fig)
    with pytest.raises(ValueError, match="values"):
        plots.plot_layer_bars([], "t", "y")


def test_initializer_scales_share_one_value_axis_and_list_constants_as_text():
    rng = np.random.default_rng(0)
    identity = np.zeros((4, 3))
    identity[np.arange(3), np.arange(3)] = 1.0
    samples = {
        "Zeros": np.zeros((4, 3)),
        "Identity": identity,
        "Narrow": 0.01 * rng.standard_normal((4, 3)),
        "Wide": rng.standard_normal((4, 3)),
    }
    fig = plots.plot_initializer_scales(samples, "t")
    narrow, wide, text = fig.axes[:3]
    assert narrow.get_xlim() == wide.get_xlim()
    assert [narrow.get_title(), wide.get_title()] == ["Narrow", "Wide"]
    listed = text.texts[0].get_text()
    assert "Zeros: all 0" in listed and "Identity: 3 × 1, rest 0" in listed
    plt.close(fig)
    with pytest.raises(ValueError, match="random"):
        plots.plot_initializer_scales({"Zeros": np.zeros(3)}, "t")

"""The explorer's axes-level drawings: labelled, redrawable in place, never in pyplot's list."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from weight_init import plots


def test_the_explorer_figure_is_redrawn_in_place_without_pyplot():
    open_figures = plt.get_fignums()
    fig = plots.explorer_figure()
    left, right = fig.axes
    edges = np.linspace(-1, 1, 5)
    histograms = [(np.array([0.1, 0.4, 0.4, 0.1]), edges), (np.array([0.0, 0.5, 0.5, 0.0]), edges)]
    for _ in range(3):
        plots.draw_layer_violins(left, histograms, "tanh activation a", "distribution per layer")
        plots.draw_moment_curve(right, [1.0, 0.5], [1.0, 0.49], "E[a²]", "second moment")
    assert plt.get_fignums() == open_figures
    assert len(left.collections) == 1 and len(right.lines) == 2
    assert (left.get_xlabel(), left.get_ylabel(), left.get_title()) == (
        "layer",
        "tanh activation a",
        "distribution per layer",
    )
    assert left.get_ylim() == (-1.0, 1.0) and right.get_yscale() == "log"
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["measured", "theory"]
    plots.draw_moment_curve(right, [0.0, 0.0], [0.0, 0.0], "E[a²]", "all zero")
    assert right.get_yscale() == "linear" and len(right.lines) == 2


def test_cost_curve_and_decision_boundary_panels():
    fig = plots.explorer_figure()
    left, right = fig.axes
    plots.draw_cost_curve(left, [0.9, 0.5, 0.2], "cost")
    assert left.get_yscale() == "log" and left.get_xlabel() == "gradient-descent step"
    grid_x, grid_y = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-1, 1, 4))
    classes = (grid_x > 0).astype(int)
    x = np.array([[-0.5, 0.0], [0.5, 0.0]])
    for _ in range(2):
        plots.draw_decision_boundary(
            right, grid_x, grid_y, classes, x, np.array([0, 1]), "boundary"
        )
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["class 0", "class 1"]
    assert (right.get_xlabel(), right.get_ylabel()) == ("x₁", "x₂")
    assert right.get_xlim() == (-1.0, 1.0)
    assert len(right.collections) == 3  # the shaded surface and one set of points per class


def test_classroom_style_is_readable_on_a_projector():
    from weight_init.plots import CLASSROOM_STYLE

    assert CLASSROOM_STYLE["figure.dpi"] >= 100 and CLASSROOM_STYLE["savefig.dpi"] >= 100
    assert CLASSROOM_STYLE["xtick.labelsize"] >= 14 and CLASSROOM_STYLE["ytick.labelsize"] >= 14


def test_percentile_bands_are_drawn_in_place_and_keep_their_width():
    fig = plots.explorer_figure()
    left, _ = fig.axes
    quantiles = [(-2.0, -0.5, 0.0, 0.5, 2.0), (-1.0, -0.2, 0.1, 0.2, 1.0)]
    for _ in range(2):
        plots.draw_layer_bands(left, quantiles, "gradient ∂L/∂z", "spread per layer")
    assert len(left.collections) == 2 and len(left.lines) == 1  # two bands, one median
    assert left.lines[0].get_ydata().tolist() == [0.0, 0.1]
    low, high = left.get_ylim()
    assert low < -2.0 and high > 2.0
    assert [t.get_text() for t in left.get_legend().get_texts()] == [
        "5–95 % of entries",
        "25–75 %",
        "median",
    ]
    with pytest.raises(ValueError, match="quantiles"):
        plots.draw_layer_bands(left, [(0.0, 1.0)], "x", "t")
    plt.close(fig)

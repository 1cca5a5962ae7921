"""The explorer's widget tree, driven by setting control values (observers fire synchronously)."""

import base64

import ipywidgets as w
import matplotlib.pyplot as plt
import pytest

from weight_init import explorer_views as ev
from weight_init import plots, widgets
from weight_init.activations import ACTIVATIONS

SMALL_SIGNAL = ev.SignalSettings(width=64, depth=4, samples=100)
QUICK_TRAINING = ev.TrainingSettings(steps=200, learning_rate=0.1)


@pytest.fixture
def app():
    """A fresh explorer for every test, so no test depends on what another one moved."""
    explorer = widgets.build_explorer(SMALL_SIGNAL, QUICK_TRAINING)
    yield explorer
    plt.close("all")


def picture(output: w.Output) -> bytes:
    (shown,) = output.outputs
    return base64.b64decode(shown["data"]["image/png"])


def test_explorer_returns_a_tab_container_with_both_views():
    container = widgets.explorer()
    assert isinstance(container, w.Tab)
    assert container.titles == ("Layer by layer", "Training")
    assert all(isinstance(child, w.VBox) for child in container.children)


def test_the_controls_offer_every_choice(app):
    tab = app.signal
    assert [value for _, value in tab.initializer.options] == list(ev.INITIALIZER_NAMES)
    assert list(tab.activation.options) == list(ACTIVATIONS)  # every activation is offered
    assert list(tab.direction.options) == ["forward", "backward"]
    assert list(tab.mode.options) == ["fan_in", "fan_out", "fan_avg"]
    assert tab.settings() == SMALL_SIGNAL


def test_the_first_picture_is_the_default_view(app):
    tab = app.signal
    assert picture(tab.picture).startswith(b"\x89PNG")
    assert tab.view.second_moments == ev.signal_view(SMALL_SIGNAL).second_moments
    assert ev.signal_summary(tab.view) in tab.summary.value


def test_moving_a_control_recomputes_and_redraws(app):
    tab = app.signal
    before_png, before_summary, before_updates = (
        picture(tab.picture),
        tab.summary.value,
        tab.updates,
    )
    tab.gain.value = 1.5
    assert tab.updates == before_updates + 1
    assert tab.view.settings.gain == 1.5
    assert picture(tab.picture) != before_png and tab.summary.value != before_summary
    tab.direction.value = "backward"
    assert tab.view.symbol == "E[(∂L/∂z)²]"
    tab.activation.value = "relu"
    tab.depth.value = 6
    tab.bias_std.value = 0.2
    tab.shape.value = "funnel"
    assert tab.view.settings == ev.SignalSettings(
        activation="relu",
        depth=6,
        width=64,
        samples=100,
        shape="funnel",
        gain=1.5,
        bias_std=0.2,
        direction="backward",
    )
    assert len(tab.view.second_moments) == 6


def test_the_fan_mode_follows_the_initializer(app):
    tab = app.signal
    tab.initializer.value = "glorot_uniform"
    assert tab.mode.value == "fan_avg" and not tab.mode.disabled
    assert tab.view.settings.mode == "fan_avg"
    tab.mode.value = "fan_in"
    assert tab.view.settings == ev.SignalSettings(
        **{**tab.view.settings.__dict__, "mode": "fan_in"}
    )
    updates = tab.updates
    tab.initializer.value = "orthogonal"
    assert (
        tab.mode.disabled
        and tab.view.settings.mode is None
        and tab.view.settings.initializer == "orthogonal"
    )
    assert tab.updates == updates + 1  # one redraw per change, also when the mode moves with it


def test_no_figure_leaks_and_the_figure_is_reused(app):
    tab = app.signal
    figure, open_figures = tab.figure, plt.get_fignums()
    artists = [len(ax.get_children()) for ax in figure.axes]
    for gain in (0.5, 1.0, 0.5, 1.0):
        tab.gain.value = gain
    assert tab.figure is figure and plt.get_fignums() == open_figures
    assert [len(ax.get_children()) for ax in figure.axes] == artists


def test_the_training_tab_trains_when_first_opened_and_not_before(app):
    tab = app.training
    assert tab.view is None and tab.picture.outputs == () and tab.updates == 0
    app.container.selected_index = 1
    assert tab.view.loss.shape == (200,) and picture(tab.picture).startswith(b"\x89PNG")
    updates = tab.updates
    app.container.selected_index = 0
    app.container.selected_index = 1
    assert tab.updates == updates  # opening it again shows the same net


def test_training_tab_trains_on_the_button_and_marks_stale_settings(app):
    tab = app.training
    app.container.selected_index = 1
    assert tab.view.loss.shape == (200,) and picture(tab.picture).startswith(b"\x89PNG")
    first = tab.view
    tab.initializer.value = "zeros"
    assert "press <b>train</b>" in tab.summary.value and tab.view is first
    updates = tab.updates
    tab.train_button.click()
    assert tab.updates == updates + widgets.TRAINING_CHUNKS  # one picture per chunk
    assert tab.view.settings.initializer == "zeros" and tab.view.train_accuracy == 0.5
    assert "train accuracy 0.50" in tab.summary.value and not tab.train_button.disabled


def test_the_backward_view_draws_bands_and_the_forward_view_violins():
    fig = plots.explorer_figure()
    left, _ = fig.axes
    small = dict(width=32, depth=3, samples=100)
    widgets.draw_signal(fig, ev.signal_view(ev.SignalSettings(direction="backward", **small)))
    assert len(left.collections) == 2 and left.get_title() == "gradient: spread per layer"
    widgets.draw_signal(fig, ev.signal_view(ev.SignalSettings(**small)))
    assert len(left.collections) == 1 and "distribution per layer" in left.get_title()

r"""The explorer: controls → the same functions as the notebooks → the same plots.

``explorer()`` returns an ipywidgets 8 container with two tabs:

* **Layer by layer**: initializer (the scratch rules and the whole Keras
  catalogue), activation, depth, width, net shape, gain, fan mode (where it applies), bias
  std :math:`\sigma_b` and the direction, forward (activations) or backward (gradients). It shows
  each layer's histogram and the per-layer second moment with the theory's prediction over it.
* **Training**: an initializer, a gain, an activation and a 2-D toy set; the button trains
  the small classifier and shows the cost curve and the decision boundary as it learns. The
  first net trains when the tab is first opened, so building the explorer costs only the
  visible tab.

Everything is computed by :mod:`weight_init.explorer_views` and drawn by
:mod:`weight_init.plots`; this module only wires controls to them. Each tab owns one figure,
redrawn in place, and sends the picture as a PNG to an ``Output`` widget, so memory stays
flat however often the controls move. In tests, :func:`build_explorer` gives access to the
controls: setting a control's ``.value`` updates the view synchronously.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, replace
from typing import Optional

import ipywidgets as w
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from . import explorer_views as views
from . import plots

WIDTHS = (16, 32, 64, 128, 256, 512)
TRAINING_CHUNKS = 5  # pictures shown while the net trains


def figure_png(fig: Figure) -> bytes:
    """Render ``fig`` at its own dpi to PNG bytes (fast Agg draw, light compression)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = Image.frombuffer(
        "RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
    )
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def show_png(output: w.Output, png: bytes, description: str) -> None:
    """Replace what ``output`` shows by one PNG picture (``description`` is its text form)."""
    output.outputs = (
        {
            "output_type": "display_data",
            "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": description},
            "metadata": {},
        },
    )


def draw_signal(fig: Figure, view: views.SignalView) -> None:
    """Draw a signal view on a two-axes figure of :func:`weight_init.plots.explorer_figure`:
    the per-layer histograms (forward) or percentile bands (backward) on the left, the second
    moment with the theory on the right."""
    left, right = fig.axes
    if view.settings.direction == "backward":  # heavy-tailed: violins would be needles
        plots.draw_layer_bands(left, view.quantiles, view.quantity, "gradient: spread per layer")
    else:
        plots.draw_layer_violins(
            left, view.histograms, view.quantity, f"{view.quantity}: distribution per layer"
        )
    plots.draw_moment_curve(
        right,
        view.second_moments,
        view.predicted_second_moments,
        view.symbol,
        f"{view.symbol} per layer, measured and theory",
    )
    fig.suptitle(views.signal_title(view), fontsize=15)


def draw_training(fig: Figure, view: views.TrainingView) -> None:
    """Draw a training view on a two-axes explorer figure: cost curve left, classes right."""
    left, right = fig.axes
    plots.draw_cost_curve(left, view.loss, f"training cost ({len(view.loss)} steps)")
    plots.draw_decision_boundary(
        right,
        view.grid_x,
        view.grid_y,
        view.classes,
        view.x,
        view.y,
        f"decision boundary (train accuracy {view.train_accuracy:.2f})",
    )


def _initializer_options() -> list[tuple[str, str]]:
    return [(views.initializer_label(name), name) for name in views.INITIALIZER_NAMES]


def _layout(width: str = "360px") -> w.Layout:
    return w.Layout(width=width)


_LABELS = {"description_width": "110px"}


@dataclass
class SignalTab:
    """The signal tab: its controls (named like
    :class:`~weight_init.explorer_views.SignalSettings`),
    the one-line summary, the picture and the figure it is drawn on."""

    initializer: w.Dropdown
    activation: w.Dropdown
    depth: w.IntSlider
    width: w.SelectionSlider
    shape: w.ToggleButtons
    gain: w.FloatSlider
    mode: w.Dropdown
    bias_std: w.FloatSlider
    direction: w.ToggleButtons
    summary: w.HTML
    picture: w.Output
    figure: Figure
    box: w.VBox
    base: views.SignalSettings
    view: Optional[views.SignalView] = None
    updates: int = 0

    def settings(self) -> views.SignalSettings:
        """The settings the controls show now (samples and seed as the tab was built)."""
        applies = views.mode_applies(self.initializer.value)
        return replace(
            self.base,
            initializer=self.initializer.value,
            activation=self.activation.value,
            depth=self.depth.value,
            width=self.width.value,
            shape=self.shape.value,
            gain=float(self.gain.value),
            mode=self.mode.value if applies else None,
            bias_std=float(self.bias_std.value),
            direction=self.direction.value,
        )

    def update(self, change: object = None) -> None:
        """Recompute the view for the current settings and redraw the picture."""
        self.view = views.signal_view(self.settings())
        draw_signal(self.figure, self.view)
        show_png(self.picture, figure_png(self.figure), views.signal_title(self.view))
        # The text last: when it changes, the browser already has the new picture.
        self.summary.value = (
            f"<b>{views.signal_title(self.view)}</b><br>{views.signal_summary(self.view)}"
        )
        self.updates += 1

    def _initializer_changed(self, change: dict) -> None:
        # Show the new initializer's own fan mode; a mode change alone triggers one update.
        applies = views.mode_applies(change["new"])
        self.mode.disabled = not applies
        mode = views.default_mode(change["new"])
        if self.mode.value != mode:
            self.mode.value = mode  # its observer redraws
        else:
            self.update()


def signal_tab(settings: views.SignalSettings = views.SignalSettings()) -> SignalTab:
    """Build the signal tab at ``settings``, draw it once and wire its controls."""
    continuous = dict(continuous_update=False, style=_LABELS, layout=_layout())
    tab = SignalTab(
        initializer=w.Dropdown(
            options=_initializer_options(),
            value=settings.initializer,
            description="initializer",
            style=_LABELS,
            layout=_layout("420px"),
        ),
        activation=w.Dropdown(
            options=list(views.ACTIVATION_NAMES),
            value=settings.activation,
            description="activation",
            style=_LABELS,
            layout=_layout(),
        ),
        depth=w.IntSlider(
            value=settings.depth, min=1, max=30, description="depth (layers)", **continuous
        ),
        width=w.SelectionSlider(
            options=list(WIDTHS), value=settings.width, description="width (units)", **continuous
        ),
        shape=w.ToggleButtons(
            options=list(views.SHAPES),
            value=settings.shape,
            description="net shape",
            style={**_LABELS, "button_width": "90px"},
        ),
        gain=w.FloatSlider(
            value=settings.gain,
            min=0.05,
            max=3.0,
            step=0.05,
            description="gain (σ_w)",
            readout_format=".2f",
            **continuous,
        ),
        mode=w.Dropdown(
            options=list(views.FAN_MODES),
            value=settings.mode or views.default_mode(settings.initializer),
            description="fan mode",
            disabled=not views.mode_applies(settings.initializer),
            style=_LABELS,
            layout=_layout("420px"),
        ),
        bias_std=w.FloatSlider(
            value=settings.bias_std,
            min=0.0,
            max=1.0,
            step=0.05,
            description="bias std σ_b",
            readout_format=".2f",
            **continuous,
        ),
        direction=w.ToggleButtons(
            options=list(views.DIRECTIONS),
            value=settings.direction,
            description="view",
            style={**_LABELS, "button_width": "90px"},
        ),
        summary=w.HTML(),
        picture=w.Output(),
        figure=plots.explorer_figure(),
        box=w.VBox(),
        base=settings,
    )
    left = w.VBox([tab.initializer, tab.mode, tab.activation, tab.direction, tab.shape])
    right = w.VBox([tab.depth, tab.width, tab.gain, tab.bias_std])
    tab.box.children = [w.HBox([left, right]), tab.summary, tab.picture]
    tab.box.add_class("explorer-signal")  # a handle for browser tests and page styles
    tab.update()
    tab.initializer.observe(tab._initializer_changed, names="value")
    for control in (
        tab.activation,
        tab.depth,
        tab.width,
        tab.shape,
        tab.gain,
        tab.mode,
        tab.bias_std,
        tab.direction,
    ):
        control.observe(tab.update, names="value")
    return tab


@dataclass
class TrainingTab:
    """The training tab: its controls, the train button, the summary and the picture."""

    initializer: w.Dropdown
    gain: w.FloatSlider
    activation: w.Dropdown
    dataset: w.Dropdown
    steps: w.IntSlider
    learning_rate: w.FloatLogSlider
    train_button: w.Button
    summary: w.HTML
    picture: w.Output
    figure: Figure
    box: w.VBox
    base: views.TrainingSettings
    view: Optional[views.TrainingView] = None
    updates: int = 0

    def settings(self) -> views.TrainingSettings:
        """The settings the controls show now (net, sample counts and seed as the tab was built)."""
        return replace(
            self.base,
            initializer=self.initializer.value,
            gain=float(self.gain.value),
            activation=self.activation.value,
            dataset=self.dataset.value,
            steps=self.steps.value,
            learning_rate=float(self.learning_rate.value),
        )

    def show(self, view: views.TrainingView) -> None:
        """Draw ``view``: the cost curve on the left, the decision boundary on the right."""
        self.view = view
        draw_training(self.figure, view)
        show_png(self.picture, figure_png(self.figure), views.training_summary(view))
        self.summary.value = views.training_summary(view)
        self.updates += 1

    def train(self, _button: object = None) -> None:
        """Train a fresh net for the current settings, showing it learn in a few pictures."""
        self.train_button.disabled = True
        try:
            views.training_view(self.settings(), chunks=TRAINING_CHUNKS, on_progress=self.show)
        finally:
            self.train_button.disabled = False

    def open(self) -> None:
        """Train the first net at the tab's settings, once: the tab is being shown."""
        if self.view is None:
            self.train()

    def _stale(self, change: object = None) -> None:
        self.summary.value = "Settings changed: press <b>train</b> to train a fresh net."


def training_tab(settings: views.TrainingSettings = views.TrainingSettings()) -> TrainingTab:
    """Build the training tab at ``settings`` and wire its controls; nothing is trained until
    :meth:`TrainingTab.open` (the tab is shown) or the train button."""
    continuous = dict(continuous_update=False, style=_LABELS, layout=_layout())
    tab = TrainingTab(
        initializer=w.Dropdown(
            options=_initializer_options(),
            value=settings.initializer,
            description="initializer",
            style=_LABELS,
            layout=_layout("420px"),
        ),
        gain=w.FloatSlider(
            value=settings.gain,
            min=0.0,
            max=10.0,
            step=0.05,
            description="gain",
            readout_format=".2f",
            **continuous,
        ),
        activation=w.Dropdown(
            options=list(views.ACTIVATION_NAMES),
            value=settings.activation,
            description="activation",
            style=_LABELS,
            layout=_layout(),
        ),
        dataset=w.Dropdown(
            options=list(views.DATASETS),
            value=settings.dataset,
            description="data set",
            style=_LABELS,
            layout=_layout(),
        ),
        steps=w.IntSlider(
            value=settings.steps, min=100, max=5000, step=100, description="steps", **continuous
        ),
        learning_rate=w.FloatLogSlider(
            value=settings.learning_rate,
            base=10,
            min=-3,
            max=0,
            step=0.25,
            description="learning rate",
            readout_format=".3g",
            **continuous,
        ),
        train_button=w.Button(description="train", button_style="primary", icon="play"),
        summary=w.HTML(),
        picture=w.Output(),
        figure=plots.explorer_figure(),
        box=w.VBox(),
        base=settings,
    )
    left = w.VBox([tab.initializer, tab.activation, tab.dataset])
    right = w.VBox([tab.gain, tab.steps, tab.learning_rate, tab.train_button])
    tab.box.children = [w.HBox([left, right]), tab.summary, tab.picture]
    tab.box.add_class("explorer-training")
    tab.summary.value = "The net trains when this tab is opened."
    tab.train_button.on_click(tab.train)
    for control in (
        tab.initializer,
        tab.gain,
        tab.activation,
        tab.dataset,
        tab.steps,
        tab.learning_rate,
    ):
        control.observe(tab._stale, names="value")
    return tab


@dataclass
class Explorer:
    """The whole explorer: the container to display and its two tabs."""

    container: w.Tab
    signal: SignalTab
    training: TrainingTab


def build_explorer(
    signal: views.SignalSettings = views.SignalSettings(),
    training: views.TrainingSettings = views.TrainingSettings(),
) -> Explorer:
    """Build both tabs at the given settings; see :func:`explorer` for the container alone.

    Only the first tab is computed now; the training tab trains when it is first selected.
    """
    signal_part, training_part = signal_tab(signal), training_tab(training)
    container = w.Tab(
        children=[signal_part.box, training_part.box], titles=("Layer by layer", "Training")
    )

    def selected(change: dict) -> None:
        if container.children[change["new"]] is training_part.box:
            training_part.open()

    container.observe(selected, names="selected_index")
    return Explorer(container, signal_part, training_part)


def explorer() -> w.Tab:
    """The interactive explorer, ready to display in Jupyter or Voilà."""
    return build_explorer().container

r"""What the explorer shows, computed from its settings: plain functions, no widgets.

Two views, each a pure function of a frozen settings object:

* :func:`signal_view` runs :func:`weight_init.experiment.propagate` on a deep net and returns
  each layer's histogram, mean, std and second moment, forward (activations ``a_l``) or
  backward (back-propagated gradients :math:`\partial L/\partial z_l`), with the prediction of
  :func:`weight_init.theory.predict_signal` for the same weights;
* :func:`training_view` trains the small classifier of :mod:`weight_init.training` on a 2-D
  toy set and returns its cost curve, accuracies and decision surface.

Shape convention as in :mod:`weight_init.experiment`: weights ``(fan_in, fan_out)``, batches
``(samples, units)``; layers are numbered from 1 in everything a learner reads.

Every initializer of :data:`weight_init.init_fns.INIT_FNS` can be chosen: the sources'
scratch rules and the whole Keras catalogue of :mod:`weight_init.initializers`. The drawn weights
are multiplied by ``gain``:
:math:`W = \text{gain} \cdot \operatorname{init}(\text{fan\_in}, \text{fan\_out})`. With
``lecun_init`` the gain is the :math:`\sigma_w` of mean-field theory
(:math:`\operatorname{Var}(W) = \sigma_w^2 / \text{fan\_in}`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from . import datasets, experiment, initializers, theory, training
from ._checks import check_choice, check_int, check_number
from .activations import ACTIVATIONS
from .init_fns import CATALOGUE_INIT_FNS, INIT_FNS, InitFn, catalogue_init, init_fn_label
from .randomness import SeedLike

INITIALIZER_NAMES: tuple[str, ...] = tuple(INIT_FNS)
"""Every initializer the explorer offers: the names of :data:`weight_init.init_fns.INIT_FNS`."""
ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATIONS)
"""Every activation the explorer offers: the names of :data:`activations.ACTIVATIONS`."""
SHAPES: tuple[str, ...] = ("constant", "funnel")
DIRECTIONS: tuple[str, ...] = ("forward", "backward")
FAN_MODES: tuple[str, ...] = initializers.MODES
DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "circles": datasets.make_circles,
    "moons": datasets.make_moons,
    "spirals": datasets.make_spirals,
    "clusters": datasets.make_gaussian_clusters,
}
"""The 2-D toy sets of the training view (:mod:`weight_init.datasets`)."""

HISTOGRAM_BINS = 40


# --------------------------------------------------------------------------------------
# Initializers by name
# --------------------------------------------------------------------------------------
def initializer_label(name: str) -> str:
    """What a menu shows for ``name``: the rule, and where it comes from."""
    check_choice(name, "initializer", INITIALIZER_NAMES)
    return init_fn_label(name)


def mode_applies(name: str) -> bool:
    """Whether fan mode means something for initializer ``name`` (the VarianceScaling family)."""
    return name in CATALOGUE_INIT_FNS and issubclass(
        initializers.NAMES[name], initializers.VarianceScaling
    )


def default_mode(name: str) -> str:
    """The fan mode ``name`` uses by itself (``fan_in`` where mode does not apply)."""
    if not mode_applies(name):
        return "fan_in"
    return initializers.get_variance_scaling(name).mode


def make_init_fn(name: str, gain: float = 1.0, mode: Optional[str] = None) -> InitFn:
    """``init_fn(fan_in, fan_out, rng=None)`` drawing ``gain`` times initializer ``name`` of
    :data:`weight_init.init_fns.INIT_FNS`.

    ``mode`` (``fan_in``, ``fan_out`` or ``fan_avg``) replaces the fan mode of the
    VarianceScaling family (``glorot_*``, ``he_*``, ``lecun_*``, ``variance_scaling``),
    keeping its scale and distribution; ``None`` keeps the initializer's own mode. Other
    initializers reject a mode that differs from ``fan_in``.
    """
    check_choice(name, "initializer", INITIALIZER_NAMES)
    gain = check_number(gain, "gain", minimum=0.0)
    if mode is not None:
        check_choice(mode, "mode", FAN_MODES)
    if mode_applies(name):
        template = initializers.get_variance_scaling(name)
        base = catalogue_init(
            "variance_scaling",
            scale=template.scale,
            mode=mode or template.mode,
            distribution=template.distribution,
        )
    else:
        if mode not in (None, "fan_in"):
            reason = "its rule is fixed" if name not in CATALOGUE_INIT_FNS else "it has no fan mode"
            raise ValueError(f"mode={mode!r} does not apply to initializer={name!r}: {reason}.")
        base = INIT_FNS[name]

    def init_fn(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
        return gain * base(fan_in, fan_out, rng=rng)

    init_fn.__name__ = name
    return init_fn


# --------------------------------------------------------------------------------------
# The signal view: a deep net at initialization, forward or backward
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignalSettings:
    r"""Everything the signal view depends on. The defaults are the explorer's start.

    ``shape="constant"``: ``depth`` layers of ``width`` units fed by ``width`` inputs;
    ``shape="funnel"``: widths fall evenly from :math:`2 \cdot \text{width}` (the input) to
    :math:`\text{width}/2`, so the fan modes differ. ``bias_std`` is :math:`\sigma_b`; ``direction``
    picks the activations (``forward``) or the back-propagated gradients
    :math:`\partial L/\partial z` (``backward``).
    """

    initializer: str = "lecun_init"
    activation: str = "tanh"
    depth: int = 10
    width: int = 256
    shape: str = "constant"
    gain: float = 1.0
    mode: Optional[str] = None
    bias_std: float = 0.0
    direction: str = "forward"
    samples: int = 500
    seed: int = 0

    def __post_init__(self) -> None:
        check_choice(self.initializer, "initializer", INITIALIZER_NAMES)
        check_choice(self.activation, "activation", ACTIVATION_NAMES)
        check_choice(self.shape, "shape", SHAPES)
        check_choice(self.direction, "direction", DIRECTIONS)
        for name in ("depth", "width", "samples"):
            check_int(getattr(self, name), name, minimum=1)
        check_int(self.seed, "seed", minimum=0)
        check_number(self.gain, "gain", minimum=0.0)
        check_number(self.bias_std, "bias_std", minimum=0.0)
        if self.shape == "funnel" and self.width < 2:
            raise ValueError(f"a funnel needs width >= 2; received width={self.width}.")
        make_init_fn(
            self.initializer, self.gain, self.mode
        )  # a mode that does not apply fails here


def layer_sizes(settings: SignalSettings) -> list[int]:
    """``[input_dim, n_1, ..., n_L]`` for the settings' shape (see :class:`SignalSettings`)."""
    if settings.shape == "constant":
        return [settings.width] * (settings.depth + 1)
    widths = np.linspace(2 * settings.width, settings.width / 2, settings.depth + 1)
    return [max(1, round(w)) for w in widths]


# Below this fixed point q* (σ_b = 0, σ_w² near 1) the summary calls it degenerate: the signal
# reaches it only like a power of the depth, so χ₁ there says little about the gradients.
DEGENERATE_FIXED_POINT = 0.01


@dataclass(frozen=True)
class SignalView:
    r"""The numbers behind one picture of the signal view; lists are indexed by layer ``0 .. L-1``.

    ``histograms[l]`` is ``(fractions, edges)`` of layer ``l + 1`` over ``value_range``
    (fractions of all finite entries per bin; ``HISTOGRAM_BINS`` bins). ``second_moments``
    are measured :math:`\mathbb{E}[x^2]`; ``predicted_second_moments`` come from the theory for the
    drawn weights' variances. ``zero_fractions[l]`` is the share of entries exactly 0, which the
    histograms leave out. ``finite`` is False when some entry overflowed to inf or nan.
    ``quantiles[l]`` holds layer ``l + 1``'s percentiles ``BAND_PERCENTILES`` of its finite
    entries (zeros included) in the backward direction, for the band view of a heavy-tailed
    gradient; empty in the forward direction, where the histograms are drawn.
    """

    settings: SignalSettings
    quantity: str
    symbol: str
    sizes: list[int]
    means: list[float]
    stds: list[float]
    second_moments: list[float]
    predicted_second_moments: list[float]
    histograms: list[tuple[np.ndarray, np.ndarray]]
    zero_fractions: list[float]
    value_range: tuple[float, float]
    sigma_w2: float
    finite: bool
    chi_1: Optional[float] = None
    fixed_point_q: Optional[float] = None
    signal_q: Optional[float] = None
    chi_at_signal: Optional[float] = None
    quantiles: list[tuple[float, ...]] = field(default_factory=list)
    layer_numbers: list[int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "layer_numbers", list(range(1, len(self.means) + 1)))


def histogram_range(arrays: list[np.ndarray]) -> tuple[float, float]:
    r"""A value range shared by every layer: the data's span, cut at :math:`\pm 4` times the largest
    RMS.

    Falls back to ``(-1, 1)`` when every entry is zero or nothing is finite.
    """
    lows, highs, rms = [], [], []
    for a in arrays:
        finite = a[np.isfinite(a)]
        if finite.size:
            lows.append(float(finite.min()))
            highs.append(float(finite.max()))
            rms.append(math.sqrt(float(np.mean(finite * finite))))
    largest = max(rms, default=0.0)
    if not math.isfinite(largest) or largest == 0.0:
        return (-1.0, 1.0)
    low, high = max(min(lows), -4 * largest), min(max(highs), 4 * largest)
    if high - low < 1e-12 * largest:
        return (low - largest, high + largest)
    return (low, high)


def layer_histograms(
    arrays: list[np.ndarray], value_range: tuple[float, float], bins: int = HISTOGRAM_BINS
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(fractions, edges)`` per array: the share of its finite entries in each bin.

    Entries exactly 0 are left out (see :func:`zero_fractions`): after a ReLU they are half
    of all entries, and one bin holding them would flatten every other bin to nothing.
    """
    result = []
    for a in arrays:
        finite = np.isfinite(a)
        counts, edges = np.histogram(a[finite & (a != 0)], bins=bins, range=value_range)
        result.append((counts / max(1, int(finite.sum())), edges))
    return result


BAND_PERCENTILES = (5.0, 25.0, 50.0, 75.0, 95.0)


def layer_quantiles(
    arrays: list[np.ndarray], percentiles: tuple[float, ...] = BAND_PERCENTILES
) -> list[tuple[float, ...]]:
    """Each array's ``percentiles`` (in %, increasing) over its finite entries; nan where an
    array has none. Shape convention: one tuple per array, ``len(percentiles)`` values each."""
    result = []
    for a in arrays:
        finite = a[np.isfinite(a)]
        values = (
            np.percentile(finite, percentiles) if finite.size else np.full(len(percentiles), np.nan)
        )
        result.append(tuple(float(v) for v in values))
    return result


def zero_fractions(arrays: list[np.ndarray]) -> list[float]:
    """The share of entries exactly equal to 0 in each array."""
    return [float(np.count_nonzero(a == 0)) / a.size for a in arrays]


def signal_view(settings: SignalSettings = SignalSettings()) -> SignalView:
    """Run the experiment for ``settings`` and return what the signal view shows."""
    sizes = layer_sizes(settings)
    backward = settings.direction == "backward"
    with np.errstate(over="ignore", invalid="ignore"):
        run = experiment.propagate(
            sizes[1:],
            make_init_fn(settings.initializer, settings.gain, settings.mode),
            settings.activation,
            n_samples=settings.samples,
            input_dim=sizes[0],
            seed=settings.seed,
            backward=backward,
            bias_std=settings.bias_std,
        )
        arrays = run.pre_activation_grads if backward else run.activations
        means, stds = experiment.layer_stats(arrays)
        measured = experiment.second_moments(arrays)
    weight_variances = experiment.second_moments(run.weights)
    finite = all(math.isfinite(v) for v in measured)
    sigma_w2 = float(np.mean([n * v for n, v in zip(sizes[:-1], weight_variances)]))
    try:
        prediction = theory.predict_signal(
            settings.activation,
            sizes,
            weight_variances,
            input_second_moment=experiment.second_moments([run.inputs])[0],
            bias_variance=settings.bias_std**2,
        )
        predicted = (
            prediction.gradient_second_moments if backward else prediction.activation_second_moments
        )
    except ValueError:  # a weight variance overflowed: no prediction to draw
        predicted = [math.nan] * len(measured)
    chi = q_star = q_signal = chi_signal = None
    if settings.activation == "tanh" and math.isfinite(sigma_w2):
        sigma_b2 = settings.bias_std**2
        chi = theory.chi_1(sigma_w2, sigma_b2, "tanh")
        q_star = theory.fixed_point(sigma_w2, sigma_b2, "tanh")
        # q of the last layer's pre-activation, from the measured input to that layer
        last_input = [run.inputs, *run.activations][-2]
        q_signal = sigma_w2 * experiment.second_moments([last_input])[0] + sigma_b2
        chi_signal = sigma_w2 * theory.derivative_second_moment("tanh", q_signal)
    value_range = histogram_range(arrays)
    quantity, symbol = (
        ("back-propagated gradient ∂L/∂z", "E[(∂L/∂z)²]")
        if backward
        else (f"{settings.activation} activation a", "E[a²]")
    )
    return SignalView(
        settings=settings,
        quantity=quantity,
        symbol=symbol,
        sizes=sizes,
        means=means,
        stds=stds,
        second_moments=measured,
        predicted_second_moments=list(predicted),
        histograms=layer_histograms(arrays, value_range),
        zero_fractions=zero_fractions(arrays),
        value_range=value_range,
        sigma_w2=sigma_w2,
        finite=finite,
        chi_1=chi,
        fixed_point_q=q_star,
        signal_q=q_signal,
        chi_at_signal=chi_signal,
        quantiles=layer_quantiles(arrays) if backward else [],
    )


def signal_title(view: SignalView) -> str:
    """One line naming what is shown: direction, activation, initializer, gain and net."""
    s = view.settings
    net = (
        f"{s.depth} layers of {s.width}"
        if s.shape == "constant"
        else (f"funnel {view.sizes[0]}→{view.sizes[-1]}, {s.depth} layers")
    )
    mode = f", {s.mode}" if s.mode else ""
    return f"{s.direction}: {s.activation}, {s.initializer}{mode} × {s.gain:.2f}, {net}"


def signal_summary(view: SignalView) -> str:
    """The view's key numbers in one rounded line (first and last layer, measured and theory)."""
    first, last = 0, len(view.second_moments) - 1
    parts = [
        f"{view.symbol}: layer 1 = {view.second_moments[first]:.3g} "
        f"(theory {view.predicted_second_moments[first]:.3g}), layer {last + 1} = "
        f"{view.second_moments[last]:.3g} (theory {view.predicted_second_moments[last]:.3g})",
        f"std at layer {last + 1} = {view.stds[last]:.3g}",
        f"σ_w² = fan_in·Var(W) = {view.sigma_w2:.3g}, σ_b² = {view.settings.bias_std**2:.3g}",
    ]
    if view.chi_1 is not None:
        phase = (
            "ordered" if view.chi_1 < 0.99 else "chaotic" if view.chi_1 > 1.01 else "edge of chaos"
        )
        q_star = view.fixed_point_q if view.fixed_point_q is not None else math.nan
        degenerate = q_star < DEGENERATE_FIXED_POINT
        fixed = "q* ≈ 0" if degenerate else f"q* = {q_star:.3g}"
        parts.append(f"χ₁ = {view.chi_1:.3f} at the fixed point {fixed} ({phase})")
        if view.chi_at_signal is not None and view.signal_q is not None:
            last_layer = len(view.second_moments)
            parts.append(
                f"at the signal's own q = {view.signal_q:.3g} (layer {last_layer}): "
                f"σ_w² E[φ′(z)²] = {view.chi_at_signal:.3f} per layer"
            )
        if degenerate:
            parts.append("q* ≈ 0 is approached only slowly, so gradients still shrink")
    zeros = float(np.mean(view.zero_fractions))
    if zeros >= 0.005:
        parts.append(f"{zeros:.0%} of the entries are exactly 0 (left out of the histograms)")
    if not view.finite:
        parts.append("overflow: some values are inf or nan")
    return " · ".join(parts)


def signal_table(view: SignalView) -> str:
    """A rounded per-layer table: mean, std, measured and predicted second moment, their ratio."""
    lines = [f"layer  width       mean        std  {view.symbol:>12}      theory  measured/theory"]
    for layer, width, mean, std, measured, predicted in zip(
        view.layer_numbers,
        view.sizes[1:],
        view.means,
        view.stds,
        view.second_moments,
        view.predicted_second_moments,
    ):
        ratio = measured / predicted if predicted else math.nan
        lines.append(
            f"{layer:5d}  {width:5d}  {mean:+.2e}  {std:.3e}  {measured:12.4e}  {predicted:10.4e} "
            f" {ratio:15.3f}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# The training view: a small classifier on a 2-D toy set
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrainingSettings:
    """The training view's settings; defaults are the classic comparison's net on circles.

    The net is ``[2, *hidden, outputs]`` with ``activation`` in the hidden layers and a
    sigmoid (two classes) or softmax output, trained by full-batch gradient descent.
    """

    initializer: str = "he_init"
    gain: float = 1.0
    activation: str = "relu"
    dataset: str = "circles"
    hidden: tuple[int, ...] = (10, 5)
    steps: int = 2000
    learning_rate: float = 0.05
    train_samples: int = 300
    test_samples: int = 100
    seed: int = 0

    def __post_init__(self) -> None:
        check_choice(self.initializer, "initializer", INITIALIZER_NAMES)
        check_choice(self.activation, "activation", ACTIVATION_NAMES)
        check_choice(self.dataset, "dataset", tuple(DATASETS))
        if not isinstance(self.hidden, tuple) or not self.hidden:
            raise TypeError(
                f"hidden must be a non-empty tuple of widths; received hidden={self.hidden!r}."
            )
        for width in self.hidden:
            check_int(width, "hidden", minimum=1)
        for name in ("train_samples", "test_samples"):
            check_int(getattr(self, name), name, minimum=1)
        check_int(self.seed, "seed", minimum=0)
        check_number(self.gain, "gain", minimum=0.0)
        training.check_training_settings(self.steps, self.learning_rate)


@dataclass(frozen=True)
class TrainingView:
    """The numbers behind the training view.

    ``loss[t]`` is the training cost before update ``t`` (shape ``(steps,)``);
    ``grid_x``, ``grid_y``, ``classes`` the predicted class on a grid over the data
    (``(resolution, resolution)`` each); ``x``/``y`` the training set.
    """

    settings: TrainingSettings
    loss: np.ndarray
    train_accuracy: float
    test_accuracy: float
    x: np.ndarray
    y: np.ndarray
    grid_x: np.ndarray
    grid_y: np.ndarray
    classes: np.ndarray


def training_data(
    settings: TrainingSettings,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(x_train, y_train, x_test, y_test)``: two draws of the chosen toy set (seeds 1 and 2)."""
    make = DATASETS[settings.dataset]
    x_train, y_train = make(settings.train_samples, seed=1)
    x_test, y_test = make(settings.test_samples, seed=2)
    return x_train, y_train, x_test, y_test


def build_classifier(settings: TrainingSettings, n_classes: int) -> training.MLP:
    """The untrained net for ``settings``: one sigmoid output for two classes, else softmax."""
    outputs, loss = (
        (1, "sigmoid_cross_entropy") if n_classes == 2 else (n_classes, "softmax_cross_entropy")
    )
    return training.build_mlp(
        [2, *settings.hidden, outputs],
        make_init_fn(settings.initializer, settings.gain),
        activation=settings.activation,
        loss=loss,
        seed=settings.seed,
    )


def training_view(
    settings: TrainingSettings = TrainingSettings(),
    chunks: int = 1,
    on_progress: Optional[Callable[["TrainingView"], None]] = None,
    resolution: int = 120,
) -> TrainingView:
    """Train for ``settings.steps`` full-batch steps and return the final view.

    Training runs in ``chunks`` equal pieces (full-batch gradient descent without momentum,
    so the pieces add up to exactly one run); after each piece ``on_progress`` receives the
    view so far, so a display can show learning as it happens.
    """
    check_int(chunks, "chunks", minimum=1)
    x, y, x_test, y_test = training_data(settings)
    model = build_classifier(settings, int(y.max()) + 1)
    losses: list[np.ndarray] = []
    done = 0
    view = None
    for chunk in range(chunks):
        steps = settings.steps * (chunk + 1) // chunks - done
        if steps == 0:
            continue
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            history = training.train(model, x, y, steps=steps, learning_rate=settings.learning_rate)
            losses.append(history.loss)
            done += steps
            grid_x, grid_y, classes = training.decision_surface(model, x, resolution=resolution)
            view = TrainingView(
                settings=settings,
                loss=np.concatenate(losses),
                train_accuracy=training.accuracy(model, x, y),
                test_accuracy=training.accuracy(model, x_test, y_test),
                x=x,
                y=y,
                grid_x=grid_x,
                grid_y=grid_y,
                classes=classes,
            )
        if on_progress is not None:
            on_progress(view)
    assert view is not None  # settings.steps >= 1, so the last chunk trained
    return view


def training_summary(view: TrainingView) -> str:
    """The training view's key numbers in one rounded line."""
    s = view.settings
    first, last = float(view.loss[0]), float(view.loss[-1])
    return (
        f"{s.initializer} × {s.gain:.2f}, {s.activation}, net {[2, *s.hidden, 1]}, {s.dataset}: "
        f"cost {first:.4f} → {last:.4f} after {len(view.loss)} steps · "
        f"train accuracy {view.train_accuracy:.2f}, test accuracy {view.test_accuracy:.2f}"
    )

r"""Check a network before training: each function measures one thing and gives a verdict.

Usable on any net: the functions take plain arrays (a list of per-layer activations, weights or
gradients, each ``(samples, units)`` or ``(fan_in, fan_out)``), and :func:`report` runs them
all on a :class:`weight_init.training.MLP` and a batch. Each returns a :class:`Diagnosis`, whose
``verdict`` is one line such as ``"initial loss 26.5 vs ln 27 = 3.30: 8.0 times too high ..."``.

What is checked, and the healthy range used for the verdict:

==========================  =================================================  ===================
check                       measured                                           healthy
==========================  =================================================  ===================
:func:`initial_loss`        first loss vs :math:`\ln k` (k classes) or the     within 10 %
                            entropy :math:`H(p) = -\sum_c p_c \ln p_c` of the
                            label prior :math:`p`
:func:`saturated_fraction`  tanh units with :math:`|a| > 0.99` (sigmoid:       below 5 % per layer
                            :math:`|2a - 1| > 0.99`), per layer; for Gaussian
                            pre-activations, see
                            :func:`gaussian_saturated_fraction`
:func:`dead_fraction`       ReLU units that are 0 for every sample, per layer  below 10 % per layer
:func:`layer_stds`          std of each layer's activations or gradients       last/first in [½, 2]
:func:`update_to_data`      :math:`\log_{10}` of update/data, per layer          between -4 and -2
==========================  =================================================  ===================

The update-to-data ratio of about ``1e-3`` is the rule of thumb of Karpathy's makemore lectures;
the others follow from the series (a net that guesses has loss :math:`\ln k`; a saturated unit
passes no gradient; a dead ReLU unit never learns again).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from ._checks import check_int, check_number
from .training import MLP

SATURATION_THRESHOLD = 0.99
REPORT_WIDTH = 88  # characters per line that :func:`report` prints


@dataclass(frozen=True)
class Diagnosis:
    """One check's result: its name, the measured value(s) (one per layer where it applies),
    whether they are in the healthy range, and a one-line verdict (also ``str(diagnosis)``)."""

    check: str
    values: tuple[float, ...]
    healthy: bool
    verdict: str

    def __str__(self) -> str:
        return self.verdict


def _layers(arrays: Sequence[np.ndarray], name: str) -> list[np.ndarray]:
    if isinstance(arrays, np.ndarray) or not hasattr(arrays, "__len__") or len(arrays) == 0:
        raise TypeError(
            f"{name} must be a non-empty list of per-layer arrays; "
            f"received {name}={type(arrays).__name__}."
        )
    layers = [np.asarray(a, dtype=float) for a in arrays]
    for index, a in enumerate(layers):
        if a.ndim != 2:
            raise ValueError(
                f"{name}[{index}] must be a 2-D (samples, units) or (fan_in, fan_out) array; "
                f"received shape {a.shape}."
            )
    return layers


def _percentages(values: Sequence[float]) -> str:
    return ", ".join(f"{100 * v:.1f} %" for v in values)


def expected_initial_loss(
    n_classes: Optional[int] = None, class_prior: Optional[Sequence[float]] = None
) -> float:
    r"""The cross-entropy of a net that knows nothing yet: :math:`\ln k` for ``k`` classes, or the
    entropy :math:`H(p) = -\sum_c p_c \ln p_c` of the label prior :math:`p` when it is given (the
    best a net can do without looking at the input, reached when the output bias is
    :math:`\ln p`)."""
    if class_prior is not None:
        p = np.asarray(class_prior, dtype=float)
        if (
            p.ndim != 1
            or p.size < 2
            or np.any(p < 0)
            or not math.isclose(p.sum(), 1.0, abs_tol=1e-9)
        ):
            raise ValueError(
                "class_prior must be a 1-D sequence of at least 2 probabilities summing to 1; "
                f"received class_prior={list(np.atleast_1d(p))!r}."
            )
        positive = p[p > 0]
        return float(-np.sum(positive * np.log(positive)))
    if n_classes is None:
        raise ValueError("give n_classes or class_prior.")
    return math.log(check_int(n_classes, "n_classes", minimum=2))


def initial_loss(
    loss: float,
    n_classes: Optional[int] = None,
    class_prior: Optional[Sequence[float]] = None,
    tolerance: float = 0.1,
) -> Diagnosis:
    """Compare the first loss with :func:`expected_initial_loss`; healthy within ``tolerance``
    (relative). Far above it, the net is confidently wrong at init: its logits are too large."""
    loss = check_number(loss, "loss", minimum=0.0)
    tolerance = check_number(tolerance, "tolerance", positive=True)
    expected = expected_initial_loss(n_classes, class_prior)
    reference = "H(prior)" if class_prior is not None else f"ln {n_classes}"
    ratio = loss / expected
    healthy = abs(ratio - 1.0) <= tolerance
    if healthy:
        advice = "fine, the net starts by guessing"
    elif ratio > 1:
        advice = (
            f"{ratio:.1f} times too high: the logits are too large at init; scale the output "
            "layer down (or start it at zero)"
        )
    else:
        advice = "below a guess before training: check the loss and the labels"
    return Diagnosis(
        "initial loss",
        (loss,),
        healthy,
        f"initial loss {loss:.3g} vs {reference} = {expected:.3g}: {advice}.",
    )


def saturated_fraction(
    activations: Sequence[np.ndarray],
    activation: str = "tanh",
    threshold: float = SATURATION_THRESHOLD,
    limit: float = 0.05,
) -> Diagnosis:
    """Per layer, the fraction of outputs in the flat tails of tanh (``|a| > threshold``) or
    the sigmoid (``|2a - 1| > threshold``), where the derivative is nearly 0. Healthy when
    every layer is below ``limit``."""
    layers = _layers(activations, "activations")
    if activation not in ("tanh", "sigmoid"):
        raise ValueError(
            f"activation must be 'tanh' or 'sigmoid'; received activation={activation!r}."
        )
    threshold = check_number(threshold, "threshold", positive=True, below=1.0)
    fractions = tuple(
        float(np.mean(np.abs(a if activation == "tanh" else 2 * a - 1) > threshold)) for a in layers
    )
    healthy = max(fractions) < limit
    advice = (
        "fine" if healthy else "too many: shrink the weights feeding those layers (gain/√fan_in)"
    )
    return Diagnosis(
        "saturated units",
        fractions,
        healthy,
        f"saturated {activation} outputs per layer: {_percentages(fractions)}: {advice}.",
    )


def gaussian_saturated_fraction(
    pre_activation_std: float, threshold: float = SATURATION_THRESHOLD
) -> float:
    r"""The share of tanh outputs with :math:`|\tanh z| > t` (``t = threshold``) when the
    pre-activation is :math:`z \sim \mathcal{N}(0, \sigma^2)`:

    .. math::

        P\left(|z| > \operatorname{atanh} t\right)
        = \operatorname{erfc}\left(\frac{\operatorname{atanh} t}{\sigma \sqrt{2}}\right)

    The yardstick for :func:`saturated_fraction`: a tanh layer with the gain 5/3 over
    :math:`\sqrt{\text{fan\_in}}` and unit-variance inputs has :math:`\sigma = 5/3` and
    saturates about 11 % of its outputs at the threshold 0.99."""
    sigma = check_number(pre_activation_std, "pre_activation_std", positive=True)
    threshold = check_number(threshold, "threshold", positive=True, below=1.0)
    return math.erfc(math.atanh(threshold) / (sigma * math.sqrt(2.0)))


def dead_fraction(activations: Sequence[np.ndarray], limit: float = 0.1) -> Diagnosis:
    """Per layer, the fraction of ReLU units whose output is 0 for every sample of the batch
    (columns of ``(samples, units)`` that are all zero): they pass no gradient and never
    learn. Healthy when every layer is below ``limit``."""
    layers = _layers(activations, "activations")
    fractions = tuple(float(np.mean(np.all(a <= 0, axis=0))) for a in layers)
    healthy = max(fractions) < limit
    advice = "fine" if healthy else "too many dead units: check the init scale and the biases"
    return Diagnosis(
        "dead units",
        fractions,
        healthy,
        f"dead ReLU units per layer: {_percentages(fractions)}: {advice}.",
    )


def layer_stds(arrays: Sequence[np.ndarray], quantity: str = "activation") -> Diagnosis:
    """The std of every layer's array (activations or gradients). Healthy when the last
    layer's std is within a factor 2 of the first's: the signal neither vanishes nor explodes."""
    stds = tuple(float(np.std(a)) for a in _layers(arrays, "arrays"))
    ratio = stds[-1] / stds[0] if stds[0] > 0 else math.inf
    healthy = 0.5 <= ratio <= 2.0
    trend = "steady" if healthy else ("shrinks" if ratio < 0.5 else "grows")
    listed = ", ".join(f"{s:.3g}" for s in stds)
    return Diagnosis(
        f"{quantity} std",
        stds,
        healthy,
        f"{quantity} std per layer: {listed}: {trend} (last/first = {ratio:.3g}).",
    )


def update_to_data(
    weights: Sequence[np.ndarray], gradients: Sequence[np.ndarray], learning_rate: float
) -> Diagnosis:
    r"""Per layer, how large one plain gradient step is relative to the weights:

    .. math::

        \log_{10} \frac{\operatorname{std}(\eta \, \partial L/\partial W)}{\operatorname{std}(W)}

    About -3 is healthy (between -4 and -2): much lower and the layer barely learns, much higher and
    it is rewritten every step."""
    w_layers, g_layers = _layers(weights, "weights"), _layers(gradients, "gradients")
    if len(w_layers) != len(g_layers):
        raise ValueError(
            f"weights and gradients must pair up; received {len(w_layers)} and {len(g_layers)}."
        )
    learning_rate = check_number(learning_rate, "learning_rate", positive=True)
    ratios = []
    for w, g in zip(w_layers, g_layers):
        if w.shape != g.shape:
            raise ValueError(
                f"each gradient must have its weight's shape; received {w.shape} and {g.shape}."
            )
        w_std, step_std = float(np.std(w)), learning_rate * float(np.std(g))
        ratios.append(math.log10(step_std / w_std) if w_std > 0 and step_std > 0 else -math.inf)
    values = tuple(ratios)
    healthy = all(-4.0 <= r <= -2.0 for r in values)
    listed = ", ".join(f"{r:.1f}" for r in values)
    advice = (
        "fine (about -3)" if healthy else "outside -4 .. -2: adjust the learning rate or the init"
    )
    return Diagnosis(
        "update/data",
        values,
        healthy,
        f"log10 update/data ratio per layer: {listed}: {advice}.",
    )


def diagnose(
    model: MLP,
    x: np.ndarray,
    y: np.ndarray,
    learning_rate: float = 0.1,
    class_prior: Optional[Sequence[float]] = None,
) -> list[Diagnosis]:
    """Every check that applies to ``model`` on the batch ``(x, y)``: initial loss, saturated
    (tanh, sigmoid) or dead (ReLU-like) units, activation and gradient stds, update/data."""
    gradients = model.loss_and_gradients(x, y)
    hidden = gradients.forward.activations
    outputs = model.weights[-1].shape[1]
    results = [initial_loss(gradients.loss, max(outputs, 2), class_prior)]
    if hidden:
        name = model.activation.name
        if name in ("tanh", "sigmoid"):
            results.append(saturated_fraction(hidden, name))
        elif name in ("relu", "leaky_relu"):
            results.append(dead_fraction(hidden))
        results.append(layer_stds(hidden, "activation"))
    results.append(layer_stds(gradients.weights, "weight-gradient"))
    results.append(update_to_data(model.weights, gradients.weights, learning_rate))
    return results


def report(
    model: MLP,
    x: np.ndarray,
    y: np.ndarray,
    learning_rate: float = 0.1,
    class_prior: Optional[Sequence[float]] = None,
) -> list[Diagnosis]:
    """Print :func:`diagnose`'s results as a compact table (one row per layer: units,
    activation std, saturated or dead share, weight-gradient std, log10 update/data), then
    each verdict marked ``ok`` or ``CHECK``, wrapped at :data:`REPORT_WIDTH` characters;
    return the diagnoses."""
    results = diagnose(model, x, y, learning_rate, class_prior)
    by_check = {result.check: result.values for result in results}
    share_name = next((c for c in ("saturated units", "dead units") if c in by_check), None)
    header = "layer  units  act std  " + (f"{share_name:>15}" if share_name else "")
    print(header + "  grad std  log10 update/data")
    activation_stds = by_check.get("activation std", ())
    for layer, units in enumerate(model.layer_sizes[1:]):
        hidden = layer < len(model.weights) - 1
        act = f"{activation_stds[layer]:7.3f}" if hidden and activation_stds else f"{'-':>7}"
        row = f"{layer + 1:5d}  {units:5d}  {act}  "
        if share_name:
            row += f"{100 * by_check[share_name][layer]:13.1f} %" if hidden else f"{'-':>15}"
        grad = by_check["weight-gradient std"][layer]
        row += f"  {grad:8.2e}  {by_check['update/data'][layer]:17.1f}"
        print(row)
    for result in results:
        line = f"{'ok   ' if result.healthy else 'CHECK'}  {result.verdict}"
        print(textwrap.fill(line, REPORT_WIDTH, subsequent_indent=" " * 7))
    return results

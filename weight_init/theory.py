"""Predictions to draw over measurements.

Variance propagation through one layer ``z = x @ W`` with independent, zero-mean weights
of variance ``Var(W)``, independent of the inputs (shape ``(fan_in, fan_out)``)::

    Var(z_j) = Σ_i Var(W_ij x_i) = fan_in · Var(W) · E[x²]

``E[x²]`` equals ``Var(x)`` when the inputs have mean zero (tanh, linear); after a ReLU
it does not, which is why He's rule tracks the second moment.

:func:`predict_signal` applies the rule layer after layer, forward for ``E[a²]`` and backward
for the gradients' ``E[δ²]``, through any activation (the mean-field recursion).

The edge of chaos (Poole et al. 2016, Schoenholz et al. 2017) closes the module: for weights
``N(0, σ_w²/fan_in)`` and biases ``N(0, σ_b²)``, :func:`variance_map` and its
:func:`fixed_point` ``q*``, :func:`chi_1` (ordered below 1, chaotic above),
:func:`critical_sigma_w2`, the :func:`correlation_map` and the depth scales
(:func:`depth_scale`, :func:`length_depth_scale`, :func:`correlation_depth_scale`).

Two quadratures, each with one job. Every one-input expectation ``E[f(z)]``, ``z ~ N(0, q)``,
goes through :func:`gaussian_expectation`: a uniform grid of 8001 nodes over ±10 standard
deviations, fine enough for a saturated tanh, whose ``tanh'(z)`` lives in a window of width
``~1/√q`` that Gauss–Hermite nodes would miss for large ``q``. The two-input expectation
``E[f(u₁) f(u₂)]`` of the correlation map goes through :func:`_paired_expectation`:
151 × 151 Gauss–Hermite nodes, since the fine grid squared would be 6.4·10⁷ points; it is
used only near ``q*``, where ``q`` stays small.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from numpy.polynomial.hermite_e import hermegauss

from ._checks import check_int, check_layer_sizes, check_number
from .activations import ActivationLike, ArrayFunction, get_activation


def preactivation_variance(
    fan_in: int, weight_variance: float, input_second_moment: float
) -> float:
    """``Var(z) = fan_in · Var(W) · E[x²]`` for one layer ``z = x @ W``."""
    fan_in = check_int(fan_in, "fan_in")
    weight_variance = check_number(weight_variance, "weight_variance", minimum=0.0)
    input_second_moment = check_number(input_second_moment, "input_second_moment", minimum=0.0)
    return fan_in * weight_variance * input_second_moment


# --------------------------------------------------------------------------------------
# Layer by layer: the second moments a deep net should show (mean-field recursion)
# --------------------------------------------------------------------------------------
# Standard-normal quadrature grid: E[f(z)] for z ~ N(0, q) is Σ w_k f(√q · x_k). The step
# 0.0025 resolves features of width 1/√q in x (tanh' near 0) up to q ≈ 10⁴.
_NORMAL_NODES = np.linspace(-10.0, 10.0, 8001)
_NORMAL_WEIGHTS = np.exp(-0.5 * _NORMAL_NODES**2)
_NORMAL_WEIGHTS /= _NORMAL_WEIGHTS.sum()


def gaussian_expectation(function: Callable[[np.ndarray], np.ndarray], variance: float) -> float:
    """``E[f(z)]`` for ``z ~ N(0, variance)``, by quadrature on a fine standard-normal grid."""
    variance = check_number(variance, "variance", minimum=0.0)
    return float(np.dot(_NORMAL_WEIGHTS, function(math.sqrt(variance) * _NORMAL_NODES)))


def activation_second_moment(activation: ActivationLike, pre_activation_variance: float) -> float:
    """``E[φ(z)²]`` for ``z ~ N(0, q)``: exact for the piecewise-linear activations, linear (q),
    ReLU (q/2), leaky ReLU ((1 + a²)q/2) (see ``Activation.slopes``); quadrature for the others."""
    act = get_activation(activation)
    q = check_number(pre_activation_variance, "pre_activation_variance", minimum=0.0)
    factor = act.derivative_moment(2)
    if factor is not None:
        return factor * q
    return gaussian_expectation(lambda z: act.forward(z) ** 2, q)


def derivative_second_moment(activation: ActivationLike, pre_activation_variance: float) -> float:
    """``E[φ'(z)²]`` for ``z ~ N(0, q)``: the factor by which one layer scales the squared
    back-propagated gradient (1 for linear, 1/2 for ReLU)."""
    act = get_activation(activation)
    q = check_number(pre_activation_variance, "pre_activation_variance", minimum=0.0)
    factor = act.derivative_moment(2)
    if factor is not None:
        return factor
    return gaussian_expectation(lambda z: act.derivative(z) ** 2, q)


@dataclass(frozen=True)
class SignalPrediction:
    """Predicted per-layer second moments, lists indexed ``0 .. L-1`` like ``propagate``'s.

    ``pre_activation_variances[l]`` is ``q_l = Var(z_l)``, ``activation_second_moments[l]``
    is ``E[a_l²]`` and ``gradient_second_moments[l]`` is ``E[(∂L/∂z_l)²]``.
    """

    pre_activation_variances: list[float]
    activation_second_moments: list[float]
    gradient_second_moments: list[float]


def predict_signal(
    activation: ActivationLike,
    layer_sizes: Sequence[int],
    weight_variances: Sequence[float],
    input_second_moment: float = 1.0,
    bias_variance: float = 0.0,
    upstream_second_moment: float = 1.0,
) -> SignalPrediction:
    """Second moments of a deep net at initialization, layer by layer.

    ``layer_sizes`` is ``[n_0, n_1, ..., n_L]`` (``n_0`` the input width) and
    ``weight_variances[l - 1]`` is ``Var(W_l)``, the variance of layer ``l``'s
    ``(n_{l-1}, n_l)`` weights, for ``l = 1 .. L``; the returned lists hold layer ``l`` at
    index ``l - 1`` and ``E[a_0²]`` is ``input_second_moment``. Forward, with independent
    zero-mean weights (the variance rule, plus a bias of variance σ_b²)::

        q_l = n_{l-1} · Var(W_l) · E[a_{l-1}²] + σ_b²,   E[a_l²] = E[φ(z)²], z ~ N(0, q_l)

    Backward, for an upstream gradient of second moment ``g`` at the last layer and the
    usual assumption that the backward weights are independent of the forward pass::

        E[δ_L²] = g · E[φ'(z_L)²],   E[δ_{l-1}²] = n_l · Var(W_l) · E[δ_l²] · E[φ'(z_{l-1})²]

    Exact for linear nets and for ReLU / leaky ReLU in expectation; for tanh, sigmoid and
    SELU it is the wide-layer (mean-field) limit.
    """
    sizes = check_layer_sizes(layer_sizes, "layer_sizes", minimum_length=2)
    variances = [check_number(v, "weight_variances", minimum=0.0) for v in weight_variances]
    if len(variances) != len(sizes) - 1:
        raise ValueError(
            f"weight_variances needs one entry per layer ({len(sizes) - 1}); "
            f"received {len(variances)}."
        )
    second_moment = check_number(input_second_moment, "input_second_moment", minimum=0.0)
    bias_variance = check_number(bias_variance, "bias_variance", minimum=0.0)
    upstream = check_number(upstream_second_moment, "upstream_second_moment", minimum=0.0)

    qs, forward = [], []
    for fan_in, variance in zip(sizes[:-1], variances):
        q = preactivation_variance(fan_in, variance, second_moment) + bias_variance
        second_moment = activation_second_moment(activation, q)
        qs.append(q)
        forward.append(second_moment)

    backward: list[float] = []
    for layer in reversed(range(len(qs))):
        if layer < len(qs) - 1:
            upstream = sizes[layer + 2] * variances[layer + 1] * backward[-1]
        backward.append(upstream * derivative_second_moment(activation, qs[layer]))
    backward.reverse()
    return SignalPrediction(qs, forward, backward)


# --------------------------------------------------------------------------------------
# The edge of chaos: mean-field maps of a wide random net (Poole et al. 2016,
# Schoenholz et al. 2017). Weights N(0, σ_w²/fan_in), biases N(0, σ_b²), z ~ N(0, 1) below.
# --------------------------------------------------------------------------------------
# Gauss–Hermite nodes for the two-input expectations of the correlation map: 151² points
# are accurate to ~1e-6 for tanh up to q ≈ 3 (the chaotic corner σ_w² ≈ 4).
_HERMITE_NODES, _HERMITE_WEIGHTS = hermegauss(151)
_HERMITE_WEIGHTS = _HERMITE_WEIGHTS / _HERMITE_WEIGHTS.sum()
_LARGEST_VARIANCE = 1e12


def _find_root(function: Callable[[float], float], low: float, high: float) -> float:
    """A root of ``function`` in ``[low, high]``, where its signs differ at the two ends.

    The Illinois variant of regula falsi: superlinear, and the root stays bracketed.
    """
    f_low, f_high = function(low), function(high)
    if f_low == 0.0:
        return low
    if f_high == 0.0:
        return high
    for _ in range(200):
        guess = high - f_high * (high - low) / (f_high - f_low)
        f_guess = function(guess)
        if f_guess == 0.0:
            return guess
        if (f_guess > 0) != (f_high > 0):
            low, f_low = high, f_high
        else:
            f_low /= 2.0
        high, f_high = guess, f_guess
        if abs(high - low) <= 1e-13 * max(abs(high), 1e-12):
            break
    return high


def variance_map(
    q: float, sigma_w2: float, sigma_b2: float, activation: ActivationLike = "tanh"
) -> float:
    """One layer of the length map: ``q^{l+1} = σ_w² · E[φ(√q^l · z)²] + σ_b²``.

    ``q^l`` is the variance of a pre-activation in layer ``l`` of a wide net whose weights
    have variance ``σ_w² / fan_in`` and whose biases have variance ``σ_b²``.
    """
    sigma_w2 = check_number(sigma_w2, "sigma_w2", minimum=0.0)
    sigma_b2 = check_number(sigma_b2, "sigma_b2", minimum=0.0)
    return sigma_w2 * activation_second_moment(activation, q) + sigma_b2


def fixed_point(sigma_w2: float, sigma_b2: float, activation: ActivationLike = "tanh") -> float:
    """The fixed point ``q*`` of :func:`variance_map` that a deep net settles on.

    For an increasing, concave map such as tanh's it is unique when ``σ_b² > 0``. With
    ``σ_b² = 0`` and ``φ(0) = 0`` the zero signal is a fixed point too; the largest fixed
    point is returned, so ``q* = 0`` exactly when no positive one exists (tanh with
    ``σ_w² ≤ 1``; also when every ``q`` is fixed, as for ReLU with ``σ_w² = 2``). Raises
    ``ValueError`` when the variance grows without bound (linear
    with ``σ_w² > 1``, ReLU with ``σ_w² > 2``).
    """
    sigma_w2 = check_number(sigma_w2, "sigma_w2", minimum=0.0)
    sigma_b2 = check_number(sigma_b2, "sigma_b2", minimum=0.0)

    def growth(q: float) -> float:
        return variance_map(q, sigma_w2, sigma_b2, activation) - q

    high = 1.0
    while growth(high) > 0:
        high *= 2.0
        if high > _LARGEST_VARIANCE:
            raise ValueError(
                "the variance map has no finite fixed point: q grows without bound for "
                f"sigma_w2={sigma_w2}, sigma_b2={sigma_b2} and this activation."
            )
    low = 0.0
    if growth(low) == 0.0:  # the zero signal is a fixed point; look for a larger one
        low = 1e-9 * high
        if growth(low) <= 0:
            return 0.0
    return _find_root(growth, low, high)


def chi_1(sigma_w2: float, sigma_b2: float, activation: ActivationLike = "tanh") -> float:
    """``χ₁ = σ_w² · E[φ'(√q* · z)²]``: the factor by which each layer multiplies the
    squared back-propagated gradient (equal widths), and the slope of the correlation map
    at ``c = 1``. ``χ₁ < 1``: ordered phase, ``χ₁ > 1``: chaotic phase, ``χ₁ = 1``: the edge.
    """
    q_star = fixed_point(sigma_w2, sigma_b2, activation)
    return float(sigma_w2) * derivative_second_moment(activation, q_star)


def critical_sigma_w2(sigma_b2: float, activation: ActivationLike = "tanh") -> float:
    """The weight variance ``σ_w²`` on the edge of chaos, ``χ₁(σ_w², σ_b²) = 1``.

    For tanh it is 1 at ``σ_b² = 0`` and grows with ``σ_b²`` (≈ 1.76 at ``σ_b² = 0.05``).
    """
    sigma_b2 = check_number(sigma_b2, "sigma_b2", minimum=0.0)

    def excess(sigma_w2: float) -> float:
        return chi_1(sigma_w2, sigma_b2, activation) - 1.0

    low = 1.0
    while excess(low) > 0:
        low /= 2.0
        if low < 1e-6:
            raise ValueError(f"chi_1 stays above 1 for every sigma_w2 at sigma_b2={sigma_b2}.")
    high = 2.0 * low
    while excess(high) <= 0:
        high *= 2.0
        if high > 1e6:
            raise ValueError(f"chi_1 stays below 1 for every sigma_w2 at sigma_b2={sigma_b2}.")
    return _find_root(excess, low, high)


def depth_scale(chi: float) -> float:
    """``ξ = -1 / ln χ``: a quantity multiplied by ``χ`` per layer scales as ``e^{-l/ξ}``.

    ``χ < 1`` gives a positive ξ (decay over ~ξ layers), ``χ = 1`` an infinite one, and
    ``χ > 1`` a negative one (growth by ``e`` every ``|ξ|`` layers). A ``χ`` within 1e-12
    of 1 counts as 1: quadrature rounding, not a depth of 10¹² layers.
    """
    chi = check_number(chi, "chi", positive=True)
    return math.inf if abs(chi - 1.0) <= 1e-12 else -1.0 / math.log(chi)


def length_depth_scale(
    sigma_w2: float, sigma_b2: float, activation: ActivationLike = "tanh"
) -> float:
    """``ξ_q = -1 / ln χ_q``: over how many layers the variance ``q`` forgets its start.

    ``χ_q`` is the slope of :func:`variance_map` at ``q*``. Schoenholz et al. (2017) write it
    ``χ₁ + σ_w² E[φ''(u) φ(u)]``; by Gaussian integration by parts it equals
    ``σ_w² · E[u φ(u) φ'(u)] / q*`` with ``u = √q* · z``, the form used here (no ``φ''``
    needed). Unlike :func:`correlation_depth_scale` it stays finite at the edge of chaos.
    Raises ``ValueError`` when ``q* = 0`` (the slope there is ``χ₁`` itself).
    """
    sigma_w2 = check_number(sigma_w2, "sigma_w2", minimum=0.0)
    q_star = fixed_point(sigma_w2, sigma_b2, activation)
    if q_star == 0.0:
        raise ValueError(
            f"q* = 0 for sigma_w2={sigma_w2}, sigma_b2={sigma_b2}: the length map has no "
            "positive fixed point to converge to."
        )
    act = get_activation(activation)
    slope = (
        sigma_w2
        * gaussian_expectation(lambda u: u * act.forward(u) * act.derivative(u), q_star)
        / q_star
    )
    return depth_scale(slope)


def _check_correlation(c: float) -> float:
    return check_number(c, "c", minimum=-1.0, maximum=1.0)


def _paired_expectation(function: ArrayFunction, q: float, c: float) -> float:
    """``E[f(u₁) f(u₂)]`` for ``u₁, u₂ ~ N(0, q)`` with correlation ``c`` (Gauss–Hermite)."""
    z = _HERMITE_NODES
    u1 = math.sqrt(q) * z[:, None]
    u2 = math.sqrt(q) * (c * z[:, None] + math.sqrt(max(1.0 - c * c, 0.0)) * z[None, :])
    return float(_HERMITE_WEIGHTS @ (function(u1) * function(u2)) @ _HERMITE_WEIGHTS)


def correlation_map(
    c: float, sigma_w2: float, sigma_b2: float, activation: ActivationLike = "tanh"
) -> float:
    r"""One layer of the correlation map for two inputs already at ``q*``:

    .. math::

        c^{l+1} = \frac{\sigma_w^2 \, E[\phi(u_1)\, \phi(u_2)] + \sigma_b^2}{q^*}, \qquad
        u_1 = \sqrt{q^*}\, z_1, \quad
        u_2 = \sqrt{q^*}\, \bigl(c^l z_1 + \sqrt{1 - (c^l)^2}\, z_2\bigr).
    """
    c = _check_correlation(c)
    q_star = fixed_point(sigma_w2, sigma_b2, activation)
    if q_star == 0.0:
        return 1.0
    act = get_activation(activation)
    return (
        float(sigma_w2) * _paired_expectation(act.forward, q_star, c) + float(sigma_b2)
    ) / q_star


def correlation_fixed_point(
    sigma_w2: float, sigma_b2: float, activation: ActivationLike = "tanh"
) -> float:
    """``c*``: where the correlation of two inputs settles in a deep net.

    ``c* = 1`` in the ordered phase (``χ₁ ≤ 1``: every input ends up the same); below 1 in the
    chaotic phase (nearby inputs decorrelate), 0 for tanh with ``σ_b² = 0``.
    """
    if chi_1(sigma_w2, sigma_b2, activation) <= 1.0:
        return 1.0

    def gain_in_correlation(c: float) -> float:
        return correlation_map(c, sigma_w2, sigma_b2, activation) - c

    # The map lies above the diagonal below c* and under it between c* and 1.
    return _find_root(gain_in_correlation, 0.0, 1.0 - 1e-9)


def chi_c(sigma_w2: float, sigma_b2: float, activation: ActivationLike = "tanh") -> float:
    """``χ_c = σ_w² · E[φ'(u₁) φ'(u₂)]`` at ``c*``: the slope of the correlation map there.

    Equal to :func:`chi_1` in the ordered phase (``c* = 1``), below 1 in both phases except
    at the edge of chaos.
    """
    c_star = correlation_fixed_point(sigma_w2, sigma_b2, activation)
    if c_star == 1.0:
        return chi_1(sigma_w2, sigma_b2, activation)
    q_star = fixed_point(sigma_w2, sigma_b2, activation)
    return float(sigma_w2) * _paired_expectation(
        get_activation(activation).derivative, q_star, c_star
    )


def correlation_depth_scale(
    sigma_w2: float, sigma_b2: float, activation: ActivationLike = "tanh"
) -> float:
    """``ξ_c = -1 / ln χ_c``: over how many layers a deep net forgets how two inputs were
    correlated (Schoenholz et al.: random nets train up to a depth of about ``6 ξ_c``)."""
    return depth_scale(chi_c(sigma_w2, sigma_b2, activation))

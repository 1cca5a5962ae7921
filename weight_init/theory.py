r"""Predictions to draw over measurements.

Variance propagation through one layer :math:`z = x W` with independent, zero-mean weights
of variance :math:`\operatorname{Var}(W)`, independent of the inputs (shape ``(fan_in, fan_out)``):

.. math::

    \operatorname{Var}(z_j) = \sum_i \operatorname{Var}(W_{ij} x_i)
    = \text{fan\_in} \cdot \operatorname{Var}(W) \cdot \mathbb{E}[x^2]

:math:`\mathbb{E}[x^2]` equals :math:`\operatorname{Var}(x)` when the inputs have mean zero (tanh,
linear); after a ReLU it does not, which is why He's rule tracks the second moment.

:func:`predict_signal` applies the rule layer after layer, forward for :math:`\mathbb{E}[a^2]` and
backward for the gradients' :math:`\mathbb{E}[\delta^2]`, through any activation (the mean-field
recursion).

The edge of chaos (Poole et al. 2016, Schoenholz et al. 2017) closes the module: for weights
:math:`\mathcal{N}(0, \sigma_w^2/\text{fan\_in})` and biases :math:`\mathcal{N}(0, \sigma_b^2)`,
:func:`variance_map` and its :func:`fixed_point` :math:`q^*`, :func:`chi_1` (ordered below 1,
chaotic above), :func:`critical_sigma_w2`, the :func:`correlation_map` and the depth scales
(:func:`depth_scale`, :func:`length_depth_scale`, :func:`correlation_depth_scale`).

Two quadratures, each with one job. Every one-input expectation :math:`\mathbb{E}[f(z)]`,
:math:`z \sim \mathcal{N}(0, q)`, goes through :func:`gaussian_expectation`: a uniform grid of 8001
nodes over :math:`\pm 10` standard deviations, fine enough for a saturated tanh, whose
:math:`\tanh'(z)` lives in a
window of width :math:`\sim 1/\sqrt{q}` that Gauss–Hermite nodes would miss for large ``q``. The
two-input expectation :math:`\mathbb{E}[f(u_1) f(u_2)]` of the correlation map goes through
:func:`_paired_expectation`: 151 × 151 Gauss–Hermite nodes, since the fine grid squared would be
:math:`6.4 \cdot 10^7` points; it is used only near :math:`q^*`, where ``q`` stays small.
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
    r"""The variance rule for one layer :math:`z = x W`:

    .. math::

        \operatorname{Var}(z) = \text{fan\_in} \cdot \operatorname{Var}(W) \cdot \mathbb{E}[x^2]
    """
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
    r""":math:`\mathbb{E}[f(z)]` for :math:`z \sim \mathcal{N}(0, \text{variance})`, by quadrature
    on a fine standard-normal grid."""
    variance = check_number(variance, "variance", minimum=0.0)
    return float(np.dot(_NORMAL_WEIGHTS, function(math.sqrt(variance) * _NORMAL_NODES)))


def activation_second_moment(activation: ActivationLike, pre_activation_variance: float) -> float:
    r""":math:`\mathbb{E}[\phi(z)^2]` for :math:`z \sim \mathcal{N}(0, q)`: exact for the
    piecewise-linear activations, linear (:math:`q`), ReLU (:math:`q/2`), leaky ReLU
    (:math:`(1 + a^2)q/2`) (see ``Activation.slopes``); quadrature for the others."""
    act = get_activation(activation)
    q = check_number(pre_activation_variance, "pre_activation_variance", minimum=0.0)
    factor = act.derivative_moment(2)
    if factor is not None:
        return factor * q
    return gaussian_expectation(lambda z: act.forward(z) ** 2, q)


def derivative_second_moment(activation: ActivationLike, pre_activation_variance: float) -> float:
    r""":math:`\mathbb{E}[\phi'(z)^2]` for :math:`z \sim \mathcal{N}(0, q)`: the factor by which one
    layer scales the squared back-propagated gradient (1 for linear, 1/2 for ReLU)."""
    act = get_activation(activation)
    q = check_number(pre_activation_variance, "pre_activation_variance", minimum=0.0)
    factor = act.derivative_moment(2)
    if factor is not None:
        return factor
    return gaussian_expectation(lambda z: act.derivative(z) ** 2, q)


@dataclass(frozen=True)
class SignalPrediction:
    r"""Predicted per-layer second moments, lists indexed ``0 .. L-1`` like ``propagate``'s.

    ``pre_activation_variances[l]`` is :math:`q_l = \operatorname{Var}(z_l)`,
    ``activation_second_moments[l]`` is :math:`\mathbb{E}[a_l^2]` and ``gradient_second_moments[l]``
    is :math:`\mathbb{E}[(\partial L/\partial z_l)^2]`.
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
    r"""Second moments of a deep net at initialization, layer by layer.

    ``layer_sizes`` is ``[n_0, n_1, ..., n_L]`` (``n_0`` the input width) and
    ``weight_variances[l - 1]`` is :math:`\operatorname{Var}(W_l)`, the variance of layer ``l``'s
    :math:`(n_{l-1}, n_l)` weights, for ``l = 1 .. L``; the returned lists hold layer ``l`` at
    index ``l - 1`` and :math:`\mathbb{E}[a_0^2]` is ``input_second_moment``. Forward, with
    independent zero-mean weights (the variance rule, plus a bias of variance
    :math:`\sigma_b^2`):

    .. math::

        q_l = n_{l-1} \cdot \operatorname{Var}(W_l) \cdot \mathbb{E}[a_{l-1}^2] + \sigma_b^2, \qquad
        \mathbb{E}[a_l^2] = \mathbb{E}[\phi(z)^2], \quad z \sim \mathcal{N}(0, q_l)

    Backward, for an upstream gradient of second moment :math:`g` at the last layer and the
    usual assumption that the backward weights are independent of the forward pass:

    .. math::

        \mathbb{E}[\delta_L^2] = g \cdot \mathbb{E}[\phi'(z_L)^2], \qquad
        \mathbb{E}[\delta_{l-1}^2] = n_l \cdot \operatorname{Var}(W_l) \cdot \mathbb{E}[\delta_l^2]
        \cdot \mathbb{E}[\phi'(z_{l-1})^2]

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
    r"""One layer of the length map:
    :math:`q^{l+1} = \sigma_w^2 \cdot \mathbb{E}[\phi(\sqrt{q^l} \cdot z)^2] + \sigma_b^2`.

    :math:`q^l` is the variance of a pre-activation in layer ``l`` of a wide net whose weights
    have variance :math:`\sigma_w^2 / \text{fan\_in}` and whose biases have variance
    :math:`\sigma_b^2`.
    """
    sigma_w2 = check_number(sigma_w2, "sigma_w2", minimum=0.0)
    sigma_b2 = check_number(sigma_b2, "sigma_b2", minimum=0.0)
    return sigma_w2 * activation_second_moment(activation, q) + sigma_b2


def fixed_point(sigma_w2: float, sigma_b2: float, activation: ActivationLike = "tanh") -> float:
    r"""The fixed point :math:`q^*` of :func:`variance_map` that a deep net settles on.

    For an increasing, concave map such as tanh's it is unique when :math:`\sigma_b^2 > 0`. With
    :math:`\sigma_b^2 = 0` and :math:`\phi(0) = 0` the zero signal is a fixed point too; the largest
    fixed point is returned, so :math:`q^* = 0` exactly when no positive one exists (tanh with
    :math:`\sigma_w^2 \le 1`; also when every ``q`` is fixed, as for ReLU with
    :math:`\sigma_w^2 = 2`). Raises ``ValueError`` when the variance grows without bound (linear
    with :math:`\sigma_w^2 > 1`, ReLU with :math:`\sigma_w^2 > 2`).
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
    r""":math:`\chi_1 = \sigma_w^2 \cdot \mathbb{E}[\phi'(\sqrt{q^*} \cdot z)^2]`: the factor by
    which each layer multiplies the squared back-propagated gradient (equal widths), and the slope
    of the correlation map at ``c = 1``. :math:`\chi_1 < 1`: ordered phase, :math:`\chi_1 > 1`:
    chaotic phase, :math:`\chi_1 = 1`: the edge.
    """
    q_star = fixed_point(sigma_w2, sigma_b2, activation)
    return float(sigma_w2) * derivative_second_moment(activation, q_star)


def critical_sigma_w2(sigma_b2: float, activation: ActivationLike = "tanh") -> float:
    r"""The weight variance :math:`\sigma_w^2` on the edge of chaos,
    :math:`\chi_1(\sigma_w^2, \sigma_b^2) = 1`.

    For tanh it is 1 at :math:`\sigma_b^2 = 0` and grows with :math:`\sigma_b^2`
    (:math:`\approx 1.76` at :math:`\sigma_b^2 = 0.05`).
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
    r""":math:`\xi = -1 / \ln \chi`: a quantity multiplied by :math:`\chi` per layer scales as
    :math:`e^{-l/\xi}`.

    :math:`\chi < 1` gives a positive :math:`\xi` (decay over :math:`\sim \xi` layers),
    :math:`\chi = 1` an infinite one, and :math:`\chi > 1` a negative one (growth by ``e`` every
    :math:`|\xi|` layers). A :math:`\chi` within 1e-12 of 1 counts as 1: quadrature rounding, not a
    depth of :math:`10^{12}` layers.
    """
    chi = check_number(chi, "chi", positive=True)
    return math.inf if abs(chi - 1.0) <= 1e-12 else -1.0 / math.log(chi)


def length_depth_scale(
    sigma_w2: float, sigma_b2: float, activation: ActivationLike = "tanh"
) -> float:
    r""":math:`\xi_q = -1 / \ln \chi_q`: over how many layers the variance ``q`` forgets its start.

    :math:`\chi_q` is the slope of :func:`variance_map` at :math:`q^*`. Schoenholz et al. (2017)
    write it :math:`\chi_1 + \sigma_w^2 \mathbb{E}[\phi''(u) \phi(u)]`; by Gaussian integration by
    parts it equals :math:`\sigma_w^2 \cdot \mathbb{E}[u \phi(u) \phi'(u)] / q^*` with
    :math:`u = \sqrt{q^*} \cdot z`, the form used here (no :math:`\phi''` needed). Unlike
    :func:`correlation_depth_scale` it stays finite at the edge of chaos. Raises ``ValueError`` when
    :math:`q^* = 0` (the slope there is :math:`\chi_1` itself).
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
    r""":math:`\mathbb{E}[f(u_1) f(u_2)]` for :math:`u_1, u_2 \sim \mathcal{N}(0, q)` with
    correlation ``c`` (Gauss–Hermite)."""
    z = _HERMITE_NODES
    u1 = math.sqrt(q) * z[:, None]
    u2 = math.sqrt(q) * (c * z[:, None] + math.sqrt(max(1.0 - c * c, 0.0)) * z[None, :])
    return float(_HERMITE_WEIGHTS @ (function(u1) * function(u2)) @ _HERMITE_WEIGHTS)


def correlation_map(
    c: float, sigma_w2: float, sigma_b2: float, activation: ActivationLike = "tanh"
) -> float:
    r"""One layer of the correlation map for two inputs already at :math:`q^*`:

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
    r"""``c*``: where the correlation of two inputs settles in a deep net.

    ``c* = 1`` in the ordered phase (:math:`\chi_1 \le 1`: every input ends up the same); below 1 in
    the chaotic phase (nearby inputs decorrelate), 0 for tanh with :math:`\sigma_b^2 = 0`.
    """
    if chi_1(sigma_w2, sigma_b2, activation) <= 1.0:
        return 1.0

    def gain_in_correlation(c: float) -> float:
        return correlation_map(c, sigma_w2, sigma_b2, activation) - c

    # The map lies above the diagonal below c* and under it between c* and 1.
    return _find_root(gain_in_correlation, 0.0, 1.0 - 1e-9)


def chi_c(sigma_w2: float, sigma_b2: float, activation: ActivationLike = "tanh") -> float:
    r""":math:`\chi_c = \sigma_w^2 \cdot \mathbb{E}[\phi'(u_1) \phi'(u_2)]` at ``c*``: the slope of
    the correlation map there.

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
    r""":math:`\xi_c = -1 / \ln \chi_c`: over how many layers a deep net forgets how two inputs were
    correlated (Schoenholz et al.: random nets train up to a depth of about :math:`6 \xi_c`)."""
    return depth_scale(chi_c(sigma_w2, sigma_b2, activation))

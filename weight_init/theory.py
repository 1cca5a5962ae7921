"""Predictions to draw over measurements.

Variance propagation through one layer ``z = x @ W`` with independent, zero-mean weights
of variance ``Var(W)``, independent of the inputs (shape ``(fan_in, fan_out)``)::

    Var(z_j) = Σ_i Var(W_ij x_i) = fan_in · Var(W) · E[x²]

``E[x²]`` equals ``Var(x)`` when the inputs have mean zero (tanh, linear); after a ReLU
it does not, which is why He's rule tracks the second moment.

:func:`predict_signal` applies the rule layer after layer, forward for ``E[a²]`` and backward
for the gradients' ``E[δ²]``, through any activation (the mean-field recursion).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence, Union

import numpy as np

from .activations import ACTIVATIONS, LEAKY_RELU_SLOPE, Activation, ArrayFunction, get_activation

ActivationLike = Union[str, Activation, ArrayFunction]


def preactivation_variance(fan_in: int, weight_variance: float, input_second_moment: float) -> float:
    """``Var(z) = fan_in · Var(W) · E[x²]`` for one layer ``z = x @ W``."""
    if fan_in <= 0:
        raise ValueError(f"fan_in must be positive; received fan_in={fan_in}.")
    if weight_variance < 0 or input_second_moment < 0:
        raise ValueError(
            "variances must be non-negative; received "
            f"weight_variance={weight_variance}, input_second_moment={input_second_moment}."
        )
    return fan_in * weight_variance * input_second_moment


# --------------------------------------------------------------------------------------
# Layer by layer: the second moments a deep net should show (mean-field recursion)
# --------------------------------------------------------------------------------------
# Standard-normal quadrature grid: E[f(z)] for z ~ N(0, q) is Σ w_k f(√q · x_k). The step
# 0.0025 resolves features of width 1/√q in x (tanh' near 0) up to q ≈ 10⁴.
_NORMAL_NODES = np.linspace(-10.0, 10.0, 8001)
_NORMAL_WEIGHTS = np.exp(-0.5 * _NORMAL_NODES**2)
_NORMAL_WEIGHTS /= _NORMAL_WEIGHTS.sum()

# E[φ(z)²] = c · q and E[φ'(z)²] = c' for the piecewise-linear activations, z ~ N(0, q).
_PIECEWISE_LINEAR_FACTORS = {
    "linear": (1.0, 1.0),
    "relu": (0.5, 0.5),
    "leaky_relu": ((1.0 + LEAKY_RELU_SLOPE**2) / 2.0, (1.0 + LEAKY_RELU_SLOPE**2) / 2.0),
}


def _check_variance(name: str, value: float) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"{name} must be a number; received {name}={value!r}.")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0; received {name}={value}.")
    return float(value)


def gaussian_expectation(function: Callable[[np.ndarray], np.ndarray], variance: float) -> float:
    """``E[f(z)]`` for ``z ~ N(0, variance)``, by quadrature on a fine standard-normal grid."""
    variance = _check_variance("variance", variance)
    return float(np.dot(_NORMAL_WEIGHTS, function(math.sqrt(variance) * _NORMAL_NODES)))


def activation_second_moment(activation: ActivationLike, pre_activation_variance: float) -> float:
    """``E[φ(z)²]`` for ``z ~ N(0, q)``: exact for linear (q), ReLU (q/2), leaky ReLU
    ((1 + a²)q/2); quadrature for the others."""
    act = get_activation(activation)
    q = _check_variance("pre_activation_variance", pre_activation_variance)
    if act.name in _PIECEWISE_LINEAR_FACTORS and act is ACTIVATIONS[act.name]:
        return _PIECEWISE_LINEAR_FACTORS[act.name][0] * q
    return gaussian_expectation(lambda z: act.forward(z) ** 2, q)


def derivative_second_moment(activation: ActivationLike, pre_activation_variance: float) -> float:
    """``E[φ'(z)²]`` for ``z ~ N(0, q)``: the factor by which one layer scales the squared
    back-propagated gradient (1 for linear, 1/2 for ReLU)."""
    act = get_activation(activation)
    q = _check_variance("pre_activation_variance", pre_activation_variance)
    if act.name in _PIECEWISE_LINEAR_FACTORS and act is ACTIVATIONS[act.name]:
        return _PIECEWISE_LINEAR_FACTORS[act.name][1]
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

    ``layer_sizes`` is ``[input_dim, n_1, ..., n_L]`` and ``weight_variances[l]`` the
    variance of layer ``l``'s ``(n_l, n_{l+1})`` weights. Forward, with independent zero-mean
    weights (the variance rule, plus a bias of variance σ_b²)::

        q_l = n_{l-1} · Var(W_l) · E[a_{l-1}²] + σ_b²,   E[a_l²] = E[φ(z)²], z ~ N(0, q_l)

    Backward, for an upstream gradient of second moment ``g`` at the last layer and the
    usual assumption that the backward weights are independent of the forward pass::

        E[δ_L²] = g · E[φ'(z_L)²],   E[δ_{l-1}²] = n_l · Var(W_l) · E[δ_l²] · E[φ'(z_{l-1})²]

    Exact for linear nets and for ReLU / leaky ReLU in expectation; for tanh, sigmoid and
    SELU it is the wide-layer (mean-field) limit.
    """
    sizes = [int(n) for n in layer_sizes]
    if len(sizes) < 2 or any(n <= 0 for n in sizes):
        raise ValueError(
            "layer_sizes must be [input_dim, n_1, ..., n_L] with positive widths; "
            f"received layer_sizes={list(layer_sizes)!r}."
        )
    variances = [_check_variance("weight_variances", v) for v in weight_variances]
    if len(variances) != len(sizes) - 1:
        raise ValueError(
            f"weight_variances needs one entry per layer ({len(sizes) - 1}); "
            f"received {len(variances)}."
        )
    second_moment = _check_variance("input_second_moment", input_second_moment)
    bias_variance = _check_variance("bias_variance", bias_variance)
    upstream = _check_variance("upstream_second_moment", upstream_second_moment)

    qs, forward = [], []
    for fan_in, variance in zip(sizes[:-1], variances):
        q = preactivation_variance(fan_in, variance, second_moment) + bias_variance
        second_moment = activation_second_moment(activation, q)
        qs.append(q)
        forward.append(second_moment)

    backward = []
    for layer in reversed(range(len(qs))):
        if layer < len(qs) - 1:
            upstream = sizes[layer + 2] * variances[layer + 1] * backward[-1]
        backward.append(upstream * derivative_second_moment(activation, qs[layer]))
    backward.reverse()
    return SignalPrediction(qs, forward, backward)

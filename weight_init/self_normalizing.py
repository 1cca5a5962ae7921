"""Self-normalizing networks (Klambauer et al. 2017): SELU's moment map and its fixed point.

A SELU unit receives ``z = Σ_i w_i x_i`` where the inputs ``x_i`` have mean ``μ`` and variance
``ν`` and the unit's weights have sum ``ω = Σ_i w_i`` and sum of squares ``τ = Σ_i w_i²``.
For many inputs ``z ~ N(μω, ντ)``, and the unit's output ``selu(z)`` has a mean and a
variance that depend only on ``(μ, ν)`` (given ``ω, τ``): the moment map

    (μ, ν)  ->  (μ̃, ν̃) = (E[selu(z)], Var[selu(z)]),   z ~ N(μω, ντ).

With LeCun's rule ``Var(w) = 1/fan_in`` a layer has ``τ ≈ 1``; with ``ω = 0`` the map's fixed
point is ``(0, 1)`` exactly because SELU's two constants were *chosen* to make it so:
``E[selu(z)] = 0`` and ``E[selu(z)²] = 1`` for ``z ~ N(0, 1)`` (:func:`selu_constants` solves
these two equations). For random weights ``ω`` varies from unit to unit like ``N(0, fan_in·Var(w))
= N(0, 1)``, which turns the input mean into extra variance: pooled over the units, ``z ~ N(0,
μ² + ν)``; :func:`layer_moments` iterates the map that way to predict a random network's layers.

The map is written in closed form with ``math.erfc``; it is accurate while ``e^{2μω + 2ντ}``
stays a float (``ντ`` up to a few hundred).
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import check_int, check_number
from .activations import SELU_ALPHA, SELU_SCALE


def _normal_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _normal_pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def selu_constants() -> tuple[float, float]:
    """``(alpha, scale)`` solving ``E[selu(z)] = 0`` and ``E[selu(z)²] = 1`` for ``z ~ N(0, 1)``.

    With ``Φ`` the standard normal CDF, the two conditions read

        E[z; z > 0] + α · E[e^z - 1; z ≤ 0] = 1/sqrt(2π) + α (e^{1/2} Φ(-1) - 1/2) = 0
        scale² · (1/2 + α² (e² Φ(-2) - 2 e^{1/2} Φ(-1) + 1/2)) = 1

    The first gives ``α``, the second ``scale``. They equal
    :data:`~weight_init.activations.SELU_ALPHA` and ``SELU_SCALE``.
    """
    exp_negative_part = math.exp(0.5) * _normal_cdf(-1.0)
    alpha = _normal_pdf(0.0) / (0.5 - exp_negative_part)
    negative_second_moment = math.exp(2.0) * _normal_cdf(-2.0) - 2.0 * exp_negative_part + 0.5
    scale = 1.0 / math.sqrt(0.5 + alpha**2 * negative_second_moment)
    return alpha, scale


def selu_moment_map(
    mean: float, variance: float, omega: float = 0.0, tau: float = 1.0
) -> tuple[float, float]:
    r"""``(μ̃, ν̃)``: mean and variance of ``selu(z)`` for ``z ~ N(mean·omega, variance·tau)``.

    Klambauer et al.'s map g (their Eqs. 4 and 5), written with ``m = μω``, ``s = sqrt(ντ)``,
    Φ the standard normal's distribution function and φ its density:

    .. math::

        E[\mathrm{selu}(z)] &= \lambda \Bigl(m \Phi(\tfrac{m}{s}) + s \phi(\tfrac{m}{s})
            + \alpha \bigl(e^{m + s^2/2} \Phi(-\tfrac{m + s^2}{s}) - \Phi(-\tfrac{m}{s})\bigr)\Bigr)
        \\
        E[\mathrm{selu}(z)^2] &= \lambda^2 \Bigl((m^2 + s^2) \Phi(\tfrac{m}{s})
            + m s \phi(\tfrac{m}{s}) + \alpha^2 \bigl(e^{2m + 2s^2} \Phi(-\tfrac{m + 2s^2}{s})
            - 2 e^{m + s^2/2} \Phi(-\tfrac{m + s^2}{s}) + \Phi(-\tfrac{m}{s})\bigr)\Bigr)
    """
    mean = check_number(mean, "mean")
    variance = check_number(variance, "variance", positive=True)
    omega = check_number(omega, "omega")
    tau = check_number(tau, "tau", positive=True)
    m, s = mean * omega, math.sqrt(variance * tau)
    positive_mean = m * _normal_cdf(m / s) + s * _normal_pdf(m / s)
    positive_second = (m * m + s * s) * _normal_cdf(m / s) + m * s * _normal_pdf(m / s)
    negative_probability = _normal_cdf(-m / s)
    exp_part = math.exp(m + 0.5 * s * s) * _normal_cdf(-(m + s * s) / s)
    exp2_part = math.exp(2.0 * m + 2.0 * s * s) * _normal_cdf(-(m + 2.0 * s * s) / s)
    out_mean = SELU_SCALE * (positive_mean + SELU_ALPHA * (exp_part - negative_probability))
    out_second = SELU_SCALE**2 * (
        positive_second + SELU_ALPHA**2 * (exp2_part - 2.0 * exp_part + negative_probability)
    )
    return out_mean, out_second - out_mean**2


def moment_map_jacobian(
    mean: float = 0.0,
    variance: float = 1.0,
    omega: float = 0.0,
    tau: float = 1.0,
    step: float = 1e-6,
) -> np.ndarray:
    """The 2 × 2 Jacobian ``∂(μ̃, ν̃)/∂(μ, ν)`` of :func:`selu_moment_map` (central differences).

    At the fixed point ``(0, 1)`` with ``ω = 0, τ = 1`` its spectral norm is about 0.788 < 1,
    so the map contracts towards the fixed point (Klambauer et al.'s Theorem 1).
    """
    jacobian = np.empty((2, 2))
    for column, (d_mean, d_variance) in enumerate([(step, 0.0), (0.0, step)]):
        forward = selu_moment_map(mean + d_mean, variance + d_variance, omega, tau)
        backward = selu_moment_map(mean - d_mean, variance - d_variance, omega, tau)
        jacobian[:, column] = (np.array(forward) - np.array(backward)) / (2.0 * step)
    return jacobian


def layer_moments(
    input_mean: float, input_variance: float, layers: int
) -> list[tuple[float, float]]:
    """Predicted ``(mean, variance)`` of each of ``layers`` SELU layers with LeCun-normal weights.

    Each unit's ``ω`` is ``N(0, 1)`` and ``τ ≈ 1``, so pooled over units the pre-activation is
    ``N(0, μ² + ν)``: layer ``l + 1`` gets ``selu_moment_map(0, μ_l² + ν_l)``.
    """
    layers = check_int(layers, "layers")
    mean = check_number(input_mean, "input_mean")
    variance = check_number(input_variance, "input_variance", minimum=0.0)
    if mean * mean + variance <= 0:
        raise ValueError(
            "the input's second moment must be positive; received "
            f"input_mean={input_mean!r}, input_variance={input_variance!r}."
        )
    moments = []
    for _ in range(layers):
        mean, variance = selu_moment_map(0.0, mean * mean + variance)
        moments.append((mean, variance))
    return moments

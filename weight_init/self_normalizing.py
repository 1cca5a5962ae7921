r"""Self-normalizing networks (Klambauer et al. 2017): SELU's moment map and its fixed point.

A SELU unit receives :math:`z = \sum_i w_i x_i` where the inputs ``x_i`` have mean :math:`\mu` and
variance :math:`\nu` and the unit's weights have sum :math:`\omega = \sum_i w_i` and sum of squares
:math:`\tau = \sum_i w_i^2`. For many inputs :math:`z \sim \mathcal{N}(\mu \omega, \nu \tau)`, and
the unit's output ``selu(z)`` has a mean and a variance that depend only on :math:`(\mu, \nu)`
(given :math:`\omega, \tau`): the moment map

.. math::

    (\mu, \nu) \mapsto (\tilde{\mu}, \tilde{\nu})
    = \bigl(\mathbb{E}[\operatorname{selu}(z)], \operatorname{Var}[\operatorname{selu}(z)]\bigr),
    \qquad z \sim \mathcal{N}(\mu \omega, \nu \tau).

With LeCun's rule :math:`\operatorname{Var}(w) = 1/\text{fan\_in}` a layer has
:math:`\tau \approx 1`; with :math:`\omega = 0` the map's fixed point is ``(0, 1)`` exactly because
SELU's two constants were *chosen* to make it so: :math:`\mathbb{E}[\operatorname{selu}(z)] = 0` and
:math:`\mathbb{E}[\operatorname{selu}(z)^2] = 1` for :math:`z \sim \mathcal{N}(0, 1)`
(:func:`selu_constants` solves these two equations). For random weights :math:`\omega` varies from
unit to unit like
:math:`\mathcal{N}(0, \text{fan\_in}\cdot \operatorname{Var}(w)) = \mathcal{N}(0, 1)`, which turns
the input mean into extra variance: pooled over the units,
:math:`z \sim \mathcal{N}(0, \mu^2 + \nu)`; :func:`layer_moments` iterates the map that way to
predict a random network's layers.

The map is written in closed form with ``math.erfc``; it is accurate while
:math:`e^{2\mu \omega + 2\nu \tau}` stays a float (:math:`\nu \tau` up to a few hundred).
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
    r"""``(alpha, scale)`` solving :math:`\mathbb{E}[\operatorname{selu}(z)] = 0` and
    :math:`\mathbb{E}[\operatorname{selu}(z)^2] = 1` for :math:`z \sim \mathcal{N}(0, 1)`.

    With :math:`\Phi` the standard normal CDF, the two conditions read

    .. math::

        \mathbb{E}[z; z > 0] + \alpha \cdot \mathbb{E}[e^z - 1; z \le 0]
        &= \frac{1}{\sqrt{2\pi}} + \alpha \bigl(e^{1/2} \Phi(-1) - \tfrac{1}{2}\bigr) = 0 \\
        \text{scale}^2 \cdot \Bigl(\tfrac{1}{2}
        + \alpha^2 \bigl(e^2 \Phi(-2) - 2 e^{1/2} \Phi(-1) + \tfrac{1}{2}\bigr)\Bigr) &= 1

    The first gives :math:`\alpha`, the second ``scale``. They equal
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
    r""":math:`(\tilde{\mu}, \tilde{\nu})`: mean and variance of ``selu(z)`` for
    :math:`z \sim \mathcal{N}(\mu \omega, \nu \tau)`, where :math:`\mu` is ``mean``, :math:`\nu`
    ``variance``, :math:`\omega` ``omega`` and :math:`\tau` ``tau``.

    Klambauer et al.'s map g (their Eqs. 4 and 5), written with :math:`m = \mu \omega`,
    :math:`s = \sqrt{\nu \tau}`, :math:`\Phi` the standard normal's distribution function and
    :math:`\phi` its density:

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
    r"""The 2 × 2 Jacobian :math:`\partial(\tilde{\mu}, \tilde{\nu})/\partial(\mu, \nu)` of
    :func:`selu_moment_map` (central differences).

    At the fixed point ``(0, 1)`` with :math:`\omega = 0, \tau = 1` its spectral norm is about 0.788
    < 1, so the map contracts towards the fixed point (Klambauer et al.'s Theorem 1).
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
    r"""Predicted ``(mean, variance)`` of each of ``layers`` SELU layers with LeCun-normal weights.

    Each unit's :math:`\omega` is :math:`\mathcal{N}(0, 1)` and :math:`\tau \approx 1`, so pooled
    over units the pre-activation is :math:`\mathcal{N}(0, \mu^2 + \nu)`: layer ``l + 1`` gets
    :func:`selu_moment_map` at mean 0 and variance :math:`\mu_l^2 + \nu_l`.
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

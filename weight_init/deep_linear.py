r"""Deep linear networks (Saxe, McClelland & Ganguli 2014): learning dynamics and learning time.

A deep linear net computes :math:`z = x W_1 W_2 \cdots W_L` (Keras layout: ``W_l`` is
``(fan_in, fan_out)``, a batch ``x`` is ``(samples, n)``); here every layer is square,
:math:`n \times n`. Its loss is the mean squared error of :mod:`weight_init.training`,
:math:`L = \operatorname{mean}((z - y)^2)` over the :math:`\text{samples} \times \text{outputs}`
entries. Writing :math:`P_l = W_1 \cdots W_l`
(:math:`P_0 = I`) and :math:`S_l = W_{l+1} \cdots W_L`,

.. math::

    \frac{\partial L}{\partial W_l}
    = (x P_{l-1})^\top \cdot \frac{2}{m k} (z - y) \cdot S_l^\top.

:func:`train_deep_linear` runs full-batch gradient descent on many nets at once: the kernels
are one array ``(L, R, n, n)`` with a *replica* axis ``R`` (different initial weights,
different learning rates), so a learning-rate grid costs one Python loop instead of one per
rate, and all ``L`` gradients come from one batched product.

For whitened inputs (:math:`x^\top x / m = I`) and one hidden layer, each singular mode of the
input-output map :math:`\Sigma = x^\top y / m = \sum_{\alpha} s_\alpha p_\alpha q_\alpha^\top`
learns on its own when the weights start aligned with it; its strength
:math:`u = p_\alpha^\top W_1 W_2 q_\alpha` follows Saxe et al.'s Eq. 12,

.. math::

    u(t) = \frac{s \, e^{2st/\tau}}{e^{2st/\tau} - 1 + s/u_0},

a sigmoid from :math:`u_0` to :math:`s` (:func:`mode_strength_curve`). With the loss above, one
gradient step of rate :math:`\eta` is :math:`\Delta t = 1` for :math:`\tau = k / (2\eta)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ._checks import check_int, check_layer_sizes, check_number
from .init_fns import InitFn, draw_weights
from .randomness import SeedLike, make_rng
from .training import LOSSES, gradient_step

_mean_squared_error = LOSSES["mean_squared_error"].value_and_gradient


@dataclass(frozen=True)
class DeepLinearRun:
    """What :func:`train_deep_linear` recorded for ``R`` replicas.

    ``losses[t, r]``: the loss of replica ``r`` before step ``t`` (``nan`` once it stopped);
    ``steps_to_target[r]``: the first step whose loss is below the target (-1 if never);
    ``diverged[r]``: its loss grew past ``divergence_factor`` × its first loss.
    """

    losses: np.ndarray
    steps_to_target: np.ndarray
    diverged: np.ndarray


def stacked_weights(
    width: int, depth: int, init_fn: InitFn, replicas: int = 1, seed: SeedLike = 0
) -> np.ndarray:
    """Kernels of ``replicas`` deep linear nets of ``depth`` square layers.

    Shape ``(depth, replicas, width, width)``.

    Replica ``r``'s layers are drawn in order from one generator of ``seed``, replica after replica.
    """
    width, depth, replicas = check_layer_sizes([width, depth, replicas], "(width, depth, replicas)")
    rng = make_rng(seed)
    weights = np.empty((depth, replicas, width, width))
    for replica in range(replicas):
        for layer in range(depth):
            weights[layer, replica] = draw_weights(init_fn, width, width, rng)
    return weights


def loss_and_gradients(
    weights: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per-replica mean squared error ``(R,)`` and its gradient, shaped like ``weights``.

    ``weights`` is ``(L, R, n, n)``.
    """
    depth = weights.shape[0]
    prefixes = np.empty((depth + 1, weights.shape[1], *x.shape))
    prefixes[0] = x
    for layer in range(depth):
        prefixes[layer + 1] = prefixes[layer] @ weights[layer]  # x P_l, (R, m, n)
    loss, upstream_last = _mean_squared_error(prefixes[-1], y)  # per replica (R,), ∂L/∂z (R, m, n)
    upstream = np.empty_like(prefixes[1:])  # upstream[l] = ∂L/∂z · S_lᵀ, (R, m, n)
    upstream[-1] = upstream_last
    for layer in range(depth - 1, 0, -1):
        upstream[layer - 1] = upstream[layer] @ np.swapaxes(weights[layer], 1, 2)
    return np.asarray(loss), np.swapaxes(prefixes[:-1], 2, 3) @ upstream


def train_deep_linear(
    weights: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    learning_rates: Sequence[float],
    steps: int,
    target_loss: float,
    divergence_factor: float = 1e3,
) -> DeepLinearRun:
    """Full-batch gradient descent on ``R`` deep linear nets at once (updates ``weights`` in place).

    ``weights`` is ``(L, R, n, n)`` (see :func:`stacked_weights`), ``x`` is ``(m, n)``, ``y`` is
    ``(m, n)``, ``learning_rates`` has one rate per replica.
    A replica stops when its loss falls below ``target_loss`` or is no longer below
    ``divergence_factor`` times its first loss (a rate too large for a deep net may overflow
    within one step: that replica is reported as diverged, without a warning); the loop ends
    early once every replica has stopped.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if (
        not isinstance(weights, np.ndarray)
        or weights.ndim != 4
        or weights.shape[2] != weights.shape[3]
    ):
        raise ValueError(
            "weights must be a (depth, replicas, width, width) array; received "
            f"{type(weights).__name__} of shape {np.shape(weights)}."
        )
    width = weights.shape[2]
    if x.ndim != 2 or x.shape[1] != width or y.shape != x.shape:
        raise ValueError(
            f"x and y must both be (samples, {width}) for this net; received {x.shape} and "
            f"{y.shape}."
        )
    rates = np.asarray(learning_rates, dtype=float)
    replicas = weights.shape[1]
    if rates.shape != (replicas,) or not np.all(np.isfinite(rates) & (rates > 0)):
        raise ValueError(
            f"learning_rates must hold {replicas} positive numbers (one per replica); received "
            f"{list(learning_rates)!r}."
        )
    steps = check_int(steps, "steps")
    target_loss = check_number(target_loss, "target_loss", positive=True)
    divergence_factor = check_number(divergence_factor, "divergence_factor", positive=True)

    losses = np.full((steps, replicas), np.nan)
    steps_to_target = np.full(replicas, -1)
    diverged = np.zeros(replicas, dtype=bool)
    active = np.ones(replicas, dtype=bool)
    first_loss = None
    for step in range(steps):
        # A rate too large for a deep net can overflow within one step; that replica is then
        # reported as diverged (its loss is no longer below the bound), so the overflow is expected.
        with np.errstate(over="ignore", invalid="ignore"):
            loss, gradients = loss_and_gradients(weights, x, y)
        if first_loss is None:
            first_loss = loss.copy()
        losses[step, active] = loss[active]
        reached = active & (loss < target_loss)
        steps_to_target[reached] = step
        blown = active & ~(loss < divergence_factor * first_loss)
        diverged |= blown
        active &= ~(reached | blown)
        if not active.any():
            break
        with np.errstate(over="ignore", invalid="ignore"):
            gradient_step([weights], [gradients], (rates * active)[None, :, None, None])
    return DeepLinearRun(losses, steps_to_target, diverged)


def mode_strength_curve(
    singular_value: float, initial_strength: float, steps: np.ndarray, tau: float
) -> np.ndarray:
    r"""Saxe et al.'s Eq. 12: :math:`u(t) = s e^{2s t/\tau} / (e^{2s t/\tau} - 1 + s/u_0)` at times
    ``steps``."""
    s = check_number(singular_value, "singular_value", positive=True)
    u0 = check_number(initial_strength, "initial_strength", positive=True)
    tau = check_number(tau, "tau", positive=True)
    growth = np.exp(2.0 * s * np.asarray(steps, dtype=float) / tau)
    return s * growth / (growth - 1.0 + s / u0)


def mode_strengths(product: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    r""":math:`u_\alpha = p_\alpha^\top W q_\alpha` for each column :math:`\alpha` of ``left`` and
    ``right``.

    ``left`` is ``(n_in, r)`` and ``right`` ``(n_out, r)``.

    ``product`` is one ``(n_in, n_out)`` map or a stack ``(..., n_in, n_out)``; the result is
    ``(..., r)``.
    """
    return np.einsum("ia,...ij,ja->...a", left, product, right)

"""Predictions to draw over measurements.

Variance propagation through one layer ``z = x @ W`` with independent, zero-mean weights
of variance ``Var(W)``, independent of the inputs (shape ``(fan_in, fan_out)``)::

    Var(z_j) = Σ_i Var(W_ij x_i) = fan_in · Var(W) · E[x²]

``E[x²]`` equals ``Var(x)`` when the inputs have mean zero (tanh, linear); after a ReLU
it does not, which is why He's rule tracks the second moment.
"""

from __future__ import annotations


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

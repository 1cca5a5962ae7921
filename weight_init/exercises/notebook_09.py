"""Exercises of notebook 09 · Orthogonal initialization and dynamical isometry."""

from __future__ import annotations

import math

import numpy as np

from .. import (
    deep_linear,
    init_fns,
    isometry,
)
from .engine import Exercise, Mistake, register


def _largest_singular_value_of_scaled_orthogonal_product(gain: float, count: int) -> float:
    """Largest singular value of a product of ``count`` orthogonal 8 × 8 matrices times ``gain``."""
    init_fn = init_fns.catalogue_init("orthogonal", gain=gain)
    rng = np.random.default_rng(0)
    return float(
        isometry.product_singular_values([init_fn(8, 8, rng=rng) for _ in range(count)])[-1][0]
    )


def _half_way_time(singular_value: float, initial_strength: float, tau: float) -> float:
    """The time at which Saxe et al.'s Eq. 12 reaches ``s/2``, by bisection on the curve."""
    low, high = 0.0, 1.0
    while (
        deep_linear.mode_strength_curve(singular_value, initial_strength, np.array([high]), tau)[0]
        < singular_value / 2
    ):
        high *= 2.0
    for _ in range(100):
        middle = (low + high) / 2
        below = (
            deep_linear.mode_strength_curve(
                singular_value, initial_strength, np.array([middle]), tau
            )[0]
            < singular_value / 2
        )
        low, high = (middle, high) if below else (low, middle)
    return (low + high) / 2


register(
    Exercise(
        key="09.1",
        question="Ten orthogonal matrices, each multiplied by the gain 1.1, are multiplied "
        "together. What is the largest singular value of the product?",
        solution=lambda: _largest_singular_value_of_scaled_orthogonal_product(1.1, 10),
        explanation="Every singular value of 1.1·Q is 1.1, and products of orthogonal matrices are "
        "orthogonal, so all singular values of the product are 1.1^10 ≈ 2.594.",
        hint="an orthogonal matrix has all singular values 1; what does the gain do to them, "
        "layer after layer?",
        rel_tol=1e-3,
        mistakes=(
            Mistake(lambda: 1.1 * 10, "The gains multiply from layer to layer, they do not add."),
            Mistake(
                lambda: 1.21**10,
                "1.21 is the gain squared (the variance factor); singular values scale with the "
                "gain itself.",
            ),
        ),
    )
)

register(
    Exercise(
        key="09.2",
        question="A mode with s = 2 starts at u0 = 0.01 and tau = 100. At what time t does Saxe "
        "et al.'s Eq. 12 put it half-way, u = s/2?",
        solution=lambda: _half_way_time(2.0, 0.01, 100.0),
        explanation="Setting u = s/2 in u = s e^{2st/τ} / (e^{2st/τ} - 1 + s/u0) gives e^{2st/τ} "
        "= s/u0 - 1, so t = τ/(2s) · ln(s/u0 - 1) = 25 · ln 199 ≈ 132.3.",
        hint="set u = s/2 and solve for e^{2st/τ} first.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 100.0 / 2.0 * math.log(2.0 / 0.01 - 1.0),
                "The exponent is 2st/τ: divide by 2s, not by s.",
            ),
            Mistake(
                lambda: 100.0 / 4.0 * (2.0 / 0.01 - 1.0),
                "Solve for the exponential, then take its logarithm: t = τ/(2s) · ln(s/u0 - 1).",
            ),
        ),
    )
)

register(
    Exercise(
        key="09.3",
        question="A ReLU net of depth 20 at criticality with orthogonal weights: what variance "
        "of the squared singular values of its Jacobian does Pennington et al.'s "
        "formula predict?",
        solution=lambda: isometry.predicted_jacobian_variance(20, "relu", 1.0, "orthogonal"),
        explanation="For ReLU φ' is 0 or 1, so μ1 = μ2 = 1/2 and μ2/μ1² = 2; orthogonal weights "
        "have s1 = 0, so Var(λ) = L (2 - 1 - 0) = 20.",
        hint="compute μ2/μ1² for a derivative that is 0 or 1 with probability 1/2 each, and use "
        "s1 = 0.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: isometry.predicted_jacobian_variance(20, "relu", 1.0, "gaussian"),
                "That is the Gaussian case (s1 = -1); orthogonal weights have s1 = 0.",
            ),
            Mistake(
                lambda: isometry.predicted_jacobian_variance(20, "linear", 1.0, "orthogonal"),
                "Zero holds for a linear net; ReLU's on/off derivative adds L whatever the "
                "weights.",
            ),
        ),
    )
)

"""Exercises of notebook 09 · Orthogonal initialization and dynamical isometry."""

from __future__ import annotations

import math

import numpy as np

from .. import (
    experiment,
    init_fns,
    isometry,
)
from .engine import Exercise, Mistake, register


def _largest_singular_value_of_scaled_orthogonal_product(
    gain: float = 1.1, count: int = 10, size: int = 100
) -> float:
    """Largest singular value of ``count`` orthogonal ``size`` × ``size`` matrices times ``gain``,
    multiplied together; matrix ``k`` is drawn with ``np.random.default_rng(k)``."""
    init_fn = init_fns.catalogue_init("orthogonal", gain=gain)
    factors = [init_fn(size, size, rng=np.random.default_rng(k)) for k in range(count)]
    return float(isometry.product_singular_values(factors)[-1][0])


def _measured_jacobian_variance(
    activation: str = "tanh", q_star: float = 1 / 16, depth: int = 8, width: int = 200
) -> float:
    """Notebook 09's measurement: Var(λ) of an orthogonal net at criticality, averaged over the
    Jacobians at four inputs (inputs seed 0, weights seed 1)."""
    sigma_w2, sigma_b2 = isometry.critical_point(q_star, activation)
    inputs = math.sqrt(q_star) * np.random.default_rng(0).standard_normal((4, width))
    run = experiment.propagate(
        [width] * depth,
        init_fns.catalogue_init("orthogonal", gain=math.sqrt(sigma_w2)),
        activation=activation,
        inputs=inputs,
        seed=1,
        bias_std=math.sqrt(sigma_b2),
    )
    squared = isometry.jacobian_singular_values(run, activation, samples=4) ** 2
    return float(np.mean(np.var(squared, axis=1)))


register(
    Exercise(
        key="09.1",
        question="Predict, then run: ten orthogonal 100 × 100 matrices, each multiplied by the "
        "gain 1.1, are multiplied together. What is the largest singular value of the product? "
        "Write your prediction, then run the given cell and compare.",
        solution=_largest_singular_value_of_scaled_orthogonal_product,
        explanation="Every singular value of 1.1·Q is 1.1, and a product of orthogonal matrices "
        "is orthogonal, so every singular value of the product is 1.1^10 ≈ 2.59: the largest "
        "and the smallest agree, which no Gaussian product does. A gain only 10% above 1 "
        "more than doubles the signal in ten layers.",
        hint="an orthogonal matrix has all singular values 1; what does the gain do to them, "
        "layer after layer?",
        rel_tol=5e-3,
        mistakes=(
            Mistake(lambda: 1.1 * 10, "The gains multiply from layer to layer, they do not add."),
            Mistake(
                lambda: 1.21**10,
                "1.21 is the gain squared (the variance factor); singular values scale with the "
                "gain itself.",
            ),
            Mistake(
                lambda: 1.1, "That is one factor's singular value; the product has ten of them."
            ),
        ),
    )
)

register(
    Exercise(
        key="09.2",
        question="Predict, then run: orthogonal tanh at criticality with q* = 1/16, depth 8, "
        "200 units. From the per-layer column of section 4's critical-point table, predict "
        "Var(λ) of the Jacobian's squared singular values; then run the given cell (the notebook's "
        "jacobian_spectrum, seeds as in section 4) and compare.",
        solution=lambda: isometry.predicted_jacobian_variance(8, "tanh", 1 / 16, "orthogonal"),
        explanation="With orthogonal weights s1 = 0, so Var(λ) = L (μ2/μ1² - 1) and the table "
        "gives μ2/μ1² - 1 ≈ 0.0192 per layer at q* = 1/16: 8 × 0.0192 ≈ 0.154. The measurement "
        "lands within 1% of it: near q* = 0 tanh is almost linear where the signal lives, and "
        "the Jacobian is close to an isometry.",
        hint="the formula is linear in the depth L; which term vanishes for orthogonal weights?",
        # Accepts the prediction and the seed-0/1 measurement (0.1% apart); a 5 % error fails.
        rel_tol=0.02,
        mistakes=(
            Mistake(
                lambda: isometry.predicted_jacobian_variance(1, "tanh", 1 / 16, "orthogonal"),
                "That is one layer's share; Var(λ) adds it once for each of the 8 layers.",
            ),
            Mistake(
                lambda: isometry.predicted_jacobian_variance(8, "tanh", 1 / 16, "gaussian"),
                "That is the Gaussian prediction (s1 = -1 adds L); the weights here are "
                "orthogonal.",
            ),
            Mistake(
                lambda: isometry.predicted_jacobian_variance(8, "tanh", 1 / 4, "orthogonal"),
                "That is the row q* = 1/4; the net here sits at q* = 1/16 (0.0625), where tanh "
                "is closer to linear.",
            ),
        ),
    )
)

register(
    Exercise(
        key="09.3",
        question="Why does a ReLU net not reach dynamical isometry even with orthogonal weights "
        "at criticality? (a) orthogonal matrices cannot carry ReLU's gain √2; (b) ReLU's "
        "outputs have a non-zero mean, which the Jacobian inherits; (c) φ' is 0 or 1, so every "
        "layer switches off about half of its units and Var(λ) grows at least like L; (d) at "
        "σ_w² = 2 the ReLU net is not critical.",
        solution=lambda: "c",
        explanation="(c): the Jacobian is D_L W_L^T ⋯ D_1 W_1^T, and D_l = diag(φ'(z_l)) has "
        "about half of its entries 0. Then μ2/μ1² = 2 and Var(λ) = L (2 - 1 - s1) ≥ L for any "
        "weights: orthogonal W_l remove the Gaussian +L, not the switching.",
        hint="which factor of the Jacobian comes from the activation, and what values can its "
        "entries take for ReLU?",
        mistakes=(
            Mistake(
                lambda: "a",
                "√2 · Q is still a scaled orthogonal matrix: all its singular values are √2, "
                "exactly as section 4's ReLU nets use.",
            ),
            Mistake(
                lambda: "b",
                "The Jacobian holds only the weights and φ'(z); a shift of the activations' mean "
                "does not enter it.",
            ),
            Mistake(
                lambda: "d",
                "χ₁ = σ_w² E[φ'(z)²] = 2 · 1/2 = 1: He's σ_w² = 2 is exactly ReLU's critical "
                "point (the table's mean λ stays near 1).",
            ),
        ),
    )
)

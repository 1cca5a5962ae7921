"""Exercises of notebook 08 · The explorer."""

from __future__ import annotations

import math

from .. import (
    theory,
)
from .engine import Exercise, Mistake, register


def _relu_small_init_factor(width: int = 256, std: float = 0.01) -> float:
    """Predicted per-layer factor of E[a²] for ReLU layers of ``width`` with W = std · randn."""
    prediction = theory.predict_signal("relu", [width] * 3, [std**2] * 2)
    first, second = prediction.activation_second_moments
    return second / first


register(
    Exercise(
        key="08.1",
        question="In the explorer choose relu and small_random_init (W = 0.01·randn), width 256. "
        "By which factor does the theory say E[a²] shrinks from one layer to the next?",
        solution=_relu_small_init_factor,
        explanation="Var(z) = 256 · 0.01² · E[a²] and a ReLU keeps half of the second moment: "
        "256 · 1e-4 · 1/2 = 0.0128 per layer.",
        hint="one layer multiplies E[a²] by fan_in · Var(W), and ReLU then halves it.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 2 * _relu_small_init_factor(),
                "You left out the ReLU: it zeroes half of the pre-activations, which halves E[a²].",
            ),
            Mistake(
                lambda: math.sqrt(_relu_small_init_factor()),
                "That is the factor of the std; the question asks for the second moment E[a²].",
            ),
        ),
    )
)

register(
    Exercise(
        key="08.2",
        question="Backward view, relu, he_init: what std of the back-propagated gradient ∂L/∂z "
        "does the theory predict in every layer (the upstream gradient is N(0, 1))?",
        solution=lambda: math.sqrt(
            theory.predict_signal("relu", [256] * 4, [2 / 256] * 3).gradient_second_moments[0]
        ),
        explanation="He's rule makes fan_out · Var(W) · E[φ'(z)²] = 256 · (2/256) · 1/2 = 1 per "
        "layer, so E[(∂L/∂z)²] stays at 1 · E[φ'(z)²] = 1/2 and the std at sqrt(1/2) "
        "≈ 0.707.",
        hint="at the last layer ∂L/∂z = upstream · φ'(z), and φ'(z) is 1 for half of the units, "
        "0 for the rest.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 1.0,
                "That forgets φ'(z): the ReLU's slope is 0 for the half of the units that are off.",
            ),
            Mistake(
                lambda: 0.5, "That is the second moment E[(∂L/∂z)²]; the question asks for the std."
            ),
        ),
    )
)

register(
    Exercise(
        key="08.3",
        question="tanh with lecun_init and bias std σ_b = 0.3: which gain σ_w puts the net on "
        "the edge of chaos (χ₁ = 1)? The explorer's summary line shows χ₁ as you move "
        "the gain.",
        solution=lambda: math.sqrt(theory.critical_sigma_w2(0.3**2, "tanh")),
        explanation="lecun_init times the gain draws Var(W) = σ_w² / fan_in. The critical line "
        "for tanh at σ_b² = 0.09 is σ_w² ≈ 1.948, so σ_w ≈ 1.396.",
        hint="find σ_w² with theory.critical_sigma_w2(σ_b²), or move the gain until χ₁ reads "
        "1.000.",
        rel_tol=0.03,
        mistakes=(
            Mistake(
                lambda: theory.critical_sigma_w2(0.3**2, "tanh"),
                "That is σ_w², the weight variance times fan_in; the gain is its square root σ_w.",
            ),
            Mistake(
                lambda: 1.0,
                "σ_w = 1 is critical only without biases; a bias adds variance and moves the edge.",
            ),
            Mistake(
                lambda: 5 / 3,
                "5/3 is tanh's gain for keeping the signal's size; at σ_b = 0.3 it is chaotic "
                "(χ₁ ≈ 1.15).",
            ),
        ),
    )
)

"""Exercises of notebook 10 · The edge of chaos."""

from __future__ import annotations

from .. import (
    theory,
)
from .engine import Exercise, Mistake, register

register(
    Exercise(
        key="10.1",
        question="A linear net (φ(z) = z) has σ_w² = 0.8 and σ_b² = 0.1. What is the fixed point "
        "q* of its variance map?",
        solution=lambda: theory.fixed_point(0.8, 0.1, "linear"),
        explanation="For φ(z) = z the map is q' = σ_w² q + σ_b². At the fixed point q* = 0.8 q* "
        "+ 0.1, so q* = σ_b² / (1 - σ_w²) = 0.1 / 0.2 = 0.5.",
        hint="E[(√q u)²] = q, so the map is q' = σ_w² q + σ_b²; set q' = q.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: theory.chi_1(0.8, 0.1, "linear"),
                "0.8 is χ₁ = σ_w², the gradient's factor per layer; q* solves q = σ_w² q + σ_b².",
            ),
            Mistake(
                lambda: 0.1 / 1.8,
                "Check the sign: q* - σ_w² q* = σ_b² gives q* = σ_b² / (1 - σ_w²).",
            ),
            Mistake(
                lambda: 0.1 / 0.8,
                "σ_b² / σ_w² is not it: move σ_w² q* to the left-hand side first.",
            ),
        ),
    )
)

register(
    Exercise(
        key="10.2",
        question="A 30-layer tanh net with σ_w² = 1.5, σ_b² = 0.05 sits at its fixed point q*. "
        "What is the ratio E[δ₁²] / E[δ₃₀²] of the mean squared gradients at layers 1 and 30?",
        solution=lambda: theory.chi_1(1.5, 0.05) ** 29,
        explanation="Each step back multiplies E[δ²] by χ₁ = theory.chi_1(1.5, 0.05) ≈ 0.939; "
        "from layer 30 to layer 1 there are 29 steps, so the ratio is χ₁²⁹ ≈ 0.16.",
        hint="count the steps back from layer 30 to layer 1 and multiply by χ₁ at each.",
        rel_tol=1e-2,
        mistakes=(
            Mistake(
                lambda: theory.chi_1(1.5, 0.05) ** 30,
                "There are 29 steps back between layer 30 and layer 1, not 30.",
            ),
            Mistake(
                lambda: theory.chi_1(1.5, 0.05) ** 14.5,
                "That is the ratio of the standard deviations; χ₁ acts on the mean square.",
            ),
            Mistake(
                lambda: theory.chi_1(1.5, 0.05) ** -29,
                "Inverted: in the ordered phase the gradient at layer 1 is the smaller one.",
            ),
        ),
    )
)

register(
    Exercise(
        key="10.3",
        question="A random tanh net trains up to a depth of about 6 ξ_c (Schoenholz et al.). How "
        "many layers is that for σ_w² = 1.3, σ_b² = 0.05?",
        solution=lambda: 6 * theory.correlation_depth_scale(1.3, 0.05),
        explanation="The net is in the ordered phase (χ₁ ≈ 0.88), where ξ_c = -1/ln χ₁ ≈ 7.8 "
        "layers (theory.correlation_depth_scale), so 6 ξ_c ≈ 47 layers.",
        hint="compute ξ_c with theory.correlation_depth_scale(1.3, 0.05), then multiply by 6.",
        rel_tol=2e-2,
        mistakes=(
            Mistake(
                lambda: theory.correlation_depth_scale(1.3, 0.05),
                "That is ξ_c itself; the trainable depth is about six times it.",
            ),
            Mistake(
                lambda: 6 / (1 - theory.chi_1(1.3, 0.05)),
                "1/(1 - χ) approximates -1/ln χ only when χ is very close to 1; use the logarithm.",
            ),
        ),
    )
)

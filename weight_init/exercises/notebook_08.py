"""Exercises of notebook 08 · The explorer."""

from __future__ import annotations

import math

from .. import (
    explorer_views,
    theory,
)
from .engine import Exercise, Mistake, register

_SMALL_RELU = explorer_views.SignalSettings(
    initializer="small_random_init", activation="relu", depth=2
)


def _relu_small_init_second_moment(layers: int = 2, width: int = 256, std: float = 0.01) -> float:
    """The theory's E[a²] after ``layers`` ReLU layers of ``width`` with W = std · randn."""
    prediction = theory.predict_signal("relu", [width] * (layers + 1), [std**2] * layers)
    return prediction.activation_second_moments[-1]


def _critical_gain(bias_std: float = 0.5) -> float:
    """The gain σ_w at which tanh with ``lecun_init`` and bias std ``bias_std`` has χ₁ = 1."""
    return math.sqrt(theory.critical_sigma_w2(bias_std**2, "tanh"))


register(
    Exercise(
        key="08.1",
        question="Predict, then run: relu with small_random_init (W = 0.01·randn), width 256, "
        "depth 2, input E[x²] = 1. What E[a²] at layer 2? Write your prediction, then set the "
        "explorer (or explorer_views.signal_view) to these settings, seed 0, and compare with the "
        "measured column.",
        solution=_relu_small_init_second_moment,
        explanation="One layer multiplies E[a²] by fan_in · Var(W) · 1/2 = 256 · 1e-4 · 1/2 = "
        "0.0128 (the ReLU keeps half of the second moment), so layer 2 sits at 0.0128² ≈ "
        "1.64e-4. The seed-0 measurement (1.65e-4) agrees to within 1%: two layers of 256 "
        "units are too few for one draw of weights to wander far from the average.",
        hint="work out one layer's factor from fan_in, Var(W) and what a ReLU keeps of E[z²]; "
        "then apply it once per layer.",
        # Accepts the prediction and the seed-0 measurement (0.8% above it); 5 % errors fail.
        rel_tol=0.02,
        mistakes=(
            Mistake(
                lambda: (256 * 0.01**2) ** 2,
                "You left out the ReLU: it zeroes half of the pre-activations, which halves "
                "E[a²] at every layer.",
            ),
            Mistake(
                lambda: _relu_small_init_second_moment(layers=1),
                "That is one layer's factor (and the std at layer 2); E[a²] at layer 2 has been "
                "multiplied by it twice.",
            ),
        ),
    )
)

register(
    Exercise(
        key="08.2",
        question="In the explorer: tanh, lecun_init, bias std σ_b = 0.5. Move the gain until the "
        "summary line reads χ₁ ≈ 1 (the edge of chaos). Which gain σ_w is it, to the slider's "
        "step of 0.05?",
        solution=_critical_gain,
        explanation="lecun_init times the gain draws Var(W) = σ_w² / fan_in. A bias of std 0.5 "
        "adds σ_b² = 0.25 to every pre-activation's variance, which pushes tanh into its flatter "
        "part, so the weights must be larger than σ_w = 1 to keep χ₁ = σ_w² E[tanh'(z)²] at 1: "
        "the critical line gives σ_w ≈ 1.55 (notebook 10 computes the line).",
        hint="start at gain 1 and watch which way χ₁ moves as you raise the gain; stop where it "
        "crosses 1.",
        # The slider moves in steps of 0.05; only its 1.55 lies within 2 % of the critical gain.
        rel_tol=0.02,
        mistakes=(
            Mistake(
                lambda: _critical_gain() ** 2,
                "That is σ_w², the weight variance times fan_in; the gain is its square root σ_w.",
            ),
            Mistake(
                lambda: 1.0,
                "σ_w = 1 is critical only without biases; a bias adds variance and moves the edge.",
            ),
            Mistake(
                lambda: _critical_gain(0.3),
                "That is the edge for σ_b = 0.3 (the tour's stop); with σ_b = 0.5 the edge moves "
                "to a larger gain.",
            ),
        ),
    )
)

register(
    Exercise(
        key="08.3",
        question="At the explorer's start (tanh, lecun_init, σ_b = 0) the summary reads χ₁ = "
        "1.000, yet the backward view shows much smaller gradients at layer 1 than at layer 10 "
        "(0.07 vs 0.90 in the tour). Why? (a) the theory is wrong for tanh; (b) χ₁ is computed "
        "at the fixed point q* = 0, but the signal starts at q = 1, where each layer "
        "multiplies E[δ²] by σ_w² E[tanh'(z)²] < 1; (c) 500 samples are too few to measure a "
        "gradient; (d) LeCun's rule is meant for ReLU.",
        solution=lambda: "b",
        explanation="(b): χ₁ = σ_w² E[tanh'(√q* z)²] is the factor at the fixed point, and with "
        "σ_b = 0 that fixed point is q* = 0, where tanh' = 1. The signal starts at q = 1 and "
        "only creeps towards 0 (as a power law), so on the way every layer's factor "
        "σ_w² E[tanh'(z)²] is below 1 and the gradients shrink towards the input.",
        hint="χ₁ is evaluated at one particular variance; compare it with the variance the "
        "signal actually has in the first layers.",
        mistakes=(
            Mistake(
                lambda: "a",
                "The dashed theory line follows the measured gradients within a few percent "
                "(the tour's backward stop): the theory is right, χ₁ is read at another variance.",
            ),
            Mistake(
                lambda: "c",
                "The measured and predicted columns agree, and a gap of more than ten times is far "
                "beyond the sampling noise of 500 × 256 values.",
            ),
            Mistake(
                lambda: "d",
                "LeCun's rule is the tanh and linear rule; for ReLU it halves E[a²] per layer "
                "(the tour's relu stop).",
            ),
        ),
    )
)

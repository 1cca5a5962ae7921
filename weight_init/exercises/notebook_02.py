"""Exercises of notebook 02 · Vanishing and exploding."""

from __future__ import annotations

import math

import numpy as np

from .. import (
    theory,
)
from .engine import Exercise, Mistake, register


def _doubling_steps(dtype: type, width: int = 512) -> int:
    """Multiplications by an N(0, 1) (width × width) matrix until the std passes the dtype's max."""
    return math.ceil(math.log10(float(np.finfo(dtype).max)) / math.log10(math.sqrt(width)))


register(
    Exercise(
        key="02.1",
        question="Layers of 500 tanh units in their linear region, W = c · randn(500, 500). "
        "Which weight std c keeps the activation std the same from layer to layer?",
        solution=lambda: 1 / math.sqrt(500),
        explanation="Var(z) = n · Var(W) · E[x²] stays equal to E[x²] when n · c² = 1, "
        "so c = 1/sqrt(500) ≈ 0.0447.",
        hint="set n · Var(W) = 1 and remember that Var(W) = c².",
        rel_tol=1e-2,
        mistakes=(
            Mistake(lambda: 1 / 500, "That is the variance 1/n; the question asks for the std c."),
            Mistake(
                lambda: 0.01,
                "That is the seed's small init, which shrinks the std by sqrt(500)·0.01 ≈ 0.22 "
                "per layer.",
            ),
        ),
    )
)

register(
    Exercise(
        key="02.2",
        question="One layer has fan_in = 300, weight variance 0.004 and inputs with E[x²] = 2.5. "
        "What is the variance of its pre-activations?",
        solution=lambda: theory.preactivation_variance(300, 0.004, 2.5),
        explanation="Var(z) = fan_in · Var(W) · E[x²] = 300 · 0.004 · 2.5 = 3.0.",
        hint="each of the fan_in terms W_ij x_i contributes Var(W) · E[x²].",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 0.004 * 2.5,
                "You left out the fan_in: the pre-activation is a sum of fan_in terms.",
            ),
            Mistake(
                lambda: math.sqrt(300 * 0.004 * 2.5),
                "That is the std; the question asks for the variance.",
            ),
        ),
    )
)

register(
    Exercise(
        key="02.3",
        question="Each multiplication by a 512 × 512 N(0, 1) matrix scales the std by about "
        "sqrt(512). After how many multiplications does float64 overflow (its maximum "
        "is about 1.8e308)?",
        solution=lambda: _doubling_steps(np.float64),
        explanation="Solve sqrt(512)^k > 1.8e308: k > 308.25 / log10(22.63) ≈ 227.6, so step 228.",
        hint="take log10 of both sides of sqrt(512)^k = np.finfo(np.float64).max.",
        abs_tol=2,
        mistakes=(
            Mistake(
                lambda: _doubling_steps(np.float32),
                "That is float32's limit (about 3.4e38); float64 goes up to 1.8e308.",
            ),
        ),
    )
)
